import { Health } from '../../shared/schemas/service';
import { defineRoute } from '../http/route';
import { checkHealth } from '../services';

export default defineRoute({
  method: 'GET',
  path: '/health',
  summary: 'Whether Codette is healthy, and why not when it is degraded',
  tag: 'service',
  response: Health,
  handler: ({ services }) => checkHealth(services),
});
