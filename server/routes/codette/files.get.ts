import { z } from 'zod';
import { FileRecord } from '../../../shared/schemas/persistence';
import { defineRoute } from '../../http/route';
import { resolveUserId } from '../../users';

export default defineRoute({
  method: 'GET',
  path: '/codette/files',
  summary: 'Your uploaded files\' records, newest first',
  tag: 'files',
  response: z.object({ files: z.array(FileRecord) }),
  errors: [401],
  handler: async ({ event, services }) => ({ files: await services.store.listFiles(await resolveUserId(event, services)) }),
});
