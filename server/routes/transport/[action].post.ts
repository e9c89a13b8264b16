import { TransportCommand, TransportResult } from '../../../shared/schemas/transport';
import { defineRoute } from '../../http/route';
import { handleTransportRequest } from '../codette/transport.post';

export default defineRoute({
  method: 'POST',
  path: '/transport/:action',
  summary:
    'Shortcut for POST /codette/transport with the action in the path: /transport/play, /transport/tempo {bpm}, ...',
  tag: 'transport',
  body: TransportCommand,
  bodyFromParams: (params) => ({ action: params.action }),
  response: TransportResult,
  errors: [400, 413, 415],
  handler: handleTransportRequest,
});
