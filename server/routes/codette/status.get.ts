import { TransportState } from '../../../shared/schemas/transport';
import { defineRoute } from '../../http/route';

export default defineRoute({
  method: 'GET',
  path: '/codette/status',
  summary: 'The transport: play state, position in seconds and bars.beats, tempo, loop, who changed it last',
  tag: 'transport',
  response: TransportState,
  handler: ({ services }) => services.transport.snapshot(),
});
