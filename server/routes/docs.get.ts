import { z } from 'zod';
import { defineRoute } from '../http/route';
import { buildOpenApi } from '../openapi';
import { renderDocsPage } from '../docs-page';

export default defineRoute({
  method: 'GET',
  path: '/docs',
  summary: 'A readable API reference (HTML), served locally',
  tag: 'service',
  response: z.string(),
  handler: ({ services }) =>
    new Response(renderDocsPage(buildOpenApi(services.routes, services.version)), {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      },
    }),
});
