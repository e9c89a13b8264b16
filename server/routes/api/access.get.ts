import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { requireUser } from '../../access/user-only';

export default implement(api['access.list'], ({ event, services }) => {
  requireUser(event, services);
  return services.access.list(services.settings.allowedOrigins);
});
