import type { z } from 'zod';
import { DEFAULT_SERVER_URL, WS_PATH } from '../constants';
import { ErrorBody } from '../schemas/errors';
import { Health, ServiceInfo } from '../schemas/service';
import { TransportResult, TransportState, type TransportCommandInput } from '../schemas/transport';
import { CacheStats, DiagnosticsStatus, Performance } from '../schemas/diagnostics';
import { ServerMessage, type ClientMessageInput, type ServerMessageOf } from '../schemas/ws';

/** An error answer from Codette: the status, the stable code and the message meant for people. */
export class CodetteApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CodetteApiError';
  }
}

export interface CodetteClientOptions {
  /** Defaults to http://127.0.0.1:8000. */
  baseUrl?: string;
  /** The server's CODETTE_TOKEN, when it sets one. */
  token?: string;
  fetch?: typeof fetch;
  /** A WebSocket constructor; the global one in browsers, the `ws` package on Node 20. */
  WebSocket?: new (url: string) => WebSocket;
}

/** A small typed client of Codette's REST API and socket, for web DAWs and scripts. Answers are validated. */
export class CodetteClient {
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;

  constructor(private readonly options: CodetteClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_SERVER_URL).replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async #call<S extends z.ZodType>(schema: S, path: string, init: RequestInit = {}): Promise<z.output<S>> {
    const headers = new Headers(init.headers);
    if (this.options.token) headers.set('authorization', `Bearer ${this.options.token}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const res = await this.#fetch(this.baseUrl + path, { ...init, headers });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const err = ErrorBody.safeParse(body);
      if (err.success)
        throw new CodetteApiError(res.status, err.data.error.code, err.data.error.message, err.data.error.details);
      throw new CodetteApiError(res.status, 'http_error', `Codette answered ${res.status}`);
    }
    return schema.parse(body);
  }

  info() {
    return this.#call(ServiceInfo, '/');
  }

  health() {
    return this.#call(Health, '/health');
  }

  transportState() {
    return this.#call(TransportState, '/codette/status');
  }

  /** Sends a transport command; with `idempotencyKey`, a retry after a network error is applied once. */
  transport(command: TransportCommandInput, options: { idempotencyKey?: string } = {}) {
    const headers: Record<string, string> = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {};
    return this.#call(TransportResult, '/codette/transport', {
      method: 'POST',
      body: JSON.stringify(command),
      headers,
    });
  }

  diagnostics() {
    return this.#call(DiagnosticsStatus, '/api/diagnostics/status');
  }

  performance() {
    return this.#call(Performance, '/api/diagnostics/performance');
  }

  cacheStats() {
    return this.#call(CacheStats, '/api/cache-stats');
  }

  /** Opens the socket; messages are validated and dispatched by type. */
  connect(): CodetteSocket {
    const Ctor = this.options.WebSocket ?? globalThis.WebSocket;
    if (!Ctor) throw new Error('No WebSocket available: pass options.WebSocket (the `ws` package on Node 20).');
    const url = new URL(WS_PATH, this.baseUrl.replace(/^http/, 'ws'));
    if (this.options.token) url.searchParams.set('token', this.options.token);
    return new CodetteSocket(new Ctor(url.toString()));
  }
}

type Handler<T extends ServerMessage['type']> = (message: ServerMessageOf<T>) => void;

export class CodetteSocket {
  readonly #handlers = new Map<string, Set<(m: ServerMessage) => void>>();
  readonly opened: Promise<void>;

  constructor(readonly socket: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('Could not connect to Codette')), { once: true });
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      const parsed = ServerMessage.safeParse(JSON.parse(String(event.data)));
      if (!parsed.success) return;
      for (const h of this.#handlers.get(parsed.data.type) ?? []) h(parsed.data);
    });
  }

  on<T extends ServerMessage['type']>(type: T, handler: Handler<T>): () => void {
    const set = this.#handlers.get(type) ?? new Set();
    set.add(handler as (m: ServerMessage) => void);
    this.#handlers.set(type, set);
    return () => set.delete(handler as (m: ServerMessage) => void);
  }

  send(message: ClientMessageInput) {
    this.socket.send(JSON.stringify(message));
  }

  close() {
    this.socket.close();
  }
}
