import { DatabaseDiagnostics } from '../../../../shared/schemas/persistence';
import { defineRoute } from '../../../http/route';

export default defineRoute({
  method: 'GET',
  path: '/api/diagnostics/database',
  summary: 'The database kind and, for each of the seven tables, whether it answers and its row count (probed now)',
  tag: 'diagnostics',
  response: DatabaseDiagnostics,
  handler: async ({ services }) => {
    const started = performance.now();
    const tables = await services.store.tableStatus();
    return {
      kind: services.store.kind,
      ok: tables.every((t) => t.ok),
      location: services.store.location,
      latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
      tables,
    };
  },
});
