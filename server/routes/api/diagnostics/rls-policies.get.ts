import { z } from 'zod';
import { RlsDiagnostics } from '../../../../shared/schemas/persistence';
import { defineRoute } from '../../../http/route';
import { jwtRole } from '../../../diagnostics/credentials';

export default defineRoute({
  method: 'GET',
  path: '/api/diagnostics/rls-policies',
  summary: "Which role the server's key carries and, per table, whether row-level security is on and its policies",
  tag: 'diagnostics',
  response: RlsDiagnostics.extend({
    server_key_role: z.string().nullable(),
    status: z.enum(['ok', 'warning']),
    warnings: z.array(z.string()),
  }),
  handler: async ({ services }) => {
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
  },
});
