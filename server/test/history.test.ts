import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { startTestServer, postJson, type TestServer } from './helpers';
import {
  ChatMessage,
  ChatSessionSummary,
  DatabaseDiagnostics,
  FileRecord,
  RlsDiagnostics,
  UserExport,
} from '../../shared/schemas/persistence';
import { Health } from '../../shared/schemas/service';
import { LOCAL_USER_ID } from '../users';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_UPLOAD_LIMIT: '64kb' });
});
afterAll(() => server.close());

/** A tiny but real 16-bit mono WAV. */
function wavBytes(samples = 200): Buffer {
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin(i / 5) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(48000, 24);
  header.writeUInt32LE(96000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

async function seedSession() {
  const session = await server.services.store.createSession(LOCAL_USER_ID, { title: 'Kick and bass' });
  const q = await server.services.store.appendMessage(LOCAL_USER_ID, {
    session_id: session.id,
    role: 'user',
    content: 'how do I fix kick and bass masking?',
  });
  const a = await server.services.store.appendMessage(LOCAL_USER_ID, {
    session_id: session.id,
    role: 'assistant',
    content: 'Carve a dip…',
    confidence: 0.8,
  });
  return { session, question: q.message, answer: a.message };
}

describe('history routes', () => {
  it("lists sessions with counts and returns a session's messages in order", async () => {
    const { session } = await seedSession();
    const list = z
      .object({ sessions: z.array(ChatSessionSummary) })
      .parse((await server.json('/codette/sessions')).body);
    expect(list.sessions.find((s) => s.id === session.id)?.message_count).toBe(2);
    const { status, body } = await server.json(`/codette/sessions/${session.id}/messages`);
    expect(status).toBe(200);
    const messages = z.object({ messages: z.array(ChatMessage) }).parse(body).messages;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('pages the session list: limit, then before=next_before, until next_before is null; a bad cursor or limit is a 400 naming it', async () => {
    for (let i = 0; i < 5; i++) await seedSession();
    const Page = z.object({ sessions: z.array(ChatSessionSummary), next_before: z.string().nullable() });
    const everything = Page.parse((await server.json('/codette/sessions?limit=200')).body);
    expect(everything.sessions.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    let url = '/codette/sessions?limit=2';
    for (let guard = 0; guard < 200; guard++) {
      const page = Page.parse((await server.json(url)).body);
      expect(page.sessions.length).toBeLessThanOrEqual(2);
      seen.push(...page.sessions.map((s) => s.id));
      if (page.next_before === null) break;
      url = `/codette/sessions?limit=2&before=${page.next_before}`;
    }
    expect(seen).toEqual(everything.sessions.map((s) => s.id));
    const defaultPage = Page.parse((await server.json('/codette/sessions')).body);
    expect(defaultPage.sessions.length).toBe(Math.min(50, everything.sessions.length));
    for (const bad of ['before=not%20a%20cursor', 'before=AAAAAAAAAAAA', 'limit=0', 'limit=201']) {
      const res = await server.json<{ error: { code: string; message: string } }>(`/codette/sessions?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.message).toMatch(bad.startsWith('limit') ? /limit/ : /before/);
    }
    const files = z
      .object({ files: z.array(FileRecord), next_before: z.string().nullable() })
      .parse((await server.json('/codette/files?limit=1')).body);
    expect(files.files.length).toBeLessThanOrEqual(1);
  });

  it('answers 400 for a session id that is not a uuid and 404 for an unknown one', async () => {
    expect((await server.fetch('/codette/sessions/not-a-uuid/messages')).status).toBe(400);
    expect((await server.fetch('/codette/sessions/00000000-0000-4000-8000-000000000000/messages')).status).toBe(404);
  });

  it('stores feedback once per client id', async () => {
    const { answer } = await seedSession();
    const body = { message_id: answer.id, rating: 'up', comment: 'spot on', client_id: 'fb-1' };
    const first = await server.json<{ created: boolean }>('/codette/feedback', postJson(body));
    const again = await server.json<{ created: boolean }>('/codette/feedback', postJson(body));
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(true);
    expect(again.body.created).toBe(false);
    const bad = await server.json<{ error: { message: string } }>(
      '/codette/feedback',
      postJson({ message_id: answer.id, rating: 'meh' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('rating');
  });

  it('takes 50 concurrent writers over HTTP with no error and no lost row', async () => {
    const { answer } = await seedSession();
    const writes = Array.from({ length: 50 }, (_, i) =>
      i % 2
        ? server.fetch('/codette/feedback', postJson({ message_id: answer.id, rating: 'down', client_id: `conc-${i}` }))
        : server.fetch(`/codette/files?name=part-${i}.txt`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: `part ${i}`,
          }),
    );
    const statuses = (await Promise.all(writes)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const exported = UserExport.parse(await (await server.fetch('/codette/export')).json());
    expect(exported.feedback.filter((f) => f.message_id === answer.id)).toHaveLength(25);
    for (let i = 0; i < 50; i += 2)
      expect(
        exported.files.some((f) => f.name === `part-${i}.txt`),
        `part-${i}`,
      ).toBe(true);
  });

  it('deletes a session with its messages', async () => {
    const { session } = await seedSession();
    expect((await server.fetch(`/codette/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await server.fetch(`/codette/sessions/${session.id}/messages`)).status).toBe(404);
    expect((await server.fetch(`/codette/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('files', () => {
  it('keeps an uploaded file in the data directory and records it with its hash', async () => {
    const bytes = wavBytes();
    const res = await server.fetch('/codette/files?name=take%201.wav', {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: new Uint8Array(bytes),
    });
    expect(res.status).toBe(200);
    const record = FileRecord.parse(await res.json());
    expect(record).toMatchObject({ name: 'take 1.wav', mime_type: 'audio/wav', size_bytes: bytes.length });
    expect(record.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const onDisk = readFileSync(join(server.services.settings.dataDir, record.storage_path!));
    expect(onDisk.equals(bytes)).toBe(true);
    const list = z.object({ files: z.array(FileRecord) }).parse((await server.json('/codette/files')).body);
    expect(list.files.some((f) => f.id === record.id)).toBe(true);
  });

  it('keeps a hostile file name out of the path', async () => {
    const res = await server.fetch('/codette/files?name=..%2F..%2F..%2Fetc%2Fpasswd', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    const record = FileRecord.parse(await res.json());
    expect(record.name).toBe('passwd');
    expect(record.storage_path).toMatch(/^files\/[0-9a-f-]{36}\.txt$/);
  });

  it('refuses a file whose bytes are not what its type says, an unknown type, an empty body and an oversize file', async () => {
    const mismatch = await server.json<{ error: { code: string } }>('/codette/files', {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: 'not audio at all',
    });
    expect(mismatch.status).toBe(415);
    expect(mismatch.body.error.code).toBe('content_mismatch');
    expect(
      (
        await server.fetch('/codette/files', {
          method: 'POST',
          headers: { 'content-type': 'application/zip' },
          body: 'PK',
        })
      ).status,
    ).toBe(415);
    expect(
      (await server.fetch('/codette/files', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' }))
        .status,
    ).toBe(400);
    const big = await server.fetch('/codette/files', {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: new Uint8Array(wavBytes(40_000)),
    });
    expect(big.status).toBe(413);
  });
});

describe('export and database diagnostics', () => {
  it('exports everything of the user as one JSON download', async () => {
    await seedSession();
    const res = await server.fetch('/codette/export');
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="codette-export-\d{4}-\d{2}-\d{2}\.json"/,
    );
    const data = UserExport.parse(await res.json());
    expect(data.user_id).toBe(LOCAL_USER_ID);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.messages.length).toBeGreaterThan(0);
  });

  it('probes the seven tables and counts their rows', async () => {
    const body = DatabaseDiagnostics.parse((await server.json('/api/diagnostics/database')).body);
    expect(body.kind).toBe('sqlite');
    expect(body.tables.map((t) => t.table).sort()).toEqual(
      [
        'api_metrics',
        'chat_history',
        'chat_sessions',
        'codette_files',
        'messages',
        'music_knowledge',
        'user_feedback',
      ].sort(),
    );
    expect(body.tables.every((t) => t.ok)).toBe(true);
    expect(body.tables.find((t) => t.table === 'music_knowledge')!.rows).toBeGreaterThanOrEqual(300);
  });

  it('lists the row-level security the migrations declare', async () => {
    const body = RlsDiagnostics.parse((await server.json('/api/diagnostics/rls-policies')).body);
    expect(body.source).toBe('declared');
    expect(body.tables.filter((t) => t.kind === 'table').every((t) => t.rls_enabled)).toBe(true);
  });

  it('health and status report that the database answers', async () => {
    const health = Health.parse((await server.json('/health')).body);
    expect(health.database).toMatchObject({ kind: 'sqlite', ok: true });
    const { body } = await server.json<{ database: { client_initialized: boolean; ok: boolean } }>(
      '/api/diagnostics/status',
    );
    expect(body.database).toMatchObject({ client_initialized: true, ok: true });
  });

  it('writes request metrics to api_metrics rolled up per route and status, in batches off the request path', async () => {
    const rows = async () =>
      DatabaseDiagnostics.parse((await server.json('/api/diagnostics/database')).body).tables.find(
        (t) => t.table === 'api_metrics',
      )!.rows ?? 0;
    // What earlier tests left in the roll-up lands first, so that only the 20 requests below are counted.
    server.services.metricsRollup.flush();
    const settled = Date.now() + 5000;
    let before = await rows();
    for (let same = 0; same < 2 && Date.now() < settled;) {
      await new Promise((r) => setTimeout(r, 1100));
      const now = await rows();
      same = now === before ? same + 1 : 0;
      before = now;
    }
    for (let i = 0; i < 20; i++) await server.fetch('/codette/status');
    expect(await rows()).toBe(before);
    server.services.metricsRollup.flush();
    // The rolled-up rows reach the database with the store's next batch (every 2 s), not during a request.
    const deadline = Date.now() + 5000;
    while ((await rows()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const added = (await rows()) - before;
    expect(added).toBeGreaterThanOrEqual(1);
    expect(added).toBeLessThan(20);
  });
});
