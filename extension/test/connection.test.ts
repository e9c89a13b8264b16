import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { ConnectionManager, type ConnectionStatus } from '../lib/connection';
import { Outbox, type DroppedEntry, type OutboxMessage } from '../lib/outbox';
import { storageAreaStore, type KeyValueStore } from '../lib/storage';
import { FakeClock, healthBody, settle, socketFactory } from './fakes';

const tempo = (id: string, bpm: number): OutboxMessage => ({
  type: 'transport',
  id,
  command: { action: 'tempo', bpm },
});

function setup(
  opts: {
    random?: () => number;
    health?: () => Response | Promise<Response>;
    store?: KeyValueStore;
    pingMs?: number;
  } = {},
) {
  const clock = new FakeClock();
  const sockets = socketFactory();
  const store = opts.store ?? storageAreaStore(browser.storage.local);
  const outbox = new Outbox(store, clock.now);
  const statuses: ConnectionStatus[] = [];
  const dropped: DroppedEntry[] = [];
  const fetches: string[] = [];
  const manager = new ConnectionManager({
    socket: sockets.factory,
    fetch: async (url) => {
      fetches.push(url);
      return opts.health ? opts.health() : new Response(JSON.stringify(healthBody()), { status: 200 });
    },
    clock,
    random: opts.random ?? (() => 0.5),
    outbox,
    config: async () => ({ serverUrl: 'http://127.0.0.1:8000', token: 'tok' }),
    onStatus: (s) => statuses.push(s),
    onDropped: (d) => dropped.push(...d),
    options: opts.pingMs ? { pingMs: opts.pingMs } : {},
  });
  return { clock, sockets, outbox, manager, statuses, dropped, fetches, store };
}

const sentOf = (s: { sent: unknown[] }, type: string) =>
  (s.sent as { type: string; id?: string }[]).filter((m) => m.type === type);

describe('connection manager', () => {
  beforeEach(() => fakeBrowser.reset());

  it('connects to /ws with the token and reports connected after hello', async () => {
    const { manager, sockets } = setup();
    manager.start();
    await settle();
    expect(sockets.last().url).toBe('ws://127.0.0.1:8000/ws?token=tok');
    expect(manager.status.phase).toBe('connecting');
    sockets.last().hello('conn-1');
    expect(manager.status.phase).toBe('connected');
    expect(manager.status.connectionId).toBe('conn-1');
  });

  it('sends the outbox in order once connected, and keeps each entry until its ack', async () => {
    const { manager, sockets, outbox } = setup();
    await manager.enqueue(tempo('a', 100));
    await manager.enqueue(tempo('b', 101));
    manager.start();
    await settle();
    const s = sockets.last();
    s.hello();
    await settle();
    await manager.enqueue(tempo('c', 102));
    expect(sentOf(s, 'transport').map((m) => m.id)).toEqual(['a', 'b', 'c']);
    s.receive({ type: 'ack', id: 'b', duplicate: false });
    await settle();
    expect(outbox.entries.map((e) => e.id)).toEqual(['a', 'c']);
  });

  it('after a drop, resends exactly the unacknowledged entries, in order, on the new connection', async () => {
    const { manager, sockets, outbox, clock } = setup({ random: () => 0 });
    manager.start();
    await settle();
    sockets.last().hello();
    for (const [id, bpm] of [
      ['a', 100],
      ['b', 101],
      ['c', 102],
    ] as const)
      await manager.enqueue(tempo(id, bpm));
    sockets.last().receive({ type: 'ack', id: 'a', duplicate: false });
    await settle();
    sockets.last().drop();
    expect(manager.status.phase).toBe('offline');
    await manager.enqueue(tempo('d', 103)); // sent while offline: stored, not sent
    await clock.advance(1);
    const second = sockets.last();
    expect(sockets.sockets).toHaveLength(2);
    second.hello('c2');
    await settle();
    expect(sentOf(second, 'transport').map((m) => m.id)).toEqual(['b', 'c', 'd']);
    for (const id of ['b', 'c', 'd']) second.receive({ type: 'ack', id, duplicate: id === 'b' });
    await settle();
    expect(outbox.size).toBe(0);
  });

  it('sends an id again when it is enqueued again after its ack (the server answers it as a duplicate)', async () => {
    const { manager, sockets, outbox } = setup();
    manager.start();
    await settle();
    const s = sockets.last();
    s.hello();
    await manager.enqueue(tempo('a', 100));
    s.receive({ type: 'ack', id: 'a', duplicate: false });
    await settle();
    await manager.enqueue(tempo('a', 100));
    expect(sentOf(s, 'transport').map((m) => m.id)).toEqual(['a', 'a']);
    expect(outbox.has('a')).toBe(true);
  });

  it('never sends an entry before it is in storage', async () => {
    let release: () => void = () => undefined;
    const data: Record<string, unknown> = {};
    const slow: KeyValueStore = {
      get: async (k) => data[k],
      set: (k, v) => new Promise<void>((r) => (release = () => ((data[k] = v), r()))),
    };
    const { manager, sockets } = setup({ store: slow });
    manager.start();
    await settle();
    sockets.last().hello();
    const pending = manager.enqueue(tempo('a', 100));
    await settle();
    expect(sentOf(sockets.last(), 'transport')).toHaveLength(0);
    release();
    await pending;
    expect(sentOf(sockets.last(), 'transport').map((m) => m.id)).toEqual(['a']);
  });

  it('retries forever with growing, jittered, capped delays; resets the attempt count on success', async () => {
    const draws = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
    const { manager, sockets, clock } = setup({ random: () => draws.shift() ?? 0.9 });
    manager.start();
    await settle();
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      sockets.last().drop();
      const delay = manager.status.nextRetryAt! - clock.now();
      delays.push(delay);
      await clock.advance(delay);
    }
    expect(delays).toEqual([450, 900, 1800, 3600, 7200, 14400, 27000, 27000, 27000, 27000]);
    expect(sockets.sockets).toHaveLength(11);
    sockets.last().hello();
    expect(manager.status.attempt).toBe(0);
    sockets.last().drop();
    expect(manager.status.nextRetryAt! - clock.now()).toBe(450);
  });

  it('retries at once on retryNow (panel opened, online, Retry), and leaves a live socket alone', async () => {
    const { manager, sockets, clock } = setup({ random: () => 0.99 });
    manager.start();
    await settle();
    for (let i = 0; i < 6; i++) {
      sockets.last().drop();
      await clock.advance(manager.status.nextRetryAt! - clock.now());
    }
    sockets.last().drop();
    expect(manager.status.nextRetryAt! - clock.now()).toBeGreaterThan(20_000);
    const before = sockets.sockets.length;
    manager.retryNow();
    await settle();
    expect(sockets.sockets.length).toBe(before + 1);
    manager.retryNow();
    await settle();
    expect(sockets.sockets.length).toBe(before + 1);
  });

  it('pings every 20 s while connected (keeps Chrome worker alive) and reconnects when no pong comes', async () => {
    const { manager, sockets, clock } = setup();
    manager.start();
    await settle();
    const s = sockets.last();
    s.hello();
    await clock.advance(20_000);
    expect(sentOf(s, 'ping')).toHaveLength(1);
    s.receive({ type: 'pong', server_time_ms: 1 });
    await clock.advance(20_000);
    expect(sentOf(s, 'ping')).toHaveLength(2);
    await clock.advance(10_000); // no pong this time
    expect(s.closed).toBe(true);
    expect(manager.status.phase).toBe('offline');
  });

  it('keeps an entry the server could not store now (locked, internal, rate_limited) and sends it again with backoff until acked', async () => {
    const { manager, sockets, outbox, dropped, clock } = setup({ random: () => 0.5 });
    manager.start();
    await settle();
    const s = sockets.last();
    s.hello();
    await manager.enqueue({ type: 'chat', id: 'q1', request: { message: 'why is my mix muddy?' } });
    await settle();
    expect(sentOf(s, 'chat').map((m) => m.id)).toEqual(['q1']);
    s.receive({
      type: 'error',
      id: 'q1',
      error: { code: 'locked', message: 'The database is locked by another process.' },
    });
    await settle();
    expect(outbox.entries.map((e) => [e.id, e.waiting])).toEqual([
      ['q1', 'locked: The database is locked by another process.'],
    ]);
    expect(manager.status.waiting).toBe(1);
    expect(dropped).toEqual([]);
    await clock.advance(1_000);
    expect(sentOf(s, 'chat').map((m) => m.id)).toEqual(['q1', 'q1']);
    s.receive({ type: 'error', id: 'q1', error: { code: 'internal_error', message: 'try again' } });
    await settle();
    await clock.advance(2_000);
    expect(sentOf(s, 'chat')).toHaveLength(3);
    s.receive({ type: 'ack', id: 'q1', duplicate: false });
    await settle();
    expect(outbox.size).toBe(0);
    expect(manager.status.waiting).toBe(0);
    expect(dropped).toEqual([]);
  });

  it('sends an entry again when neither an ack nor an error came in time (the server may have been busy)', async () => {
    const { manager, sockets, outbox, clock } = setup({ random: () => 0.5, pingMs: 1e9 });
    manager.start();
    await settle();
    const s = sockets.last();
    s.hello();
    await manager.enqueue(tempo('t1', 120));
    await settle();
    expect(sentOf(s, 'transport')).toHaveLength(1);
    await clock.advance(60_000);
    expect(sentOf(s, 'transport').length).toBeGreaterThanOrEqual(2);
    expect(outbox.has('t1')).toBe(true);
  });

  it('drops only what the server refuses for good (validation), and says so', async () => {
    const { manager, sockets, outbox, dropped } = setup();
    manager.start();
    await settle();
    sockets.last().hello();
    await manager.enqueue(tempo('bad', 100));
    await manager.enqueue(tempo('busy', 101));
    sockets.last().receive({ type: 'error', id: 'bad', error: { code: 'invalid_request', message: 'bpm: too high' } });
    sockets.last().receive({ type: 'error', id: 'busy', error: { code: 'rate_limited', message: 'wait' } });
    await settle();
    expect(outbox.entries.map((e) => e.id)).toEqual(['busy']);
    expect(dropped.map((d) => [d.entry.id, d.reason, d.detail])).toEqual([
      ['bad', 'rejected', 'invalid_request: bpm: too high'],
    ]);
  });

  it('says why it cannot connect: server down, or a token problem', async () => {
    const down = setup({ health: () => Promise.reject(new TypeError('Failed to fetch')) });
    down.manager.start();
    await settle();
    down.sockets.last().drop();
    await settle();
    expect(down.manager.status.problem?.code).toBe('server_down');

    const locked = setup({
      health: () =>
        new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'needs token' } }), { status: 401 }),
    });
    locked.manager.start();
    await settle();
    locked.sockets.last().drop();
    await settle();
    expect(locked.manager.status.problem).toEqual({ code: 'unauthorized', message: 'needs token' });
  });

  it('polls /health every 30 s, measures latency, and shows degraded', async () => {
    let status: 'healthy' | 'degraded' = 'healthy';
    const { manager, sockets, clock, fetches } = setup({
      pingMs: 1e9,
      health: () => new Response(JSON.stringify(healthBody(status)), { status: 200 }),
    });
    manager.start();
    await settle();
    sockets.last().hello();
    await clock.advance(0);
    expect(fetches).toEqual(['http://127.0.0.1:8000/health']);
    expect(manager.status.health?.database?.kind).toBe('sqlite');
    status = 'degraded';
    await clock.advance(30_000);
    expect(fetches).toHaveLength(2);
    expect(manager.status.phase).toBe('degraded');
    expect(manager.status.problem?.code).toBe('server_degraded');
    status = 'healthy';
    await clock.advance(30_000);
    expect(manager.status.phase).toBe('connected');
  });

  it('expires old entries on connect and reports them', async () => {
    const { manager, sockets, clock, dropped } = setup();
    await manager.enqueue(tempo('old', 100));
    clock.t += 3 * 60_000;
    manager.start();
    await settle();
    sockets.last().hello();
    await settle();
    expect(dropped.map((d) => [d.entry.id, d.reason])).toContainEqual(['old', 'expired']);
    expect(sentOf(sockets.last(), 'transport')).toHaveLength(0);
  });
});
