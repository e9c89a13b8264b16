import { PROTOCOL_VERSION, WS_PATH } from '../../shared/constants';
import { ErrorBody, isDefinitiveRefusal } from '../../shared/schemas/errors';
import { Health } from '../../shared/schemas/service';
import { ServerMessage, type ClientMessageInput } from '../../shared/schemas/ws';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { DroppedEntry, Outbox, OutboxMessage } from './outbox';

export type ConnectionPhase = 'connecting' | 'connected' | 'degraded' | 'offline';

export type ProblemCode =
  | 'server_down'
  | 'unauthorized'
  | 'forbidden_origin'
  | 'forbidden_host'
  | 'protocol_mismatch'
  | 'server_degraded'
  | 'health_failed'
  | 'bad_url'
  | 'unknown';

/** Why the connection is not healthy, with the server's own sentence when it gave one. */
export interface Problem {
  code: ProblemCode;
  message?: string;
}

export interface ConnectionStatus {
  phase: ConnectionPhase;
  /** Failed attempts since the last success. */
  attempt: number;
  /** When offline: the time (ms since epoch) of the next try. */
  nextRetryAt: number | null;
  problem: Problem | null;
  server: { version: string; protocol: number } | null;
  connectionId: string | null;
  health: Health | null;
  /** Round trip of the last GET /health. */
  latencyMs: number | null;
  lastHealthAt: number | null;
  serverUrl: string;
  queue: number;
  /** Entries the server could not take now (database locked, rate limited, server error): kept and sent again. */
  waiting: number;
}

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(code: number, reason: string): void;
  error(): void;
}
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

export type TimerHandle = unknown;
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface ServerConfig {
  serverUrl: string;
  token?: string;
}

export interface ConnectionOptions {
  pingMs: number;
  pongTimeoutMs: number;
  healthMs: number;
  connectTimeoutMs: number;
  backoff: BackoffOptions;
  /** How long a sent entry may wait for its ack (or error) before it is sent again; the server applies an id once. */
  ackTimeoutMs: number;
  /** Delays between the tries of one entry the server could not take now. */
  resendBackoff: BackoffOptions;
}

export const DEFAULT_CONNECTION_OPTIONS: ConnectionOptions = {
  // Chrome keeps a service worker alive while socket messages flow at least every 30 s.
  pingMs: 20_000,
  pongTimeoutMs: 10_000,
  healthMs: 30_000,
  connectTimeoutMs: 5_000,
  backoff: DEFAULT_BACKOFF,
  // Longer than the slowest answer (a generative chat has 20 s) plus its share of a busy server.
  ackTimeoutMs: 45_000,
  resendBackoff: { baseMs: 1_000, capMs: 30_000 },
};

export interface ConnectionDeps {
  socket: SocketFactory;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  clock: Clock;
  random: () => number;
  outbox: Outbox;
  config: () => Promise<ServerConfig>;
  onMessage?: (message: ServerMessage) => void;
  onStatus?: (status: ConnectionStatus) => void;
  onDropped?: (dropped: DroppedEntry[]) => void;
  options?: Partial<ConnectionOptions>;
}

export function wsUrl(config: ServerConfig): string {
  const url = new URL(WS_PATH, config.serverUrl.replace(/^http/i, 'ws'));
  if (config.token) url.searchParams.set('token', config.token);
  return url.toString();
}

/**
 * One WebSocket to Codette's server: reconnects with exponential backoff and full jitter, never giving up; pings to
 * keep Chrome's worker alive and to notice a dead socket; polls /health; sends the outbox in order once connected.
 */
export class ConnectionManager {
  readonly #d: ConnectionDeps;
  readonly #o: ConnectionOptions;
  #socket: SocketLike | null = null;
  #generation = 0;
  #ready = false;
  #stopped = true;
  #sent = new Set<string>();
  /** Per entry: how often the server could not take it, and the timer that sends it again. */
  #tries = new Map<string, number>();
  #resendTimers = new Map<string, TimerHandle>();
  #retryTimer: TimerHandle = null;
  #connectTimer: TimerHandle = null;
  #pingTimer: TimerHandle = null;
  #pongTimer: TimerHandle = null;
  #healthTimer: TimerHandle = null;
  #healthDegraded: Problem | null = null;
  #status: ConnectionStatus;

  constructor(deps: ConnectionDeps) {
    this.#d = deps;
    this.#o = { ...DEFAULT_CONNECTION_OPTIONS, ...deps.options };
    this.#status = {
      phase: 'offline',
      attempt: 0,
      nextRetryAt: null,
      problem: null,
      server: null,
      connectionId: null,
      health: null,
      latencyMs: null,
      lastHealthAt: null,
      serverUrl: '',
      queue: deps.outbox.size,
      waiting: 0,
    };
    deps.outbox.onChange((entries) => {
      this.#patch({ queue: entries.length, waiting: entries.filter((e) => e.waiting).length });
    });
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  get connected(): boolean {
    return this.#ready;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#connect();
    this.#scheduleHealth(0);
  }

  stop(): void {
    this.#stopped = true;
    this.#teardown();
    this.#clear('retry');
    this.#clear('health');
    this.#patch({ phase: 'offline', nextRetryAt: null });
  }

  /** Retry at once (panel opened, browser online, Retry pressed). A live or opening socket is left alone. */
  retryNow(): void {
    if (this.#stopped || this.#socket) return;
    this.#clear('retry');
    void this.#connect();
  }

  /** Drops the socket and connects again now (the server URL or token changed). */
  reconnect(): void {
    if (this.#stopped) return;
    this.#teardown();
    this.#clear('retry');
    void this.#connect();
    this.#scheduleHealth(0);
  }

  /** Stores the message, then sends it when the connection allows; resolves once it is in storage. */
  async enqueue(message: OutboxMessage): Promise<void> {
    const dropped = await this.#d.outbox.add(message);
    if (dropped.length) this.#d.onDropped?.(dropped);
    this.#flush();
  }

  /** Sends a message that need not survive a disconnection (DAW reports, pings). False when not connected. */
  send(message: ClientMessageInput): boolean {
    if (!this.#ready || !this.#socket) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Checks /health now (the popup opened). */
  checkHealth(): Promise<void> {
    return this.#health();
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    this.#patch({ phase: 'connecting', nextRetryAt: null });
    let config: ServerConfig;
    let url: string;
    try {
      config = await this.#d.config();
      url = wsUrl(config);
    } catch {
      if (generation !== this.#generation) return;
      this.#patch({ problem: { code: 'bad_url' } });
      this.#scheduleRetry();
      return;
    }
    if (generation !== this.#generation || this.#stopped) return;
    this.#patch({ serverUrl: config.serverUrl });
    const current = () => generation === this.#generation;
    try {
      this.#socket = this.#d.socket(url, {
        open: () => undefined,
        message: (data) => current() && this.#onMessage(data),
        close: () => current() && this.#onDown(),
        error: () => current() && this.#onDown(),
      });
    } catch {
      this.#onDown();
      return;
    }
    this.#connectTimer = this.#d.clock.setTimeout(
      () => current() && !this.#ready && this.#onDown(),
      this.#o.connectTimeoutMs,
    );
  }

  #onMessage(data: string): void {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) return;
    const msg = parsed.data;
    switch (msg.type) {
      case 'hello':
        this.#clear('connect');
        if (msg.server.protocol !== PROTOCOL_VERSION) {
          this.#patch({
            problem: {
              code: 'protocol_mismatch',
              message: `server protocol ${msg.server.protocol}, extension ${PROTOCOL_VERSION}`,
            },
          });
        }
        this.#ready = true;
        this.#sent.clear();
        this.#patch({
          phase: this.#healthDegraded ? 'degraded' : 'connected',
          attempt: 0,
          nextRetryAt: null,
          problem: msg.server.protocol !== PROTOCOL_VERSION ? this.#status.problem : this.#healthDegraded,
          server: { version: msg.server.version, protocol: msg.server.protocol },
          connectionId: msg.connection_id,
        });
        this.#schedulePing();
        void this.#d.outbox.expire().then((dropped) => {
          if (dropped.length) this.#d.onDropped?.(dropped);
          this.#flush();
        });
        break;
      case 'pong':
        this.#clear('pong');
        break;
      case 'ack':
        this.#forget(msg.id);
        void this.#d.outbox.ack(msg.id);
        break;
      case 'error':
        if (msg.id && this.#d.outbox.has(msg.id)) {
          const id = msg.id;
          const detail = `${msg.error.code}: ${msg.error.message}`;
          if (isDefinitiveRefusal(msg.error.code)) {
            // Sending it again would be refused again: it leaves the outbox, and the user is told.
            this.#forget(id);
            const entry = this.#d.outbox.entries.find((e) => e.id === id);
            void this.#d.outbox.remove(id);
            if (entry) this.#d.onDropped?.([{ entry, reason: 'rejected', detail }]);
          } else {
            void this.#d.outbox.markWaiting(id, detail);
            this.#resendLater(id);
          }
        }
        break;
      default:
        break;
    }
    this.#d.onMessage?.(msg);
  }

  /** Sends, in order, every stored entry not yet sent on this connection. */
  #flush(): void {
    if (!this.#ready || !this.#socket) return;
    for (const entry of this.#d.outbox.entries) {
      if (!this.#d.outbox.isDurable(entry.id)) break; // never send what is not yet in storage
      if (this.#sent.has(entry.id) || this.#resendTimers.has(entry.id)) continue;
      this.#sent.add(entry.id);
      this.#socket.send(JSON.stringify(entry.message));
      // No answer in time (a server stuck on a locked database, a lost message): the entry is sent again.
      this.#resendTimers.set(
        entry.id,
        this.#d.clock.setTimeout(() => this.#resendLater(entry.id, 0), this.#o.ackTimeoutMs),
      );
    }
  }

  /** The server could not take this entry now: it stays in the outbox and is sent again after a growing delay. */
  #resendLater(id: string, delay?: number): void {
    this.#clearResend(id);
    const tries = this.#tries.get(id) ?? 0;
    this.#tries.set(id, tries + 1);
    const wait = delay ?? Math.max(100, backoffDelay(tries, this.#d.random, this.#o.resendBackoff));
    const generation = this.#generation;
    this.#resendTimers.set(
      id,
      this.#d.clock.setTimeout(() => {
        this.#resendTimers.delete(id);
        if (generation !== this.#generation) return; // a new connection sends everything again anyway
        this.#sent.delete(id);
        this.#flush();
      }, wait),
    );
  }

  #clearResend(id: string): void {
    const timer = this.#resendTimers.get(id);
    if (timer !== undefined) this.#d.clock.clearTimeout(timer);
    this.#resendTimers.delete(id);
  }

  /** The entry is settled (acked or refused): no more tries. */
  #forget(id: string): void {
    this.#clearResend(id);
    this.#tries.delete(id);
  }

  #onDown(): void {
    this.#teardown();
    if (this.#stopped) return;
    this.#scheduleRetry();
    void this.#diagnose(this.#generation);
  }

  #teardown(): void {
    this.#generation++;
    this.#ready = false;
    const socket = this.#socket;
    this.#socket = null;
    this.#clear('connect');
    this.#clear('ping');
    this.#clear('pong');
    for (const id of [...this.#resendTimers.keys()]) this.#clearResend(id);
    try {
      socket?.close(1000, 'reconnect');
    } catch {
      /* already closed */
    }
  }

  #scheduleRetry(): void {
    this.#clear('retry');
    const delay = backoffDelay(this.#status.attempt, this.#d.random, this.#o.backoff);
    this.#patch({
      phase: 'offline',
      attempt: this.#status.attempt + 1,
      nextRetryAt: this.#d.clock.now() + delay,
      connectionId: null,
    });
    this.#retryTimer = this.#d.clock.setTimeout(() => {
      this.#retryTimer = null;
      void this.#connect();
    }, delay);
  }

  #schedulePing(): void {
    this.#clear('ping');
    this.#pingTimer = this.#d.clock.setTimeout(() => {
      this.#pingTimer = null;
      if (!this.send({ type: 'ping', t: this.#d.clock.now() })) return;
      this.#clear('pong');
      const generation = this.#generation;
      this.#pongTimer = this.#d.clock.setTimeout(
        () => generation === this.#generation && this.#onDown(),
        this.#o.pongTimeoutMs,
      );
      this.#schedulePing();
    }, this.#o.pingMs);
  }

  #scheduleHealth(delay: number): void {
    this.#clear('health');
    this.#healthTimer = this.#d.clock.setTimeout(() => {
      this.#healthTimer = null;
      void this.#health().finally(() => !this.#stopped && this.#scheduleHealth(this.#o.healthMs));
    }, delay);
  }

  async #health(): Promise<void> {
    const dropped = await this.#d.outbox.expire();
    if (dropped.length) this.#d.onDropped?.(dropped);
    const started = this.#d.clock.now();
    const result = await this.#probe();
    const latencyMs = this.#d.clock.now() - started;
    if (result.health) {
      this.#healthDegraded =
        result.health.status === 'degraded'
          ? { code: 'server_degraded', message: result.health.reasons.join('; ') }
          : null;
      this.#patch({ health: result.health, latencyMs, lastHealthAt: this.#d.clock.now() });
    } else {
      this.#healthDegraded = this.#ready ? (result.problem ?? { code: 'health_failed' }) : null;
      this.#patch({
        latencyMs: null,
        lastHealthAt: this.#d.clock.now(),
        ...(this.#ready ? {} : { problem: result.problem }),
      });
    }
    if (this.#ready) {
      const badProtocol = this.#status.problem?.code === 'protocol_mismatch';
      this.#patch({
        phase: this.#healthDegraded || badProtocol ? 'degraded' : 'connected',
        problem: badProtocol ? this.#status.problem : this.#healthDegraded,
      });
    }
  }

  /** After a failed connection: asks /health why, so that the user reads a cause and a fix rather than "offline". */
  async #diagnose(generation: number): Promise<void> {
    const { problem } = await this.#probe();
    if (generation !== this.#generation || this.#ready) return;
    this.#patch({ problem: problem ?? { code: 'unknown' } });
  }

  async #probe(): Promise<{ health?: Health; problem?: Problem }> {
    let config: ServerConfig;
    try {
      config = await this.#d.config();
      new URL(config.serverUrl);
    } catch {
      return { problem: { code: 'bad_url' } };
    }
    let res: Response;
    try {
      const headers: Record<string, string> = config.token ? { authorization: `Bearer ${config.token}` } : {};
      res = await this.#d.fetch(config.serverUrl.replace(/\/+$/, '') + '/health', { headers, cache: 'no-store' });
    } catch {
      return { problem: { code: 'server_down' } };
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const err = ErrorBody.safeParse(body);
      const code: ProblemCode =
        res.status === 401
          ? 'unauthorized'
          : err.success && err.data.error.code === 'forbidden_host'
            ? 'forbidden_host'
            : res.status === 403
              ? 'forbidden_origin'
              : 'health_failed';
      return { problem: { code, message: err.success ? err.data.error.message : `HTTP ${res.status}` } };
    }
    const health = Health.safeParse(body);
    return health.success
      ? { health: health.data }
      : { problem: { code: 'health_failed', message: 'unexpected /health answer' } };
  }

  #clear(which: 'retry' | 'connect' | 'ping' | 'pong' | 'health'): void {
    const key = `#${which}` as const;
    const c = this.#d.clock;
    switch (key) {
      case '#retry':
        if (this.#retryTimer !== null) c.clearTimeout(this.#retryTimer);
        this.#retryTimer = null;
        break;
      case '#connect':
        if (this.#connectTimer !== null) c.clearTimeout(this.#connectTimer);
        this.#connectTimer = null;
        break;
      case '#ping':
        if (this.#pingTimer !== null) c.clearTimeout(this.#pingTimer);
        this.#pingTimer = null;
        break;
      case '#pong':
        if (this.#pongTimer !== null) c.clearTimeout(this.#pongTimer);
        this.#pongTimer = null;
        break;
      case '#health':
        if (this.#healthTimer !== null) c.clearTimeout(this.#healthTimer);
        this.#healthTimer = null;
        break;
    }
  }

  #patch(patch: Partial<ConnectionStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#d.onStatus?.(this.#status);
  }
}
