import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { listPage } from '../../http/page';
import { resolveUserId } from '../../users';

export default implement(api['sessions.list'], async ({ event, services, query }) => {
  const userId = await resolveUserId(event, services);
  const page = await listPage(
    query,
    (p) => services.store.listSessions(userId, p),
    (s) => ({ at: s.updated_at, id: s.id }),
  );
  return { sessions: page.items, next_before: page.next_before };
});
