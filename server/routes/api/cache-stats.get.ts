import { CacheStats } from '../../../shared/schemas/diagnostics';
import { defineRoute } from '../../http/route';

export default defineRoute({
  method: 'GET',
  path: '/api/cache-stats',
  summary: 'Answer cache: entries, hits, misses, hit rate and latency',
  tag: 'cache',
  response: CacheStats,
  handler: ({ services }) => services.cache.stats(),
});
