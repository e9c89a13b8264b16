import { Endpoints } from '../../../../shared/schemas/diagnostics';
import { defineRoute } from '../../../http/route';

export default defineRoute({
  method: 'GET',
  path: '/api/diagnostics/endpoints',
  summary: 'Every route this server answers, read from its router',
  tag: 'diagnostics',
  response: Endpoints,
  handler: ({ services }) => {
    const endpoints = services.routes.map((r) => ({ method: r.method, path: r.path, summary: r.summary, tag: r.tag }));
    return { count: endpoints.length, endpoints };
  },
});
