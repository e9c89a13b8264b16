import { z } from 'zod';
import { defineRoute } from '../http/route';
import { buildOpenApi } from '../openapi';

export default defineRoute({
  method: 'GET',
  path: '/openapi.json',
  summary: 'The OpenAPI 3.1 description of this API, generated from its schemas',
  tag: 'service',
  response: z.record(z.string(), z.unknown()),
  handler: ({ services }) => buildOpenApi(services.routes, services.version),
});
