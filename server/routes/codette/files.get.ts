import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { listPage } from '../../http/page';
import { resolveUserId } from '../../users';

export default implement(api['files.list'], async ({ event, services, query }) => {
  const userId = await resolveUserId(event, services);
  const page = await listPage(
    query,
    (p) => services.store.listFiles(userId, p),
    (f) => ({ at: f.created_at, id: f.id }),
  );
  return { files: page.items, next_before: page.next_before };
});
