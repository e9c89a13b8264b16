import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { suggest } from '../../engine/suggest';

export default implement(api['chat.suggest'], async ({ services, body }) => {
  const key = `suggest:${JSON.stringify(body)}`;
  const { value } = await services.cache.wrap(key, () => suggest(services.store, body));
  return { suggestions: value };
});
