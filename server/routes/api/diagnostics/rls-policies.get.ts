import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { jwtRole } from '../../../diagnostics/credentials';

export default implement(api['diagnostics.rlsPolicies'], async ({ services }) => {
  const rls = await services.rls.rlsPolicies();
  const role = services.store.kind === 'supabase' ? jwtRole(services.settings.supabase.serviceRoleKey) : null;
  const warnings: string[] = [];
  if (services.store.kind === 'supabase' && role !== 'service_role') {
    warnings.push(`The server's Supabase key carries the role "${role ?? 'unknown'}", not service_role.`);
  }
  for (const t of rls.tables)
    if (t.kind === 'table' && !t.rls_enabled) warnings.push(`Row-level security is off on ${t.table}.`);
  return {
    ...rls,
    server_key_role: role,
    status: warnings.length ? ('warning' as const) : ('ok' as const),
    warnings,
  };
});
