import { StreamAnalysis, StreamSnapshot } from '../../../../shared/schemas/analysis';
import { defineRoute } from '../../../http/route';
import { analyzeAndAnnounce } from '../../../analysis/stream';

export default defineRoute({
  method: 'POST',
  path: '/api/analyze/stream',
  summary:
    'A live meter snapshot from the extension (integrated/short-term LUFS, true peak, LRA, correlation, spectrum figures, CPU) through the mastering rules',
  description:
    'Send every few seconds while playing. `measured_seconds` under 10 leaves the integrated figure unjudged. `changes` lists the finding ids that appeared or ' +
    "resolved since the same `source`'s previous snapshot; when any did, WebSocket clients subscribed to `analysis` get `stream_findings`.",
  tag: 'analysis',
  body: StreamSnapshot,
  response: StreamAnalysis,
  errors: [400, 413, 415],
  handler: ({ services, body }) => analyzeAndAnnounce(services, body),
});
