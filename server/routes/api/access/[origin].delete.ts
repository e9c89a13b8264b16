import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { ApiError } from '../../../http/errors';
import { requireUser } from '../../../access/user-only';
import { closeSocketsOf } from '../../../access/close-sockets';

export default implement(api['access.revoke'], ({ event, services, params }) => {
  requireUser(event, services);
  if (!services.access.revoke(params.origin))
    throw new ApiError(404, 'not_found', `No decision about ${params.origin} to forget.`, { field: 'origin' });
  closeSocketsOf(services.hub, params.origin);
  return services.access.list(services.settings.allowedOrigins);
});
