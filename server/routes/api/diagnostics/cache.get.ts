import { CacheStats } from '../../../../shared/schemas/diagnostics';
import { defineRoute } from '../../../http/route';

export default defineRoute({
  method: 'GET',
  path: '/api/diagnostics/cache',
  summary: 'Answer cache statistics (the same figures as /api/cache-stats)',
  tag: 'diagnostics',
  response: CacheStats,
  handler: ({ services }) => services.cache.stats(),
});
