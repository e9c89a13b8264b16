import { PROTOCOL_VERSION } from '../../constants';
import { ServerMessage, type ClientMessageInput } from '../../schemas/ws';
import { backoffDelay } from '../backoff';
import type { OutboxMessage } from '../outbox';
import { OutboxDelivery } from './delivery';
import { probeHealth, type ProbeResult } from './health-probe';
import {
  DEFAULT_CONNECTION_OPTIONS,
  wsUrl,
  type ConnectionDeps,
  type ConnectionOptions,
  type ConnectionStatus,
  type Problem,
  type ServerConfig,
  type SocketLike,
  type TimerHandle,
} from './types';

type TimerName = 'retry' | 'connect' | 'ping' | 'pong' | 'health';

/**
 * One WebSocket to Codette's server: reconnects with exponential backoff and full jitter, never giving up; pings to
 * keep Chrome's worker alive and to notice a dead socket; polls /health; sends the outbox in order once connected.
 */
export class ConnectionManager {
  readonly #d: ConnectionDeps;
  readonly #o: ConnectionOptions;
  readonly #delivery: OutboxDelivery;
  #socket: SocketLike | null = null;
  #generation = 0;
  #ready = false;
  #stopped = true;
  #timers = new Map<TimerName, TimerHandle>();
  #healthDegraded: Problem | null = null;
  #status: ConnectionStatus;

  constructor(deps: ConnectionDeps) {
    this.#d = deps;
    this.#o = { ...DEFAULT_CONNECTION_OPTIONS, ...deps.options };
    this.#delivery = new OutboxDelivery({
      outbox: deps.outbox,
      clock: deps.clock,
      random: deps.random,
      ackTimeoutMs: this.#o.ackTimeoutMs,
      resendBackoff: this.#o.resendBackoff,
      onDropped: (dropped) => deps.onDropped?.(dropped),
    });
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
    this.#delivery.flush();
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
    this.#set('connect', () => current() && !this.#ready && this.#onDown(), this.#o.connectTimeoutMs);
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
        this.#onHello(msg);
        break;
      case 'pong':
        this.#clear('pong');
        break;
      case 'ack':
        this.#delivery.acked(msg.id);
        break;
      case 'error':
        if (msg.id) this.#delivery.failed(msg.id, msg.error.code, msg.error.message);
        break;
      default:
        break;
    }
    this.#d.onMessage?.(msg);
  }

  #onHello(msg: Extract<ServerMessage, { type: 'hello' }>): void {
    this.#clear('connect');
    const mismatch: Problem | null =
      msg.server.protocol !== PROTOCOL_VERSION
        ? {
            code: 'protocol_mismatch',
            message: `server protocol ${msg.server.protocol}, client ${PROTOCOL_VERSION}`,
          }
        : null;
    this.#ready = true;
    const socket = this.#socket;
    this.#delivery.attach((data) => socket?.send(data));
    this.#patch({
      phase: this.#healthDegraded ? 'degraded' : 'connected',
      attempt: 0,
      nextRetryAt: null,
      problem: mismatch ?? this.#healthDegraded,
      server: { version: msg.server.version, protocol: msg.server.protocol },
      connectionId: msg.connection_id,
    });
    this.#schedulePing();
    void this.#d.outbox.expire().then((dropped) => {
      if (dropped.length) this.#d.onDropped?.(dropped);
      this.#delivery.flush();
    });
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
    this.#delivery.detach();
    try {
      socket?.close(1000, 'reconnect');
    } catch {
      /* already closed */
    }
  }

  #scheduleRetry(): void {
    const delay = backoffDelay(this.#status.attempt, this.#d.random, this.#o.backoff);
    this.#patch({
      phase: 'offline',
      attempt: this.#status.attempt + 1,
      nextRetryAt: this.#d.clock.now() + delay,
      connectionId: null,
    });
    this.#set('retry', () => void this.#connect(), delay);
  }

  #schedulePing(): void {
    this.#set(
      'ping',
      () => {
        if (!this.send({ type: 'ping', t: this.#d.clock.now() })) return;
        const generation = this.#generation;
        this.#set('pong', () => generation === this.#generation && this.#onDown(), this.#o.pongTimeoutMs);
        this.#schedulePing();
      },
      this.#o.pingMs,
    );
  }

  #scheduleHealth(delay: number): void {
    this.#set(
      'health',
      () => void this.#health().finally(() => !this.#stopped && this.#scheduleHealth(this.#o.healthMs)),
      delay,
    );
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

  #probe(): Promise<ProbeResult> {
    return probeHealth(this.#d.config, this.#d.fetch);
  }

  /** Starts the named timer, replacing the one running under that name. */
  #set(name: TimerName, fn: () => void, ms: number): void {
    this.#clear(name);
    this.#timers.set(
      name,
      this.#d.clock.setTimeout(() => {
        this.#timers.delete(name);
        fn();
      }, ms),
    );
  }

  #clear(name: TimerName): void {
    const handle = this.#timers.get(name);
    if (handle !== undefined) this.#d.clock.clearTimeout(handle);
    this.#timers.delete(name);
  }

  #patch(patch: Partial<ConnectionStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#d.onStatus?.(this.#status);
  }
}
