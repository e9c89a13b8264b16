import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { socket as contract } from '../api/index';
import type { ServerMessage } from '../schemas/ws';
import { CodetteClient, webStorageOutboxStorage, type CodetteSocket, type Result } from '../client/index';
import { musicLike, wav } from '../../server/analysis/test/fixtures';
import { freePort, startTestServer, type TestServer } from '../../server/test/helpers';

let server: TestServer;
let client: CodetteClient;
let socket: CodetteSocket;
/** Every server message type the socket dispatched. */
const heard = new Set<ServerMessage['type']>();

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function next<T extends ServerMessage['type']>(s: CodetteSocket, type: T, ms = 5_000) {
  return new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
    const off = s.on(type, (m) => {
      clearTimeout(timer);
      off();
      resolve(m);
    });
  });
}

/** Every server message type of the contract but those only the paired extension gets. */
const ALL_TYPES = contract.server.options
  .map((o) => o.shape.type.value)
  .filter((t): t is ServerMessage['type'] => !(contract.toExtension as readonly string[]).includes(t));

beforeAll(async () => {
  server = await startTestServer();
  client = new CodetteClient({ baseUrl: server.url });
  socket = client.socket({ WebSocket });
  for (const type of ALL_TYPES) socket.on(type, () => heard.add(type));
  value(await socket.connect());
});
afterAll(async () => {
  socket.close();
  await server.close();
});

describe("the client's WebSocket against the real server", () => {
  it('says hello, answers a ping, and reports the connection as connected', async () => {
    expect(socket.status.phase).toBe('connected');
    const pong = next(socket, 'pong');
    expect(socket.send({ type: 'ping', id: 'p1', t: 5 })).toBe(true);
    expect(await pong).toMatchObject({ id: 'p1', t: 5 });
  });

  it('delivers a transport command once by id, and hears the new state and the position ticks', async () => {
    const state = next(socket, 'transport_state');
    expect(
      value(await socket.deliver({ type: 'transport', id: 't-1', command: { action: 'tempo', bpm: 133 } })),
    ).toEqual({ duplicate: false });
    expect((await state).state.bpm).toBe(133);
    expect(
      value(await socket.deliver({ type: 'transport', id: 't-1', command: { action: 'tempo', bpm: 133 } })),
    ).toEqual({ duplicate: true });
    const tick = next(socket, 'transport_tick');
    value(await socket.deliver({ type: 'transport', id: 't-2', command: { action: 'play' } }));
    expect((await tick).revision).toBeGreaterThan(0);
    value(await socket.deliver({ type: 'transport', id: 't-3', command: { action: 'stop' } }));
  });

  it('chats over the socket: deltas, then the reply; feedback on the answer is stored once', async () => {
    const deltas: string[] = [];
    const reply = value(
      await socket.chat({ message: 'what is a good LUFS for club masters?' }, { onDelta: (d) => deltas.push(d) }),
    );
    expect(deltas.join('')).toBe(reply.response);
    const history = value(await client.sessions.messages(reply.session_id));
    const answer = history.messages.find((m) => m.role === 'assistant')!;
    const feedback = { message_id: answer.id, rating: 'down' as const };
    expect(value(await socket.deliver({ type: 'feedback', id: 'f-1', feedback }))).toEqual({ duplicate: false });
    expect(value(await socket.deliver({ type: 'feedback', id: 'f-1', feedback }))).toEqual({ duplicate: true });
  });

  it('reports a message the server refuses for good as a typed error, and drops it', async () => {
    const refused = await socket.deliver({
      type: 'feedback',
      id: 'f-bad',
      feedback: { message_id: '00000000-0000-4000-8000-000000000000', rating: 'up' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(socket.status.queue).toBe(0);
  });

  it('subscribes to status and analysis: server status, analysis progress and result, live findings', async () => {
    const subscribed = next(socket, 'subscribed');
    const status = next(socket, 'server_status');
    socket.send({ type: 'subscribe', id: 's-1', topics: ['status', 'analysis'] });
    expect((await subscribed).topics).toEqual(expect.arrayContaining(['status', 'analysis']));
    expect((await status).health.database?.kind).toBe('sqlite');
    const progress = next(socket, 'analysis_progress', 15_000);
    const done = next(socket, 'analysis_done', 15_000);
    value(await client.analysis.audio(wav(musicLike(44_100, 2, -14), 44_100)));
    expect((await progress).fraction).toBeGreaterThanOrEqual(0);
    expect((await done).score).toBeGreaterThanOrEqual(0);
    const findings = next(socket, 'stream_findings');
    socket.send({
      type: 'meter_snapshot',
      id: 'm-1',
      snapshot: { integrated_lufs: -6, true_peak_dbtp: 1, source: 'socket-test' },
    });
    expect((await findings).analysis.findings.length).toBeGreaterThan(0);
    const daw = next(socket, 'ack');
    socket.send({
      type: 'daw_report',
      id: 'd-1',
      report: { site: 'test', playing: false, position_seconds: 0 },
    });
    expect(await daw).toMatchObject({ id: 'd-1' });
    socket.send({ type: 'status', id: 'st-1' });
    expect((await next(socket, 'transport_state')).state).toBeDefined();
    const unsubscribed = next(socket, 'subscribed');
    socket.send({ type: 'unsubscribe', topics: ['analysis'] });
    expect((await unsubscribed).topics).not.toContain('analysis');
  });

  it('answers a malformed message with an error naming it', async () => {
    const error = next(socket, 'error');
    socket.send({ type: 'transport', id: 'bad-1', command: { action: 'tempo', bpm: 9_999 } });
    expect((await error).error.code).toBe('invalid_message');
  });

  it('has heard every server message type', () => {
    expect(ALL_TYPES).toEqual(expect.arrayContaining(['hello', 'chat_reply', 'analysis_done', 'stream_findings']));
    expect(ALL_TYPES.filter((t) => !heard.has(t))).toEqual([]);
  });
});

describe('reconnects and outbox delivery over a real restart', () => {
  it('keeps a command while the server is down, reconnects with backoff when it is up, and delivers it once', async () => {
    const port = await freePort();
    const offline = new CodetteClient({ baseUrl: `http://127.0.0.1:${port}` }).socket({
      WebSocket,
      connection: { backoff: { baseMs: 50, capMs: 200 }, connectTimeoutMs: 1_000 },
    });
    const connected = offline.connect(200);
    expect(await connected).toMatchObject({ ok: false, error: { code: 'network_error' } });
    const delivered = offline.deliver({ type: 'transport', id: 'late-1', command: { action: 'tempo', bpm: 97 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(offline.status.queue).toBe(1);
    expect(offline.status.phase).not.toBe('connected');
    expect(offline.status.problem?.code).toBe('server_down');
    const late = await startTestServer({ CODETTE_PORT: String(port) });
    try {
      expect(value(await delivered)).toEqual({ duplicate: false });
      expect(value(await new CodetteClient({ baseUrl: late.url }).transport.status()).bpm).toBe(97);
      expect(offline.status.queue).toBe(0);
    } finally {
      offline.close();
      await late.close();
    }
  });

  it('sends again after a reload what a page kept in localStorage and the server never acknowledged', async () => {
    const port = await freePort();
    const items = new Map<string, string>();
    const localStorage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    };
    const options = {
      WebSocket,
      outboxStorage: webStorageOutboxStorage(localStorage),
      connection: { backoff: { baseMs: 50, capMs: 200 } },
    };
    const before = new CodetteClient({ baseUrl: `http://127.0.0.1:${port}` }).socket(options);
    await before.connect(100);
    void before.deliver({ type: 'transport', id: 'reload-1', command: { action: 'tempo', bpm: 89 } });
    await new Promise((r) => setTimeout(r, 100));
    before.close(); // the page reloads
    expect(JSON.parse(items.get('codette.outbox.v1') ?? '[]')).toHaveLength(1);
    const up = await startTestServer({ CODETTE_PORT: String(port) });
    const after = new CodetteClient({ baseUrl: up.url }).socket(options);
    try {
      value(await after.connect());
      for (let i = 0; i < 100 && after.status.queue > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(after.status.queue).toBe(0);
      expect(value(await new CodetteClient({ baseUrl: up.url }).transport.status()).bpm).toBe(89);
    } finally {
      after.close();
      await up.close();
    }
  });
});
