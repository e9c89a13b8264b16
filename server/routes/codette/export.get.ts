import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { resolveUserId } from '../../users';

export default implement(api['data.export'], async ({ event, services }) => {
  const data = await services.store.exportUserData(await resolveUserId(event, services));
  const day = data.exported_at.slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="codette-export-${day}.json"`,
    },
  });
});
