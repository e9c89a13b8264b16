import type { Clock, SocketFactory, SocketHandlers, TimerHandle } from '../lib/connection';

/** A clock whose time moves only when the test says so. */
export class FakeClock implements Clock {
  t = 1_000_000;
  #next = 1;
  timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number): TimerHandle => {
    const id = this.#next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: TimerHandle) => {
    this.timers.delete(h as number);
  };
  /** Moves time forward, running due timers in order (and the promises they start). */
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

export async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

export class FakeSocket {
  sent: unknown[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly h: SocketHandlers,
  ) {}
  send(data: string) {
    if (this.closed) throw new Error('send on a closed socket');
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  /** The server side. */
  hello(connectionId = 'c1') {
    this.h.open();
    this.h.message(
      JSON.stringify({
        type: 'hello',
        server: { name: 'codette', version: '0.1.0', protocol: 1 },
        connection_id: connectionId,
        transport: transportState(),
      }),
    );
  }
  receive(message: unknown) {
    this.h.message(JSON.stringify(message));
  }
  drop() {
    this.closed = true;
    this.h.close(1006, '');
  }
}

export function socketFactory() {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = (url, h) => {
    const s = new FakeSocket(url, h);
    sockets.push(s);
    return s;
  };
  return { sockets, factory, last: () => sockets[sockets.length - 1]! };
}

export function transportState() {
  return {
    state: 'stopped' as const,
    playing: false,
    recording: false,
    position: { seconds: 0, bar: 1, beat: 1, tick: 0, display: '1.1.000' },
    bpm: 120,
    time_signature: { numerator: 4, denominator: 4 as const },
    loop: { enabled: false, start_seconds: 0, end_seconds: 8 },
    metronome: false,
    changed_by: { source: 'server' as const, client: null, at: new Date(0).toISOString() },
    revision: 1,
    server_time_ms: 0,
  };
}

export function healthBody(status: 'healthy' | 'degraded' = 'healthy') {
  return {
    status,
    reasons: status === 'degraded' ? ['database slow'] : [],
    version: '0.1.0',
    uptime_seconds: 5,
    websocket_clients: 1,
    database: { kind: 'sqlite', ok: true, latency_ms: 1 },
  };
}
