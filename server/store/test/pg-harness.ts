/**
 * Test harness: real PostgreSQL (PGlite) dressed as a Supabase database.
 *
 * Only here, never in supabase/migrations: the roles anon / authenticated / service_role (service_role with
 * BYPASSRLS), a minimal auth schema (auth.users, auth.uid(), auth.role(), auth.jwt() reading
 * request.jwt.claims as Supabase's own functions do) and Supabase's default privileges (everything in public
 * granted to the three roles, so that row-level security, not missing grants, is what the tests prove).
 * Then the project's migrations are applied in file-name order, as `supabase db push` would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type Transaction } from '@electric-sql/pglite';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../supabase/migrations', import.meta.url));

const SUPABASE_STAND_IN = `
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;

create schema auth;
create schema extensions;
grant usage on schema auth to anon, authenticated, service_role;
grant usage on schema extensions to anon, authenticated, service_role;
create table auth.users (id uuid primary key, email text, created_at timestamptz not null default now());

create function auth.uid() returns uuid language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;
create function auth.role() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$$;
create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;
grant execute on all functions in schema auth to anon, authenticated, service_role;

grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
`;

export function migrationFiles(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{14}_.+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(MIGRATIONS_DIR, name), 'utf8') }));
}

export async function createSupabaseLikePg(): Promise<PGlite> {
  const db = await PGlite.create();
  await db.exec(SUPABASE_STAND_IN);
  for (const m of migrationFiles()) {
    try {
      await db.exec(m.sql);
    } catch (e) {
      throw new Error(`migration ${m.name} failed: ${(e as Error).message}`, { cause: e });
    }
  }
  return db;
}

export async function addAuthUser(db: PGlite, id: string, email = `${id}@example.test`): Promise<void> {
  await db.query('insert into auth.users (id, email) values ($1, $2) on conflict do nothing', [id, email]);
}

export type Caller = { role: 'anon' } | { role: 'service_role' } | { role: 'authenticated'; sub: string };

/** Run fn in one transaction as PostgREST would for this caller: SET LOCAL ROLE + request.jwt.claims. */
export async function asCaller<T>(db: PGlite, caller: Caller, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const claims =
    caller.role === 'authenticated'
      ? { sub: caller.sub, role: 'authenticated', aud: 'authenticated' }
      : { role: caller.role };
  return db.transaction(async (tx) => {
    await tx.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
      caller.role,
      JSON.stringify(claims),
    ]);
    return fn(tx);
  });
}
