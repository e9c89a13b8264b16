import { defineRoute } from '../../../http/route';
import { validate } from '../../../http/body';
import { ApiError } from '../../../http/errors';
import { AccessList, AccessOriginParams } from '../../../../shared/api/access';
import { requireUser } from '../../../access/user-only';
import { originParam } from '../../../access/origin-param';
import { closeSocketsOf } from '../../../access/close-sockets';

export default defineRoute({
  method: 'DELETE',
  path: '/api/access/:origin',
  summary: 'Forget the decision about an origin (URL-encoded in the path): it loses access and must ask again',
  description:
    "Only for the extension and programs on this machine: a web page gets 403. The origin's open WebSockets are closed (1008).",
  tag: 'access',
  response: AccessList,
  errors: [400, 404],
  handler: ({ event, services, params }) => {
    requireUser(event, services);
    const { origin } = validate(AccessOriginParams, originParam(params), 'params');
    if (!services.access.revoke(origin))
      throw new ApiError(404, 'not_found', `No decision about ${origin} to forget.`, { field: 'origin' });
    closeSocketsOf(services.hub, origin);
    return services.access.list(services.settings.allowedOrigins);
  },
});
