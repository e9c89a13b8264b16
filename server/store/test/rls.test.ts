/**
 * Row-level security proven on real PostgreSQL (PGlite 0.5 = PostgreSQL 18): supabase/migrations applied to a
 * database with Supabase's roles, auth.uid() reading request.jwt.claims, and Supabase's default grants.
 * For each table: the owner sees and changes their rows, another user sees none, anon cannot write, the
 * service role can.
 */
import { randomUUID } from 'node:crypto';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RlsTable } from '../../../shared/schemas/persistence';
import { renderSeed } from '../../../supabase/generate-seed';
import { DECLARED_RLS } from '../policies';
import { fixtureKnowledge } from './fixtures';
import { addAuthUser, asCaller, createSupabaseLikePg, type Caller } from './pg-harness';

let db: PGlite;
const alice = randomUUID();
const bob = randomUUID();
const asAlice: Caller = { role: 'authenticated', sub: alice };
const asBob: Caller = { role: 'authenticated', sub: bob };
const anon: Caller = { role: 'anon' };
const service: Caller = { role: 'service_role' };

let sessionId: string;
let messageId: string;

beforeAll(async () => {
  db = await createSupabaseLikePg();
  await addAuthUser(db, alice);
  await addAuthUser(db, bob);
  await db.exec(renderSeed(fixtureKnowledge()));
  sessionId = randomUUID();
  messageId = randomUUID();
  await asCaller(db, service, async (tx) => {
    await tx.query(`insert into chat_sessions (id, user_id, title) values ($1, $2, 'alice session')`, [
      sessionId,
      alice,
    ]);
    await tx.query(`insert into messages (id, session_id, user_id, role, content) values ($1, $2, $3, 'user', 'hi')`, [
      messageId,
      sessionId,
      alice,
    ]);
    await tx.query(`insert into user_feedback (user_id, message_id, rating) values ($1, $2, 1)`, [alice, messageId]);
    await tx.query(
      `insert into codette_files (user_id, session_id, name, mime_type, size_bytes) values ($1, $2, 'a.wav', 'audio/wav', 1)`,
      [alice, sessionId],
    );
    await tx.query(`insert into api_metrics (route, method, status, duration_ms) values ('/x', 'GET', 200, 1)`);
    await tx.query(`insert into applied_client_ids (client_id, result) values ('op-1', '{}')`);
  });
});
afterAll(async () => {
  await db?.close();
});

const count = (caller: Caller, table: string) =>
  asCaller(db, caller, async (tx) =>
    Number((await tx.query<{ n: number }>(`select count(*)::int as n from public.${table}`)).rows[0]!.n),
  );

/** Runs as the caller; resolves to the SQLSTATE of the failure, or 'ok' with the affected row count. */
async function attempt(caller: Caller, fn: (tx: Transaction) => Promise<{ affectedRows?: number }>): Promise<string> {
  try {
    const r = await asCaller(db, caller, fn);
    return `ok:${r.affectedRows ?? 0}`;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

// The owned tables, with an insert each caller tries for itself and the column an update changes.
const owned = [
  {
    table: 'chat_sessions',
    insert: (tx: Transaction, uid: string) =>
      tx.query(`insert into chat_sessions (user_id, title) values ($1, 't')`, [uid]),
    update: `update chat_sessions set title = 'renamed'`,
  },
  {
    table: 'messages',
    insert: (tx: Transaction, uid: string) =>
      tx.query(`insert into messages (session_id, user_id, role, content) values ($1, $2, 'user', 'x')`, [
        sessionId,
        uid,
      ]),
    update: `update messages set content = 'edited'`,
  },
  {
    table: 'user_feedback',
    insert: (tx: Transaction, uid: string) =>
      tx.query(`insert into user_feedback (user_id, message_id, rating) values ($1, $2, -1)`, [uid, messageId]),
    update: `update user_feedback set comment = 'changed'`,
  },
  {
    table: 'codette_files',
    insert: (tx: Transaction, uid: string) =>
      tx.query(
        `insert into codette_files (user_id, name, mime_type, size_bytes) values ($1, 'b.txt', 'text/plain', 2)`,
        [uid],
      ),
    update: `update codette_files set name = 'renamed.wav'`,
  },
];

describe.each(owned)('$table', ({ table, insert, update }) => {
  it('the owner sees and changes their rows', async () => {
    expect(await count(asAlice, table)).toBeGreaterThan(0);
    expect(await attempt(asAlice, (tx) => insert(tx, alice))).toBe('ok:1');
    expect(await attempt(asAlice, (tx) => tx.query(update))).toMatch(/^ok:[1-9]/);
  });

  it('another user sees none, changes none, cannot write in their name', async () => {
    expect(await count(asBob, table)).toBe(0);
    expect(await attempt(asBob, (tx) => tx.query(update))).toBe('ok:0');
    expect(await attempt(asBob, (tx) => tx.query(`delete from ${table}`))).toBe('ok:0');
    expect(await attempt(asBob, (tx) => insert(tx, alice))).toBe('42501'); // new row violates row-level security policy
    expect(await count(asAlice, table)).toBeGreaterThan(0);
  });

  it('anon cannot read or write', async () => {
    expect(await attempt(anon, (tx) => tx.query(`select * from ${table}`))).toBe('42501');
    expect(await attempt(anon, (tx) => insert(tx, alice))).toBe('42501');
  });

  it('the service role reads everything and writes', async () => {
    expect(await count(service, table)).toBeGreaterThan(0);
    expect(await attempt(service, (tx) => insert(tx, bob))).toBe('ok:1');
  });
});

describe("messages, feedback and files point only at the owner's session or message", () => {
  it("a user cannot attach rows to another user's session or message", async () => {
    expect(
      await attempt(asBob, (tx) =>
        tx.query(`insert into messages (session_id, user_id, role, content) values ($1, $2, 'user', 'x')`, [
          sessionId,
          bob,
        ]),
      ),
    ).toBe('42501');
    expect(
      await attempt(asBob, (tx) =>
        tx.query(`insert into user_feedback (user_id, message_id, rating) values ($1, $2, 1)`, [bob, messageId]),
      ),
    ).toBe('42501');
    expect(
      await attempt(asBob, (tx) =>
        tx.query(
          `insert into codette_files (user_id, session_id, name, mime_type, size_bytes) values ($1, $2, 'x', 'a/b', 1)`,
          [bob, sessionId],
        ),
      ),
    ).toBe('42501');
  });
});

describe('chat_history (view, security_invoker)', () => {
  it('shows the owner their messages with session titles, another user none, anon nothing', async () => {
    const rows = await asCaller(
      db,
      asAlice,
      async (tx) => (await tx.query<{ session_title: string }>(`select * from chat_history`)).rows,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.session_title === 'alice session' || r.session_title === 'renamed')).toBe(true);
    expect(await count(asBob, 'chat_history')).toBe(0);
    expect(await attempt(anon, (tx) => tx.query(`select * from chat_history`))).toBe('42501');
    expect(await count(service, 'chat_history')).toBeGreaterThan(0);
  });
});

describe('music_knowledge', () => {
  it('everyone reads it; only the service role writes', async () => {
    const n = fixtureKnowledge().length;
    expect(await count(anon, 'music_knowledge')).toBe(n);
    expect(await count(asAlice, 'music_knowledge')).toBe(n);
    const ins = `insert into music_knowledge (id, topic, category, title, body) values ('x.y', 'topic', 'eq', 'A title', 'body')`;
    expect(await attempt(anon, (tx) => tx.query(ins))).toBe('42501');
    expect(await attempt(asAlice, (tx) => tx.query(ins))).toBe('42501');
    expect(await attempt(asAlice, (tx) => tx.query(`update music_knowledge set title = 'vandalised'`))).toBe('42501');
    expect(await attempt(service, (tx) => tx.query(ins))).toBe('ok:1');
  });

  it('ranked search works for anon through the SQL function', async () => {
    const hits = await asCaller(
      db,
      anon,
      async (tx) =>
        (
          await tx.query<{ id: string; score: number }>(
            `select id, score from codette_search_knowledge('punchy kick drum')`,
          )
        ).rows,
    );
    expect(hits[0]).toEqual({ id: 'eq.kick-punch', score: 1 });
  });
});

describe.each(['api_metrics', 'applied_client_ids'])('%s (service role only)', (table) => {
  const ins =
    table === 'api_metrics'
      ? `insert into api_metrics (route, method, status, duration_ms) values ('/y', 'GET', 200, 1)`
      : `insert into applied_client_ids (client_id, result) values ('op-${randomUUID()}', '{}')`;
  it('anon and users can neither read nor write; the service role can', async () => {
    for (const caller of [anon, asAlice]) {
      expect(await attempt(caller, (tx) => tx.query(`select * from ${table}`))).toBe('42501');
      expect(await attempt(caller, (tx) => tx.query(ins))).toBe('42501');
    }
    expect(await attempt(service, (tx) => tx.query(ins))).toBe('ok:1');
    expect(await count(service, table)).toBeGreaterThan(1);
  });
});

describe('the RPC functions keep the same walls', () => {
  it('a user acts only as themselves; anon not at all; service-only functions refuse users', async () => {
    const call = (caller: Caller, sql: string, params: unknown[] = []) =>
      attempt(caller, (tx) => tx.query(sql, params));
    expect(await call(asBob, `select codette_create_session($1, 'mine')`, [bob])).toMatch(/^ok/);
    expect(await call(asBob, `select codette_create_session($1, 'hers')`, [alice])).toBe('42501');
    expect(await call(asBob, `select codette_list_messages(null, $1)`, [sessionId])).toBe('P0002'); // not found, not leaked
    expect(await call(anon, `select codette_list_sessions($1)`, [alice])).toBe('42501');
    expect(await call(asAlice, `select codette_write_metrics('[]')`)).toBe('42501');
    expect(await call(asAlice, `select codette_upsert_knowledge('[]')`)).toBe('42501');
    expect(await call(asAlice, `select codette_table_status()`)).toBe('42501');
    const listed = await asCaller(
      db,
      service,
      async (tx) => (await tx.query<{ s: unknown[] }>(`select codette_list_sessions($1) as s`, [alice])).rows[0]!.s,
    );
    expect(listed.length).toBeGreaterThan(0);
  });
});

describe('the policies the embedded store declares', () => {
  it('match what PostgreSQL holds after the migrations', async () => {
    const live = await asCaller(
      db,
      service,
      async (tx) => (await tx.query<{ t: unknown }>(`select codette_rls_policies() as t`)).rows[0]!.t,
    );
    const shape = (tables: readonly RlsTable[]) =>
      tables.map((t) => ({
        table: t.table,
        kind: t.kind,
        rls_enabled: t.rls_enabled,
        security_invoker: t.security_invoker,
        policies: t.policies.map((p) => ({ name: p.name, command: p.command, roles: [...p.roles].sort() })),
      }));
    expect(shape(RlsTable.array().parse(live))).toEqual(shape(DECLARED_RLS));
  });
});
