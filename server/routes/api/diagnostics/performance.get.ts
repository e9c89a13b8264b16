import { Performance } from '../../../../shared/schemas/diagnostics';
import { defineRoute } from '../../../http/route';

export default defineRoute({
  method: 'GET',
  path: '/api/diagnostics/performance',
  summary: 'Uptime, memory, CPU, event-loop delay, request counts and latency per route, cache hit rate',
  tag: 'diagnostics',
  response: Performance,
  handler: ({ services }) => {
    const cache = services.cache.stats();
    return services.metrics.snapshot({
      wsClients: services.hub.size,
      cache: { hit_rate: cache.hit_rate, hits: cache.hits, misses: cache.misses },
    });
  },
});
