import { z } from 'zod';
import { ChatSessionSummary } from '../../../shared/schemas/persistence';
import { defineRoute } from '../../http/route';
import { resolveUserId } from '../../users';

export default defineRoute({
  method: 'GET',
  path: '/codette/sessions',
  summary: 'Your chat sessions, newest first, with message counts',
  tag: 'history',
  response: z.object({ sessions: z.array(ChatSessionSummary) }),
  errors: [401],
  handler: async ({ event, services }) => ({ sessions: await services.store.listSessions(await resolveUserId(event, services)) }),
});
