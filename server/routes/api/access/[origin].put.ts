import { defineRoute } from '../../../http/route';
import { validate } from '../../../http/body';
import { AccessDecisionBody, AccessOriginParams, OriginAccess } from '../../../../shared/api/access';
import { requireUser } from '../../../access/user-only';
import { originParam } from '../../../access/origin-param';

export default defineRoute({
  method: 'PUT',
  path: '/api/access/:origin',
  summary: "The user's answer for an origin (URL-encoded in the path): allowed or denied",
  description:
    "Only for the extension (the user's click) and programs on this machine: a web page gets 403. The page waiting on POST /api/access gets the answer at once.",
  tag: 'access',
  body: AccessDecisionBody,
  response: OriginAccess,
  errors: [400, 415],
  handler: ({ event, services, body, params }) => {
    requireUser(event, services);
    const { origin } = validate(AccessOriginParams, originParam(params), 'params');
    return services.access.decide(origin, body.decision);
  },
});
