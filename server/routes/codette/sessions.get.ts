import { z } from 'zod';
import { ChatSessionSummary, PageQuery } from '../../../shared/schemas/persistence';
import { defineRoute } from '../../http/route';
import { listPage } from '../../http/page';
import { resolveUserId } from '../../users';

export default defineRoute({
  method: 'GET',
  path: '/codette/sessions',
  summary:
    'Your chat sessions, most recent activity first, with message counts; in pages (`limit`, then `before=next_before`)',
  tag: 'history',
  query: PageQuery,
  response: z.object({ sessions: z.array(ChatSessionSummary), next_before: z.string().nullable() }),
  errors: [400, 401],
  handler: async ({ event, services, query }) => {
    const userId = await resolveUserId(event, services);
    const page = await listPage(
      query,
      (p) => services.store.listSessions(userId, p),
      (s) => ({ at: s.updated_at, id: s.id }),
    );
    return { sessions: page.items, next_before: page.next_before };
  },
});
