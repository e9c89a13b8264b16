import { UserExport } from '../../../shared/schemas/persistence';
import { defineRoute } from '../../http/route';
import { resolveUserId } from '../../users';

export default defineRoute({
  method: 'GET',
  path: '/codette/export',
  summary: 'All your data (sessions, messages, feedback, file records) as one JSON download',
  tag: 'history',
  response: UserExport,
  errors: [401],
  handler: async ({ event, services }) => {
    const data = await services.store.exportUserData(await resolveUserId(event, services));
    const day = data.exported_at.slice(0, 10);
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="codette-export-${day}.json"`,
      },
    });
  },
});
