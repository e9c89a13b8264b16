import { WS_PATH } from '../../constants';
import type { Health } from '../../schemas/service';
import type { ServerMessage } from '../../schemas/ws';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../backoff';
import type { DroppedEntry, Outbox } from '../outbox';

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
  /** Chrome's Local Network Access: the user blocked (or has not yet allowed) this page's access to 127.0.0.1. */
  | 'local_network_denied'
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

/** The clock of the page or process. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** A handler type that accepts the event types of both the browser's WebSocket and the `ws` package (bivariant). */
type Listener<E> = { handle(event: E): void }['handle'] | null;

/** What the browser's WebSocket and the `ws` package have in common. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Listener<unknown>;
  onmessage: Listener<{ data: unknown }>;
  onclose: Listener<{ code: number; reason: string }>;
  onerror: Listener<unknown>;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** A socket factory over a WebSocket constructor: the global one in browsers, the `ws` package on Node 20. */
export function webSocketFactory(Ctor: WebSocketConstructor): SocketFactory {
  return (url, h) => {
    const ws = new Ctor(url);
    ws.onopen = () => h.open();
    ws.onmessage = (e) => h.message(typeof e.data === 'string' ? e.data : String(e.data));
    ws.onclose = (e) => h.close(e.code, e.reason);
    ws.onerror = () => h.error();
    return ws;
  };
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
