import { AddFeedbackResult, FeedbackBody } from '../../../shared/schemas/persistence';
import { defineRoute } from '../../http/route';
import { resolveUserId } from '../../users';

export default defineRoute({
  method: 'POST',
  path: '/codette/feedback',
  summary:
    "Rate one of Codette's answers: {message_id, rating: up | down, comment?}; a repeated client_id is stored once",
  tag: 'history',
  body: FeedbackBody,
  response: AddFeedbackResult,
  errors: [400, 401, 404, 413, 415],
  handler: async ({ event, services, body }) => services.store.addFeedback(await resolveUserId(event, services), body),
});
