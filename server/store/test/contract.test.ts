/**
 * One contract, two stores: the embedded SQLite store and the Supabase store (supabase-js → PostgREST
 * stand-in → PGlite with supabase/migrations, user-scoped calls running as the user under RLS).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddFeedbackResult,
  AppendMessageResult,
  ChatMessage,
  ChatSession,
  ChatSessionSummary,
  FileRecord,
  KnowledgeHit,
  RlsDiagnostics,
  TableName,
  UserExport,
} from '../../../shared/schemas/persistence';
import { ImportBody, ImportResult } from '../../../shared/schemas/backup';
import { isStoreError } from '../errors';
import { openSqliteStore } from '../sqlite/store';
import { rlsSourceOf } from '../../diagnostics/rls';
import { SupabaseStore } from '../supabase/store';
import type { CodetteStore } from '../types';
import { fixtureKnowledge } from './fixtures';
import { addAuthUser, createSupabaseLikePg } from './pg-harness';
import { startPostgrestStandIn, type StandIn } from './postgrest-standin';

const knowledge = fixtureKnowledge();
const sortedById = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
const tmp = mkdtempSync(join(tmpdir(), 'codette-contract-'));
let pg: PGlite;
let standIn: StandIn;

beforeAll(async () => {
  pg = await createSupabaseLikePg();
  standIn = await startPostgrestStandIn(pg);
});
afterAll(async () => {
  await standIn?.close();
  await pg?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Harness {
  name: 'sqlite' | 'supabase';
  label: string;
  /** A fresh store handle on this engine's database (same data each call). */
  open(opts?: { clientIdTtlMs?: number; flushEveryMs?: number }): Promise<CodetteStore>;
  /** A user the database knows (Supabase: a row in auth.users, as after sign-up). */
  newUser(): Promise<string>;
}

const sqlitePath = join(tmp, 'codette.db');
const harnesses: Harness[] = [
  {
    name: 'sqlite',
    label: 'sqlite (embedded)',
    open: (o) =>
      openSqliteStore({
        path: sqlitePath,
        knowledge,
        clientIdTtlMs: o?.clientIdTtlMs,
        metrics: { flushEveryMs: o?.flushEveryMs ?? 60_000 },
      }),
    newUser: async () => randomUUID(),
  },
  {
    name: 'supabase',
    label: 'supabase (user calls as the user, under RLS)',
    open: async (o) => {
      const s = new SupabaseStore({
        url: standIn.url,
        serviceRoleKey: standIn.serviceRoleKey,
        jwtSecret: standIn.jwtSecret,
        clientIdTtlMs: o?.clientIdTtlMs,
        metrics: { flushEveryMs: o?.flushEveryMs ?? 60_000 },
      });
      if ((await s.countKnowledge()) === 0) await s.upsertKnowledge(knowledge);
      return s;
    },
    newUser: async () => {
      const id = randomUUID();
      await addAuthUser(pg, id);
      return id;
    },
  },
  {
    name: 'supabase',
    label: 'supabase (no JWT secret: service role, scoped by p_user_id)',
    open: async (o) => {
      const s = new SupabaseStore({
        url: standIn.url,
        serviceRoleKey: standIn.serviceRoleKey,
        clientIdTtlMs: o?.clientIdTtlMs,
        metrics: { flushEveryMs: o?.flushEveryMs ?? 60_000 },
      });
      if ((await s.countKnowledge()) === 0) await s.upsertKnowledge(knowledge);
      return s;
    },
    newUser: async () => {
      const id = randomUUID();
      await addAuthUser(pg, id);
      return id;
    },
  },
];

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(isStoreError(e), `expected StoreError ${code}, got ${String(e)}`).toBe(true);
  expect((e as { code: string }).code).toBe(code);
}

describe.each(harnesses)('$label store contract', (h) => {
  let store: CodetteStore;
  beforeAll(async () => {
    store = await h.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('answers ping and names its kind', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.kind).toBe(h.name);
    if (store instanceof SupabaseStore)
      expect(store.userScoping).toBe(h.label.includes('under RLS') ? 'user_jwt' : 'service_role');
    expect(store.location).toBeTruthy();
  });

  describe('knowledge', () => {
    it('holds the fixture entries and returns one by id', async () => {
      expect(await store.countKnowledge()).toBe(knowledge.length);
      expect(await store.getKnowledge('eq.kick-punch')).toEqual(knowledge.find((k) => k.id === 'eq.kick-punch'));
      expect(await store.getKnowledge('no.such-entry')).toBeNull();
    });

    it.each([
      ['how do I make my kick punchier', 'eq.kick-punch'],
      ['vocal compressor ratio', 'compression.vocal-leveling'],
      ['plate reverb on vocals', 'reverb.vocal-space'],
      ['LUFS for Spotify streaming', 'mastering.loudness-streaming'],
      ['my mix sounds muddy', 'mix-problems.muddy-low-mids'],
    ])('ranks %j with %s first (stemming, weights)', async (q, top) => {
      const hits = await store.searchKnowledge(q);
      expect(hits[0]?.id).toBe(top);
    });

    it('returns ranked hits with scores normalised to the best hit (1) and valid shapes', async () => {
      const hits = await store.searchKnowledge('vocal kick', { limit: 10 });
      expect(hits.length).toBeGreaterThan(2);
      for (const hit of hits) KnowledgeHit.parse(hit);
      expect(hits[0]?.score).toBe(1);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      expect(hits.every((x) => x.score > 0 && x.score <= 1)).toBe(true);
    });

    it('filters by category and limit, and survives empty or hostile queries', async () => {
      const vocal = await store.searchKnowledge('vocal', { category: 'reverb_delay' });
      expect(vocal.map((x) => x.id)).toEqual(['reverb.vocal-space']);
      expect(await store.searchKnowledge('vocal', { limit: 1 })).toHaveLength(1);
      expect(await store.searchKnowledge('')).toEqual([]);
      expect(await store.searchKnowledge('the and of')).toEqual([]);
      await expect(store.searchKnowledge('"kick" OR NEAR( title:* -) \' ; drop table')).resolves.toBeInstanceOf(Array);
    });

    it('upserts: unchanged entries write nothing, a change is searchable at once', async () => {
      expect(await store.upsertKnowledge(knowledge)).toBe(0);
      const base = knowledge.find((k) => k.id === 'gain-staging.headroom')!;
      expect(await store.upsertKnowledge([{ ...base, title: 'Leaving headroom for the zyxwv limiter' }])).toBe(1);
      expect((await store.searchKnowledge('zyxwv'))[0]?.id).toBe('gain-staging.headroom');
      await store.upsertKnowledge([base]);
      expect(await store.searchKnowledge('zyxwv')).toEqual([]);
    });
  });

  describe('chat', () => {
    it('creates sessions, appends messages, lists them with counts, newest first', async () => {
      const u = await h.newUser();
      const s1 = ChatSession.parse(await store.createSession(u, {}));
      expect(s1.title).toBe('New session');
      const s2 = await store.createSession(u, { title: 'Mixing the chorus', perspective: 'mix_engineer' });
      expect(s2.perspective).toBe('mix_engineer');
      const m1 = AppendMessageResult.parse(
        await store.appendMessage(u, { session_id: s1.id, role: 'user', content: 'Kick too quiet?' }),
      );
      expect(m1.created).toBe(true);
      await store.appendMessage(u, {
        session_id: s1.id,
        role: 'assistant',
        content: 'Boost 60 Hz.',
        perspective: 'mix_engineer',
        confidence: 0.8,
        sources: [{ id: 'eq.kick-punch', score: 1 }],
        actions: [{ type: 'eq', band: 1 }],
        metadata: { model: 'codette', tokens: 12 },
      });
      const sessions = await store.listSessions(u);
      expect(sessions.map((s) => s.id)).toEqual([s1.id, s2.id]); // s1 has the latest message
      for (const s of sessions) ChatSessionSummary.parse(s);
      expect(sessions[0]).toMatchObject({ message_count: 2 });
      expect(sessions[1]).toMatchObject({ message_count: 0, last_message_at: null });
      const messages = await store.listMessages(u, s1.id);
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      for (const m of messages) ChatMessage.parse(m);
      expect(messages[1]).toMatchObject({
        confidence: expect.closeTo(0.8, 5),
        sources: [{ id: 'eq.kick-punch', score: 1 }],
        metadata: { model: 'codette', tokens: 12 },
      });
      expect(sessions[0]!.last_message_at).toBe(messages[1]!.created_at);
    });

    it('is idempotent on client_id: a resend returns the stored message and writes nothing', async () => {
      const u = await h.newUser();
      const s = await store.createSession(u);
      const first = await store.appendMessage(u, {
        session_id: s.id,
        role: 'user',
        content: 'hello',
        client_id: 'outbox-1',
      });
      const again = await store.appendMessage(u, {
        session_id: s.id,
        role: 'user',
        content: 'hello (resent)',
        client_id: 'outbox-1',
      });
      expect(again.created).toBe(false);
      expect(again.message).toEqual(first.message);
      expect(await store.listMessages(u, s.id)).toHaveLength(1);
      // client ids are per user: another user may use the same one
      const v = await h.newUser();
      const sv = await store.createSession(v);
      expect(
        (await store.appendMessage(v, { session_id: sv.id, role: 'user', content: 'x', client_id: 'outbox-1' }))
          .created,
      ).toBe(true);
    });

    it('shows another user none of it and lets them change nothing', async () => {
      const owner = await h.newUser();
      const other = await h.newUser();
      const s = await store.createSession(owner, { title: 'private' });
      const { message } = await store.appendMessage(owner, { session_id: s.id, role: 'user', content: 'secret' });
      await store.recordFile(owner, { name: 'mix.wav', mime_type: 'audio/wav', size_bytes: 10, session_id: s.id });
      expect(await store.listSessions(other)).toEqual([]);
      expect(await store.listFiles(other)).toEqual([]);
      await rejectsWith(store.listMessages(other, s.id), 'not_found');
      await rejectsWith(
        store.appendMessage(other, { session_id: s.id, role: 'user', content: 'intrude' }),
        'not_found',
      );
      await rejectsWith(store.addFeedback(other, { message_id: message.id, rating: 'down' }), 'not_found');
      await rejectsWith(
        store.recordFile(other, { name: 'x', mime_type: 'a/b', size_bytes: 1, session_id: s.id }),
        'not_found',
      );
      expect(await store.deleteSession(other, s.id)).toBe(false);
      const exp = await store.exportUserData(other);
      expect([exp.sessions, exp.messages, exp.feedback, exp.files]).toEqual([[], [], [], []]);
      expect(await store.listMessages(owner, s.id)).toHaveLength(1);
    });

    it('deletes a session with its messages and their feedback; files stay, unlinked', async () => {
      const u = await h.newUser();
      const s = await store.createSession(u);
      const { message } = await store.appendMessage(u, { session_id: s.id, role: 'assistant', content: 'a' });
      await store.addFeedback(u, { message_id: message.id, rating: 1 });
      const file = await store.recordFile(u, {
        name: 'a.wav',
        mime_type: 'audio/wav',
        size_bytes: 5,
        session_id: s.id,
      });
      expect(await store.deleteSession(u, s.id)).toBe(true);
      expect(await store.deleteSession(u, s.id)).toBe(false);
      await rejectsWith(store.listMessages(u, s.id), 'not_found');
      const exp = await store.exportUserData(u);
      expect(exp.messages).toEqual([]);
      expect(exp.feedback).toEqual([]);
      expect(exp.files).toEqual([{ ...file, session_id: null }]);
    });
  });

  describe('feedback, files, export', () => {
    it('stores feedback as ±1, idempotent on client_id', async () => {
      const u = await h.newUser();
      const s = await store.createSession(u);
      const { message } = await store.appendMessage(u, {
        session_id: s.id,
        role: 'assistant',
        content: 'try a 3:1 ratio',
      });
      const up = AddFeedbackResult.parse(
        await store.addFeedback(u, { message_id: message.id, rating: 'up', comment: 'helpful', client_id: 'fb-1' }),
      );
      expect(up.feedback).toMatchObject({ rating: 1, comment: 'helpful', client_id: 'fb-1', message_id: message.id });
      const again = await store.addFeedback(u, { message_id: message.id, rating: 'down', client_id: 'fb-1' });
      expect(again).toEqual({ feedback: up.feedback, created: false });
      expect((await store.addFeedback(u, { message_id: message.id, rating: -1 })).feedback.rating).toBe(-1);
      await rejectsWith(store.addFeedback(u, { message_id: randomUUID(), rating: 'up' }), 'not_found');
      expect((await store.exportUserData(u)).feedback).toHaveLength(2);
    });

    it('records files and lists them newest first', async () => {
      const u = await h.newUser();
      const a = FileRecord.parse(
        await store.recordFile(u, {
          name: 'stem.wav',
          mime_type: 'audio/wav',
          size_bytes: 1234,
          sha256: 'a'.repeat(64),
          metadata: { sample_rate: 48000 },
        }),
      );
      await new Promise((r) => setTimeout(r, 5));
      const b = await store.recordFile(u, {
        name: 'notes.txt',
        mime_type: 'text/plain',
        size_bytes: 0,
        storage_path: 'uploads/notes.txt',
      });
      expect(a).toMatchObject({
        session_id: null,
        sha256: 'a'.repeat(64),
        metadata: { sample_rate: 48000 },
        storage_path: null,
      });
      expect((await store.listFiles(u)).map((f) => f.id)).toEqual([b.id, a.id]);
    });

    it('lists sessions and files in keyset pages that cover everything once, newest first', async () => {
      const u = await h.newUser();
      const sessions = [];
      for (let i = 0; i < 7; i++) sessions.push(await store.createSession(u, { title: `s${i}` }));
      const files = [];
      for (let i = 0; i < 5; i++)
        files.push(await store.recordFile(u, { name: `f${i}.wav`, mime_type: 'audio/wav', size_bytes: i }));
      // Activity moves a session to the front.
      await new Promise((r) => setTimeout(r, 5));
      await store.appendMessage(u, { session_id: sessions[2]!.id, role: 'user', content: 'back to this one' });
      const all = await store.listSessions(u);
      expect(all).toHaveLength(7);
      expect(all[0]!.id).toBe(sessions[2]!.id);
      const paged: string[] = [];
      let before: { at: string; id: string } | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const page = await store.listSessions(u, { limit: 3, ...(before ? { before } : {}) });
        expect(page.length).toBeLessThanOrEqual(3);
        paged.push(...page.map((s) => s.id));
        if (page.length < 3) break;
        before = { at: page.at(-1)!.updated_at, id: page.at(-1)!.id };
      }
      expect(paged).toEqual(all.map((s) => s.id));
      const allFiles = await store.listFiles(u);
      expect(allFiles.map((f) => f.id).sort()).toEqual(files.map((f) => f.id).sort());
      const times = allFiles.map((f) => Date.parse(f.created_at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const first = await store.listFiles(u, { limit: 2 });
      const second = await store.listFiles(u, { limit: 2, before: { at: first[1]!.created_at, id: first[1]!.id } });
      const third = await store.listFiles(u, { limit: 2, before: { at: second[1]!.created_at, id: second[1]!.id } });
      expect([...first, ...second, ...third].map((f) => f.id)).toEqual(allFiles.map((f) => f.id));
      expect(third).toHaveLength(1);
    });

    it('exports everything of one user as one JSON object', async () => {
      const u = await h.newUser();
      const s = await store.createSession(u, { title: 'export me' });
      const { message } = await store.appendMessage(u, { session_id: s.id, role: 'user', content: 'q' });
      await store.addFeedback(u, { message_id: message.id, rating: 'up' });
      await store.recordFile(u, { name: 'f', mime_type: 'a/b', size_bytes: 1 });
      const exp = UserExport.parse(await store.exportUserData(u));
      expect(exp.user_id).toBe(u);
      expect(exp.sessions).toEqual([{ ...s, updated_at: expect.any(String) }]); // a message touches updated_at
      expect(exp.sessions[0]!.updated_at >= s.updated_at).toBe(true);
      expect(exp.messages).toEqual([message]);
      expect(exp.feedback).toHaveLength(1);
      expect(exp.files).toHaveLength(1);
      expect(JSON.parse(JSON.stringify(exp))).toEqual(exp);
    });

    it('imports an export into another user: the re-export is equal, a second import adds nothing', async () => {
      const from = await h.newUser();
      const s1 = await store.createSession(from, { title: 'round trip', perspective: 'mix_engineering' });
      const s2 = await store.createSession(from, { title: 'second' });
      const { message: q } = await store.appendMessage(from, {
        session_id: s1.id,
        role: 'user',
        content: 'how loud?',
        client_id: `c-${from}`,
      });
      const { message: a } = await store.appendMessage(from, {
        session_id: s1.id,
        role: 'assistant',
        content: 'about -14 LUFS',
        confidence: 0.8,
        sources: [{ id: 'k1' }],
        actions: [{ type: 'seek', bar: 2 }],
        metadata: { engine: 'local' },
      });
      await store.appendMessage(from, { session_id: s2.id, role: 'user', content: 'other' });
      await store.addFeedback(from, { message_id: a.id, rating: 'down', comment: 'too quiet' });
      await store.recordFile(from, {
        name: 'mix.wav',
        mime_type: 'audio/wav',
        size_bytes: 44,
        session_id: s1.id,
        metadata: { lufs: -14 },
      });
      await store.recordFile(from, { name: 'loose.txt', mime_type: 'text/plain', size_bytes: 3 });
      const exported = await store.exportUserData(from);
      expect(exported.messages.map((m) => m.id)).toEqual([q.id, a.id, expect.any(String)]);

      // The same database holds `from`'s rows under these ids: the copy for `to` gets fresh ones, the rest unchanged.
      const fresh = new Map<string, string>();
      const swap = (id: string) => fresh.get(id) ?? fresh.set(id, randomUUID()).get(id)!;
      const copy: UserExport = {
        ...exported,
        sessions: exported.sessions.map((x) => ({ ...x, id: swap(x.id) })),
        messages: exported.messages.map((x) => ({ ...x, id: swap(x.id), session_id: swap(x.session_id) })),
        feedback: exported.feedback.map((x) => ({ ...x, id: swap(x.id), message_id: swap(x.message_id) })),
        files: exported.files.map((x) => ({ ...x, id: swap(x.id), session_id: x.session_id && swap(x.session_id) })),
      };
      const to = await h.newUser();
      const first = ImportResult.parse(await store.importUserData(to, ImportBody.parse(copy)));
      expect(first).toEqual({
        imported: { sessions: 2, messages: 3, feedback: 1, files: 2 },
        skipped: { sessions: 0, messages: 0, feedback: 0, files: 0 },
      });
      const again = await store.exportUserData(to);
      // Rows made in the same millisecond are ordered by id, which the fresh ids change: compare those as sets.
      const rows = (e: UserExport) => ({
        ...e,
        user_id: '',
        exported_at: '',
        sessions: sortedById(e.sessions),
        feedback: sortedById(e.feedback),
        files: sortedById(e.files),
      });
      expect(rows(again)).toEqual(rows(copy));
      expect((await store.listMessages(to, swap(s1.id))).map((m) => m.content)).toEqual([
        'how loud?',
        'about -14 LUFS',
      ]);

      const second = await store.importUserData(to, ImportBody.parse(copy));
      expect(second).toEqual({
        imported: { sessions: 0, messages: 0, feedback: 0, files: 0 },
        skipped: { sessions: 2, messages: 3, feedback: 1, files: 2 },
      });
      expect(rows(await store.exportUserData(to))).toEqual(rows(copy));
    });

    it("an import never attaches rows to another user's session", async () => {
      const owner = await h.newUser();
      const s = await store.createSession(owner, { title: 'mine' });
      const intruder = await h.newUser();
      const forged = ImportBody.parse({
        user_id: intruder,
        exported_at: new Date().toISOString(),
        sessions: [{ ...s, title: 'taken over' }],
        messages: [
          {
            id: randomUUID(),
            session_id: s.id,
            role: 'user',
            content: 'planted',
            client_id: null,
            perspective: null,
            confidence: null,
            sources: [],
            actions: [],
            metadata: {},
            created_at: new Date().toISOString(),
          },
        ],
        feedback: [],
        files: [],
      });
      const result = await store.importUserData(intruder, forged);
      expect(result.imported).toEqual({ sessions: 0, messages: 0, feedback: 0, files: 0 });
      expect(await store.listMessages(owner, s.id)).toEqual([]);
      expect((await store.listSessions(owner))[0]!.title).toBe('mine');
      expect(await store.listSessions(intruder)).toEqual([]);
    });
  });

  describe('metrics, client ids, diagnostics', () => {
    it('writes metrics in batches: recordMetric never writes per call, close() flushes', async () => {
      const before = (await store.tableStatus()).find((t) => t.table === 'api_metrics')!.rows!;
      expect(
        await store.writeMetrics([
          {
            route: '/api/chat',
            method: 'POST',
            status: 200,
            duration_ms: 12.5,
            user_id: 'local',
            meta: { cached: false },
          },
        ]),
      ).toBe(1);
      const other = await h.open({ flushEveryMs: 60_000 });
      const callsBefore = standIn.calls.get('codette_write_metrics') ?? 0;
      for (let i = 0; i < 450; i++)
        other.recordMetric({ route: '/health', method: 'GET', status: 200, duration_ms: i % 7 });
      await other.close(); // flushes
      const after = (await store.tableStatus()).find((t) => t.table === 'api_metrics')!.rows!;
      expect(after - before).toBe(451);
      if (h.name === 'supabase') expect((standIn.calls.get('codette_write_metrics') ?? 0) - callsBefore).toBe(3); // 200 + 200 + 50
    });

    it('remembers applied client ids across handles, keeps the first result, forgets after the TTL', async () => {
      const id = `op-${randomUUID()}`;
      expect(await store.lookupClientId(id)).toBeNull();
      await store.rememberClientId(id, { ok: true, message_id: 'm1' });
      await store.rememberClientId(id, { ok: false });
      const reopened = await h.open();
      expect(await reopened.lookupClientId(id)).toEqual({ ok: true, message_id: 'm1' });
      await reopened.close();
      const shortLived = await h.open({ clientIdTtlMs: 1000 });
      await store.rememberClientId(`${id}-b`, 1);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await shortLived.lookupClientId(`${id}-b`)).toBeNull();
      await shortLived.close();
    });

    it('probes the seven tables and describes row-level security', async () => {
      const status = await store.tableStatus();
      expect(status.map((t) => t.table)).toEqual(TableName.options);
      expect(status.every((t) => t.ok && typeof t.rows === 'number')).toBe(true);
      expect(status.find((t) => t.table === 'music_knowledge')!.rows).toBe(knowledge.length);
      const rls = RlsDiagnostics.parse(await rlsSourceOf(store).rlsPolicies());
      expect(rls.kind).toBe(h.name);
      expect(rls.source).toBe(h.name === 'sqlite' ? 'declared' : 'postgres');
      const byTable = new Map(rls.tables.map((t) => [t.table, t]));
      for (const t of [
        'music_knowledge',
        'chat_sessions',
        'messages',
        'user_feedback',
        'api_metrics',
        'codette_files',
      ]) {
        expect(byTable.get(t)?.rls_enabled, t).toBe(true);
      }
      expect(byTable.get('chat_history')).toMatchObject({ kind: 'view', security_invoker: true });
      expect(byTable.get('api_metrics')?.policies).toEqual([]);
    });
  });

  it('50 concurrent writers finish with no error and no lost row', async () => {
    const u = await h.newUser();
    const s = await store.createSession(u, { title: 'concurrency' });
    const perWriter = 4;
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await store.appendMessage(u, {
            session_id: s.id,
            role: 'user',
            content: `w${w} m${i}`,
            client_id: `w${w}-m${i}`,
          });
        }
        // the outbox resends its last message while the others still write
        return store.appendMessage(u, {
          session_id: s.id,
          role: 'user',
          content: 'dup',
          client_id: `w${w}-m${perWriter - 1}`,
        });
      }),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed, String((failed[0] as PromiseRejectedResult | undefined)?.reason)).toEqual([]);
    const messages = await store.listMessages(u, s.id);
    expect(messages).toHaveLength(50 * perWriter);
    expect(new Set(messages.map((m) => m.content)).size).toBe(50 * perWriter);
    expect((await store.listSessions(u))[0]!.message_count).toBe(50 * perWriter);
  });
});
