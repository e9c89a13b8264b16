import type { RlsDiagnostics } from '../../shared/schemas/persistence';
import { DECLARED_RLS, EMBEDDED_RLS_NOTE } from '../store/policies';

/** Where the row-level security report comes from: live from PostgreSQL, or as the migrations declare it. */
export interface RlsSource {
  rlsPolicies(): Promise<RlsDiagnostics>;
}

/** The embedded store has no RLS (one local user owns every row): the report is what supabase/migrations declares. */
export const declaredRls: RlsSource = {
  async rlsPolicies() {
    return {
      kind: 'sqlite',
      source: 'declared',
      note: EMBEDDED_RLS_NOTE,
      tables: DECLARED_RLS.map((t) => ({ ...t, policies: [...t.policies] })),
    };
  },
};

/** A store that can read its policies live offers rlsPolicies(); any other gets the declared report. */
export function rlsSourceOf(store: object): RlsSource {
  const live = (store as Partial<RlsSource>).rlsPolicies;
  return typeof live === 'function' ? { rlsPolicies: () => live.call(store) } : declaredRls;
}
