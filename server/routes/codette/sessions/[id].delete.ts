import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { ApiError } from '../../../http/errors';
import { resolveUserId } from '../../../users';

export default implement(api['sessions.delete'], async ({ event, services, params }) => {
  const deleted = await services.store.deleteSession(await resolveUserId(event, services), params.id);
  if (!deleted) throw new ApiError(404, 'not_found', `No session ${params.id}: it may have been deleted already.`);
  return { deleted: true as const, session_id: params.id };
});
