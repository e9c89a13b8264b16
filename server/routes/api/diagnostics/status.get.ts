import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { checkHealth } from '../../../services';
import { readDependencies } from '../../../diagnostics/dependencies';

export default implement(api['diagnostics.status'], async ({ services }) => {
  const [health, dependencies] = await Promise.all([checkHealth(services), readDependencies(services)]);
  const mem = process.memoryUsage();
  return {
    status: health.status === 'healthy' ? ('operational' as const) : ('degraded' as const),
    reasons: health.reasons,
    generated_at: new Date().toISOString(),
    system: {
      server: {
        name: 'codette',
        version: services.version,
        node: process.version,
        pid: process.pid,
        platform: `${process.platform}-${process.arch}`,
        listening: services.url ?? '',
        uptime_seconds: health.uptime_seconds,
        started_at: services.startedAt.toISOString(),
      },
      memory: { rss_mb: Math.round(mem.rss / 1048576), heap_used_mb: Math.round(mem.heapUsed / 1048576) },
      websocket_clients: services.hub.size,
    },
    database: {
      kind: services.store.kind,
      client_initialized: health.database !== null,
      ok: health.database?.ok ?? null,
    },
    backup: services.backups.status(),
    dependencies,
  };
});
