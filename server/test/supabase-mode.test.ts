import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAuthUser, createSupabaseLikePg } from '../store/test/pg-harness';
import { startPostgrestStandIn, type StandIn } from '../store/test/postgrest-standin';
import { startTestServer, postJson, type TestServer } from './helpers';
import { ACCESS_TOKEN_HEADER } from '../users';
import { RlsDiagnostics, DatabaseDiagnostics } from '../../shared/schemas/persistence';

/**
 * The whole server in Supabase mode: real PostgreSQL (PGlite) behind the PostgREST stand-in, so that the routes,
 * the token check and row-level security work together as they would against a hosted project.
 */
let pg: PGlite;
let standIn: StandIn;
let server: TestServer;
const alice = randomUUID();
const bob = randomUUID();

async function userToken(sub: string, secret = standIn.jwtSecret): Promise<string> {
  return new SignJWT({ sub, role: 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(`${standIn.url}/auth/v1`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}
const as = async (sub: string) => ({ [ACCESS_TOKEN_HEADER]: await userToken(sub) });

beforeAll(async () => {
  pg = await createSupabaseLikePg();
  standIn = await startPostgrestStandIn(pg);
  await addAuthUser(pg, alice);
  await addAuthUser(pg, bob);
  server = await startTestServer({
    SUPABASE_URL: standIn.url,
    SUPABASE_SERVICE_ROLE_KEY: standIn.serviceRoleKey,
    SUPABASE_ANON_KEY: standIn.anonKey,
    SUPABASE_JWT_SECRET: standIn.jwtSecret,
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await standIn?.close();
  await pg?.close();
});

describe('the server on Supabase', () => {
  it('uses the Supabase store, fills the knowledge, and reports it healthy', async () => {
    const health = await server.json<{ database: { kind: string; ok: boolean } }>('/health');
    expect(health.body.database).toMatchObject({ kind: 'supabase', ok: true });
    const db = DatabaseDiagnostics.parse((await server.json('/api/diagnostics/database')).body);
    expect(db.tables.every((t) => t.ok)).toBe(true);
    expect(db.tables.find((t) => t.table === 'music_knowledge')!.rows).toBeGreaterThanOrEqual(300);
  });

  it('asks for a sign-in when a user route has no access token, and refuses a forged one', async () => {
    const none = await server.json<{ error: { code: string } }>('/codette/sessions');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('sign_in_required');
    const forged = await server.fetch('/codette/sessions', {
      headers: { [ACCESS_TOKEN_HEADER]: await userToken(alice, 'another-secret-of-at-least-32-characters!!') },
    });
    expect(forged.status).toBe(401);
  });

  it('scopes sessions, messages, feedback and files to the signed-in user', async () => {
    const session = await server.services.store.createSession(alice, { title: 'Alice mix' });
    const msg = await server.services.store.appendMessage(alice, {
      session_id: session.id,
      role: 'assistant',
      content: 'Try a 3 dB cut at 300 Hz.',
    });
    const aliceList = await server.json<{ sessions: { id: string }[] }>('/codette/sessions', {
      headers: await as(alice),
    });
    expect(aliceList.body.sessions.map((s) => s.id)).toContain(session.id);
    const bobList = await server.json<{ sessions: unknown[] }>('/codette/sessions', { headers: await as(bob) });
    expect(bobList.body.sessions).toHaveLength(0);
    expect((await server.fetch(`/codette/sessions/${session.id}/messages`, { headers: await as(bob) })).status).toBe(
      404,
    );

    const fb = await server.fetch(
      '/codette/feedback',
      postJson({ message_id: msg.message.id, rating: 'up' }, await as(alice)),
    );
    expect(fb.status).toBe(200);
    expect(
      (await server.fetch('/codette/feedback', postJson({ message_id: msg.message.id, rating: 'down' }, await as(bob))))
        .status,
    ).toBe(404);

    const up = await server.fetch('/codette/files?name=idea.txt', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...(await as(alice)) },
      body: 'hook idea',
    });
    expect(up.status).toBe(200);
    const bobFiles = await server.json<{ files: unknown[] }>('/codette/files', { headers: await as(bob) });
    expect(bobFiles.body.files).toHaveLength(0);
  });

  it("exports a user's data and imports it back over HTTP (the second import adds nothing); no local backups", async () => {
    const carol = randomUUID();
    await addAuthUser(pg, carol);
    const session = await server.services.store.createSession(carol, { title: 'Carol master' });
    await server.services.store.appendMessage(carol, {
      session_id: session.id,
      role: 'user',
      content: 'how loud for Spotify?',
    });
    const exported = await (await server.fetch('/codette/export', { headers: await as(carol) })).text();
    await server.services.store.deleteSession(carol, session.id);
    const importAs = async () =>
      server.json<{ imported: { sessions: number; messages: number } }>('/codette/import', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await as(carol)) },
        body: exported,
      });
    const first = await importAs();
    expect(first.status).toBe(200);
    expect(first.body.imported).toMatchObject({ sessions: 1, messages: 1 });
    expect((await importAs()).body.imported).toMatchObject({ sessions: 0, messages: 0 });
    const again = JSON.parse(await (await server.fetch('/codette/export', { headers: await as(carol) })).text()) as {
      sessions: unknown[];
      messages: unknown[];
    };
    expect(again.sessions).toEqual((JSON.parse(exported) as { sessions: unknown[] }).sessions);
    expect(
      (
        await server.fetch('/codette/import', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: exported,
        })
      ).status,
    ).toBe(401);
    const status = (await server.json<{ backup: { mode: string; last: unknown } }>('/api/diagnostics/status')).body;
    expect(status.backup).toMatchObject({ mode: 'supabase', last: null });
  });

  it("reads row-level security live from PostgreSQL with the server key's role", async () => {
    const body = RlsDiagnostics.extend({})
      .passthrough()
      .parse((await server.json('/api/diagnostics/rls-policies')).body);
    expect(body.source).toBe('postgres');
    expect((body as unknown as { server_key_role: string }).server_key_role).toBe('service_role');
    expect(body.tables.filter((t) => t.kind === 'table').every((t) => t.rls_enabled)).toBe(true);
  });
});
