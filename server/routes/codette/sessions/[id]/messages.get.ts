import { api } from '../../../../../shared/api/index';
import { decodePageCursor, encodePageCursor } from '../../../../../shared/schemas/persistence';
import { implement } from '../../../../http/route';
import { ApiError } from '../../../../http/errors';
import { resolveUserId } from '../../../../users';

export default implement(api['sessions.messages'], async ({ event, services, params, query }) => {
  const messages = await services.store.listMessages(await resolveUserId(event, services), params.id);
  let start = 0;
  if (query.after !== undefined) {
    const after = decodePageCursor(query.after);
    if (!after) {
      throw new ApiError(
        400,
        'invalid_request',
        'Invalid query: after: not a cursor; pass the next_after value of the previous page.',
        [{ field: 'after', message: 'not a cursor' }],
      );
    }
    // After the cursor's message; if it was deleted since, after the messages written up to its time.
    const index = messages.findIndex((m) => m.id === after.id);
    start = index >= 0 ? index + 1 : messages.findIndex((m) => m.created_at > after.at);
    if (start < 0) start = messages.length;
  }
  const page = messages.slice(start, start + query.limit);
  const last = page.at(-1);
  const more = start + query.limit < messages.length && last;
  return {
    session_id: params.id,
    messages: page,
    next_after: more ? encodePageCursor({ at: last.created_at, id: last.id }) : null,
  };
});
