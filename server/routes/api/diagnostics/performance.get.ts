import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';

export default implement(api['diagnostics.performance'], ({ services }) => {
  const cache = services.cache.stats();
  return services.metrics.snapshot({
    wsClients: services.hub.size,
    cache: { hit_rate: cache.hit_rate, hits: cache.hits, misses: cache.misses },
  });
});
