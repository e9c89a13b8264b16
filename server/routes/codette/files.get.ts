import { z } from 'zod';
import { FileRecord, PageQuery } from '../../../shared/schemas/persistence';
import { defineRoute } from '../../http/route';
import { listPage } from '../../http/page';
import { resolveUserId } from '../../users';

export default defineRoute({
  method: 'GET',
  path: '/codette/files',
  summary: "Your uploaded files' records, newest first; in pages (`limit`, then `before=next_before`)",
  tag: 'files',
  query: PageQuery,
  response: z.object({ files: z.array(FileRecord), next_before: z.string().nullable() }),
  errors: [400, 401],
  handler: async ({ event, services, query }) => {
    const userId = await resolveUserId(event, services);
    const page = await listPage(
      query,
      (p) => services.store.listFiles(userId, p),
      (f) => ({ at: f.created_at, id: f.id }),
    );
    return { files: page.items, next_before: page.next_before };
  },
});
