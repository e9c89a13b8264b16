import { defineRoute } from '../../http/route';
import { AccessList } from '../../../shared/api/access';
import { requireUser } from '../../access/user-only';

export default defineRoute({
  method: 'GET',
  path: '/api/access',
  summary: 'The web origins the user allowed or denied, the requests waiting, and CODETTE_ALLOWED_ORIGINS',
  description: 'Only for the extension and programs on this machine (no Origin): a web page gets 403.',
  tag: 'access',
  response: AccessList,
  errors: [],
  handler: ({ event, services }) => {
    requireUser(event, services);
    return services.access.list(services.settings.allowedOrigins);
  },
});
