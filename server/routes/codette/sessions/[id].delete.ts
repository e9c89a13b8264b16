import { z } from 'zod';
import { RowId } from '../../../../shared/schemas/persistence';
import { defineRoute } from '../../../http/route';
import { validate } from '../../../http/body';
import { ApiError } from '../../../http/errors';
import { resolveUserId } from '../../../users';

export default defineRoute({
  method: 'DELETE',
  path: '/codette/sessions/:id',
  summary: 'Delete one of your sessions with its messages and their feedback',
  tag: 'history',
  response: z.object({ deleted: z.literal(true), session_id: z.string() }),
  errors: [400, 401, 404],
  handler: async ({ event, services, params }) => {
    const id = validate(z.object({ id: RowId }), params, 'params').id;
    const deleted = await services.store.deleteSession(await resolveUserId(event, services), id);
    if (!deleted) throw new ApiError(404, 'not_found', `No session ${id}: it may have been deleted already.`);
    return { deleted: true as const, session_id: id };
  },
});
