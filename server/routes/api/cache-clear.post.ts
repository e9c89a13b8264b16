import { CacheCleared } from '../../../shared/schemas/diagnostics';
import { defineRoute } from '../../http/route';

export default defineRoute({
  method: 'POST',
  path: '/api/cache-clear',
  summary: 'Empty the answer cache (its counters are kept)',
  tag: 'cache',
  response: CacheCleared,
  handler: async ({ services }) => {
    const cleared = await services.cache.clear();
    return { status: 'ok' as const, cleared, stats: services.cache.stats() };
  },
});
