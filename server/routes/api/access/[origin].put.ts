import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { requireUser } from '../../../access/user-only';

export default implement(api['access.decide'], ({ event, services, body, params }) => {
  requireUser(event, services);
  return services.access.decide(params.origin, body.decision);
});
