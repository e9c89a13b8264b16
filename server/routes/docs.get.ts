import { api } from '../../shared/api/index';
import { implement } from '../http/route';
import { buildOpenApi } from '../openapi';
import { renderDocsPage } from '../docs-page';

export default implement(
  api['service.docs'],
  ({ services }) =>
    new Response(renderDocsPage(buildOpenApi(services.version)), {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      },
    }),
);
