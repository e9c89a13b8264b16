import { TransportState } from '../../../shared/schemas/transport';
import { defineRoute } from '../../http/route';

export default defineRoute({
  method: 'GET',
  path: '/transport/status',
  summary: 'The transport state (same as GET /codette/status)',
  tag: 'transport',
  response: TransportState,
  handler: ({ services }) => services.transport.snapshot(),
});
