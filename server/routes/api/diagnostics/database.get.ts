import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';

export default implement(api['diagnostics.database'], async ({ services }) => {
  const started = performance.now();
  const tables = await services.store.tableStatus();
  return {
    kind: services.store.kind,
    ok: tables.every((t) => t.ok),
    location: services.store.location,
    latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
    tables,
  };
});
