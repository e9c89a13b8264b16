import type { RlsTable } from '../../shared/schemas/persistence';

/**
 * The row-level security that supabase/migrations defines, declared for the embedded store's diagnostics
 * (SQLite has no RLS: one local user owns every row). A test applies the migrations to PostgreSQL and checks
 * that this declaration matches pg_policies, so it cannot drift.
 */
const owner = 'user_id = auth.uid()';
const ownerPolicies = (table: string, insertCheck: string): RlsTable['policies'] => [
  { name: `${table}_owner_delete`, command: 'DELETE', roles: ['authenticated'], using: owner, with_check: null },
  { name: `${table}_owner_insert`, command: 'INSERT', roles: ['authenticated'], using: null, with_check: insertCheck },
  { name: `${table}_owner_select`, command: 'SELECT', roles: ['authenticated'], using: owner, with_check: null },
  { name: `${table}_owner_update`, command: 'UPDATE', roles: ['authenticated'], using: owner, with_check: owner },
];

export const DECLARED_RLS: readonly RlsTable[] = [
  { table: 'api_metrics', kind: 'table', rls_enabled: true, security_invoker: false, policies: [] },
  { table: 'applied_client_ids', kind: 'table', rls_enabled: true, security_invoker: false, policies: [] },
  // a view: the policies of messages and chat_sessions apply to its reader (security_invoker)
  { table: 'chat_history', kind: 'view', rls_enabled: false, security_invoker: true, policies: [] },
  {
    table: 'chat_sessions',
    kind: 'table',
    rls_enabled: true,
    security_invoker: false,
    policies: ownerPolicies('chat_sessions', owner),
  },
  {
    table: 'codette_files',
    kind: 'table',
    rls_enabled: true,
    security_invoker: false,
    policies: ownerPolicies('codette_files', `${owner} and (session_id is null or the session is the user's)`),
  },
  {
    table: 'messages',
    kind: 'table',
    rls_enabled: true,
    security_invoker: false,
    policies: ownerPolicies('messages', `${owner} and the session is the user's`),
  },
  {
    table: 'music_knowledge',
    kind: 'table',
    rls_enabled: true,
    security_invoker: false,
    policies: [
      {
        name: 'music_knowledge_read',
        command: 'SELECT',
        roles: ['anon', 'authenticated'],
        using: 'true',
        with_check: null,
      },
    ],
  },
  {
    table: 'user_feedback',
    kind: 'table',
    rls_enabled: true,
    security_invoker: false,
    policies: ownerPolicies('user_feedback', `${owner} and the message is the user's`),
  },
];

export const EMBEDDED_RLS_NOTE =
  'Embedded SQLite store: one local user owns every row and the store scopes each query by user id. ' +
  'Row-level security is enforced by Supabase (PostgreSQL) only; these are the policies supabase/migrations ' +
  'define, declared here, not enforced.';
