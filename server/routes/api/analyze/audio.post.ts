import { AudioAnalysisQuery, AudioAnalysisReport } from '../../../../shared/schemas/analysis';
import { defineRoute } from '../../../http/route';
import { analyzeAudioRequest } from '../../../analysis/audio';

export default defineRoute({
  method: 'POST',
  path: '/api/analyze/audio',
  summary:
    'Measure a WAV (EBU R128 loudness, true peak, levels, stereo, spectrum, tempo, key) and judge it against a loudness target',
  description:
    'Send the WAV as the raw body (`Content-Type: audio/wav`, `?name=`, `?target=`) or as the multipart/form-data field `file` ' +
    '(optional fields `target`, `session_id`). 16/24/32-bit PCM or 32-bit float, mono or stereo, 8-768 kHz, up to 10 minutes; ' +
    'limit CODETTE_UPLOAD_LIMIT. The file is recorded in codette_files. `target`: spotify (default), apple_music, youtube, tidal, ' +
    'amazon, soundcloud, ebu_r128, atsc_a85, club. With `Accept: text/event-stream`: `progress` events ({fraction, stage}) then ' +
    "one `report` event, or an `error` event. `chat_context` in the answer can be passed as a chat question's `daw_context`.",
  tag: 'analysis',
  query: AudioAnalysisQuery,
  response: AudioAnalysisReport,
  errors: [400, 413, 415, 422],
  handler: ({ event, services, query }) => analyzeAudioRequest(event, services, query),
});
