import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';

export default implement(api['cache.clear'], async ({ services }) => {
  const cleared = await services.cache.clear();
  return { status: 'ok' as const, cleared, stats: services.cache.stats() };
});
