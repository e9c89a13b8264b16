import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { resolveUserId } from '../../users';

export default implement(api['feedback.send'], async ({ event, services, body }) =>
  services.store.addFeedback(await resolveUserId(event, services), body),
);
