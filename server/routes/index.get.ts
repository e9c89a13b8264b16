import { ServiceInfo } from '../../shared/schemas/service';
import { WS_PATH } from '../../shared/constants';
import { defineRoute } from '../http/route';

export default defineRoute({
  method: 'GET',
  path: '/',
  summary: 'What this server is, and where its reference and socket are',
  tag: 'service',
  response: ServiceInfo,
  handler: ({ services }) => ({
    service: 'codette' as const,
    version: services.version,
    docs: '/docs',
    openapi: '/openapi.json',
    websocket: WS_PATH,
  }),
});
