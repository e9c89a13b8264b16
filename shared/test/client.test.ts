import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type OperationName } from '../api/index';
import { CodetteClient, type Result, type UploadProgress } from '../client/index';
import { musicLike, wav } from '../../server/analysis/test/fixtures';
import { startTestServer, type TestServer } from '../../server/test/helpers';

let server: TestServer;
let client: CodetteClient;
/** Every operation the client sent, matched back to the contract by method and path. */
const called = new Set<OperationName>();

function operationOf(method: string, pathname: string): OperationName | undefined {
  for (const [name, endpoint] of Object.entries(api)) {
    const pattern = new RegExp(`^${endpoint.path.replace(/:\w+/g, '[^/]+')}$`);
    if (endpoint.method === method && pattern.test(pathname)) return name as OperationName;
  }
  return undefined;
}

const recordingFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const name = operationOf(init?.method ?? 'GET', url.pathname);
  if (name) called.add(name);
  return fetch(input, init);
};

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const session = {
  tracks: [{ name: 'Kick', type: 'audio' as const, peak: -0.1, level: -6, plugins: ['EQ'] }],
  master: { integrated_lufs: -9, true_peak_dbtp: 0.4 },
  cpu_percent: 40,
  tempo_bpm: 124,
};
const song = () => wav(musicLike(44_100, 3, -14), 44_100);

beforeAll(async () => {
  server = await startTestServer();
  client = new CodetteClient({ baseUrl: server.url, fetch: recordingFetch });
});
afterAll(() => server.close());

describe('the client over every REST endpoint of the contract, against the real server', () => {
  it('reads the service: info, health, the OpenAPI document and the docs page', async () => {
    expect(value(await client.service.info()).service).toBe('codette');
    expect(value(await client.service.health()).status).toMatch(/^(healthy|degraded)$/); // degraded: a busy machine
    expect(value(await client.service.openapi()).openapi).toBe('3.1.0');
    expect(value(await client.service.docs())).toContain('<html');
    expect(value(await client.call(api['service.demo'], {}))).toContain('<html');
    expect(value(await client.call(api['examples.webDaw'], {}))).toContain('<html');
  });

  it('drives the transport with the facade, the path shortcut, and an idempotency key applied once', async () => {
    expect(value(await client.transport.play()).state.playing).toBe(true);
    expect(value(await client.transport.stop()).state.playing).toBe(false);
    const first = value(await client.transport.tempo(140, { idempotencyKey: 'client-tempo-1' }));
    expect(first.state.bpm).toBe(140);
    expect(value(await client.transport.tempo(140, { idempotencyKey: 'client-tempo-1' })).duplicate).toBe(true);
    const viaContract = { body: { action: 'tempo' as const, bpm: 111 }, headers: { 'idempotency-key': 'client-h-1' } };
    expect(value(await client.call(api['transport.command'], viaContract)).duplicate).toBe(false);
    expect(value(await client.call(api['transport.command'], viaContract)).duplicate).toBe(true);
    expect(value(await client.transport.action('tempo', { bpm: 128 })).state.bpm).toBe(128);
    expect(value(await client.transport.status()).bpm).toBe(128);
    expect(value(await client.transport.state()).bpm).toBe(128);
  });

  it('refuses an input the contract rejects before sending it, naming the field, as a value', async () => {
    const before = called.size;
    const result = await client.transport.tempo(2);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', status: null } });
    expect(!result.ok && result.error.message).toMatch(/^body\.bpm/);
    expect(called.size).toBe(before);
  });

  it("returns the server's error code and status as a value", async () => {
    const missing = await client.sessions.messages('00000000-0000-4000-8000-000000000000');
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', status: 404 } });
  });

  it('chats, whole and streamed over SSE (deltas then the reply), then suggests', async () => {
    const whole = value(await client.chat.send({ message: 'how loud should my master be for Spotify?' }));
    expect(whole.response.length).toBeGreaterThan(20);
    const deltas: string[] = [];
    const streamed = value(
      await client.chat.stream(
        { message: 'how do I fix a muddy mix?', session_id: whole.session_id },
        { onDelta: (t) => deltas.push(t) },
      ),
    );
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(streamed.response);
    const suggestions = value(await client.chat.suggest({ context: { track_type: 'vocal', stage: 'mixing' } }));
    expect(suggestions.suggestions.length).toBeGreaterThan(0);
  });

  it('pages through sessions and messages, rates an answer, deletes a session', async () => {
    for (let i = 0; i < 3; i++) value(await client.chat.send({ message: `what is sidechain compression? (${i})` }));
    const first = value(await client.sessions.list({ limit: 2 }));
    expect(first.sessions).toHaveLength(2);
    expect(first.next_before).not.toBeNull();
    const all: string[] = [];
    for await (const s of client.sessions.all(2)) all.push(value(s).id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const id = all[0]!;
    const page = value(await client.sessions.messages(id, { limit: 1 }));
    expect(page.messages).toHaveLength(1);
    const messages: string[] = [];
    for await (const m of client.sessions.allMessages(id, 1)) messages.push(value(m).id);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    const answer = value(await client.sessions.messages(id)).messages.find((m) => m.role === 'assistant')!;
    const rated = value(await client.feedback.send({ message_id: answer.id, rating: 'up', client_id: 'fb-1' }));
    expect(rated.created).toBe(true);
    expect(value(await client.feedback.send({ message_id: answer.id, rating: 'up', client_id: 'fb-1' })).created).toBe(
      false,
    );
    expect(value(await client.sessions.delete(id))).toEqual({ deleted: true, session_id: id });
  });

  it('uploads a file with progress (a streamed body on Node) and lists the files in pages', async () => {
    const bytes = new Uint8Array(300_000).fill(7);
    const progress: UploadProgress[] = [];
    const record = value(
      await client.files.upload(bytes, {
        name: 'notes.txt',
        type: 'text/plain',
        onUploadProgress: (p) => progress.push(p),
      }),
    );
    expect(record).toMatchObject({ name: 'notes.txt', size_bytes: 300_000 });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toEqual({ loaded: 300_000, total: 300_000 });
    expect(value(await client.files.list({ limit: 1 })).files[0]?.id).toBe(record.id);
    const ids: string[] = [];
    for await (const f of client.files.all(1)) ids.push(value(f).id);
    expect(ids).toContain(record.id);
  });

  it('analyses a WAV: upload progress, the analysis progress events, then the report', async () => {
    const uploads: UploadProgress[] = [];
    const stages: number[] = [];
    const report = value(
      await client.analysis.audio(song(), {
        name: 'bounce.wav',
        query: { target: 'apple_music' },
        onUploadProgress: (p) => uploads.push(p),
        onProgress: (p) => stages.push(p.fraction),
      }),
    );
    expect(report.file.name).toBe('bounce.wav');
    expect(report.duration_seconds).toBeCloseTo(3, 1);
    expect(uploads.at(-1)?.loaded).toBe(uploads.at(-1)?.total);
    expect(stages.length).toBeGreaterThan(0);
    const notWav = await client.analysis.audio(new Uint8Array(64).fill(1));
    expect(notWav.ok).toBe(false);
    expect(!notWav.ok && notWav.error.status).toBeGreaterThanOrEqual(400);
  });

  it('runs every session analyzer, the live meters, the references and genre detection (JSON and WAV)', async () => {
    for (const analyse of [
      client.analysis.session,
      client.analysis.mixing,
      client.analysis.routing,
      client.analysis.mastering,
      client.analysis.creative,
      client.analysis.gainStaging,
    ])
      expect(value(await analyse(session)).score).toBeGreaterThanOrEqual(0);
    const live = value(await client.analysis.stream({ integrated_lufs: -9, true_peak_dbtp: 0.2, source: 'client' }));
    expect(live.findings).toBeDefined();
    expect(value(await client.analysis.delaySync({ bpm: 120 })).bpm).toBe(120);
    expect(value(await client.analysis.earTraining()).exercises.length).toBeGreaterThan(0);
    expect(value(await client.analysis.productionChecklist({ stage: 'mixing' }))).toBeDefined();
    expect(value(await client.analysis.instrumentInfo({ instrument: 'kick' }))).toBeDefined();
    const byFeatures = value(await client.analysis.detectGenre({ tempo_bpm: 174, low_end_ratio: 0.4 }));
    expect(byFeatures.candidates.length).toBeGreaterThan(0);
    const byWav = value(await client.analysis.detectGenre({ file: song(), name: 'song.wav' }, { limit: 3 }));
    expect(byWav.candidates).toHaveLength(3);
  });

  it('reads the diagnostics, the cache, the model servers and the extensions', async () => {
    const d = client.diagnostics;
    for (const read of [d.status, d.cache, d.endpoints, d.dependencies, d.performance, d.credentials, d.database]) {
      const answer = await read();
      expect(answer.ok && answer.value).toBeTruthy();
    }
    expect(value(await d.rlsPolicies()).kind).toBe('sqlite');
    expect(value(await client.cache.stats())).toBeDefined();
    expect(value(await client.cache.clear())).toBeDefined();
    expect(value(await client.llm.status())).toBeDefined();
    expect(value(await client.llm.choose({ engine: 'local' }))).toBeDefined();
    expect(value(await client.extensions.list())).toBeDefined();
    const approved = value(await client.extensions.approve({ id: 'abcdefghijklmnopabcdefghijklmnop' }));
    expect(approved.paired).toContain('abcdefghijklmnopabcdefghijklmnop');
  });

  it('exports your data and imports it back (nothing new: every row skipped)', async () => {
    const exported = value(await client.data.export());
    expect(exported.sessions.length).toBeGreaterThan(0);
    const imported = value(await client.data.import(exported));
    expect(Object.values(imported.imported).every((n) => n === 0)).toBe(true);
    expect(imported.skipped).toMatchObject({ sessions: exported.sessions.length });
  });

  it('pairs a page: it asks, the user allows (user side), the page gets the answer, then it is revoked', async () => {
    const page = new CodetteClient({
      baseUrl: server.url,
      fetch: recordingFetch,
      headers: { origin: 'https://daw.example.com' },
    });
    const asking = page.requestAccess({ name: 'Example DAW' }, { waitSeconds: 5 });
    let pending = value(await client.access.list()).pending;
    for (let i = 0; i < 50 && pending.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pending = value(await client.access.list()).pending;
    }
    expect(pending[0]).toMatchObject({ origin: 'https://daw.example.com', name: 'Example DAW' });
    value(await client.access.decide('https://daw.example.com', 'allowed'));
    expect(value(await asking)).toMatchObject({ status: 'allowed', origin: 'https://daw.example.com' });
    expect(value(await page.access.request({ name: 'Example DAW' })).status).toBe('allowed');
    expect(value(await client.access.revoke('https://daw.example.com')).origins).toEqual([]);
  });

  it('has called every endpoint of the contract', () => {
    expect(Object.keys(api).filter((n) => !called.has(n as OperationName))).toEqual([]);
  });
});
