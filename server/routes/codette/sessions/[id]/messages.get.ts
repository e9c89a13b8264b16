import { z } from 'zod';
import { ChatMessage, RowId } from '../../../../../shared/schemas/persistence';
import { defineRoute } from '../../../../http/route';
import { validate } from '../../../../http/body';
import { resolveUserId } from '../../../../users';

export default defineRoute({
  method: 'GET',
  path: '/codette/sessions/:id/messages',
  summary: 'The messages of one of your sessions, oldest first',
  tag: 'history',
  response: z.object({ session_id: z.string(), messages: z.array(ChatMessage) }),
  errors: [400, 401, 404],
  handler: async ({ event, services, params }) => {
    const id = validate(z.object({ id: RowId }), params, 'params').id;
    return { session_id: id, messages: await services.store.listMessages(await resolveUserId(event, services), id) };
  },
});
