import type { z } from 'zod';
import type { ChatRequest, ChatResponse } from '../../schemas/chat';
import type { ClientMessageInput, ServerMessage, ServerMessageOf } from '../../schemas/ws';
import { memoryOutboxStorage, Outbox, type DroppedEntry, type OutboxMessage, type OutboxStorage } from '../outbox';
import { fail, ok, type CodetteError, type Result } from '../rest/result';
import { ConnectionManager } from './connection';
import {
  systemClock,
  webSocketFactory,
  type Clock,
  type ConnectionOptions,
  type ConnectionStatus,
  type ServerConfig,
  type SocketFactory,
  type WebSocketConstructor,
} from './types';

export interface CodetteSocketOptions {
  /** A WebSocket constructor: the global one in browsers, the `ws` package's on Node 20. */
  WebSocket?: WebSocketConstructor;
  /** Where unacknowledged messages wait (memory by default: they survive reconnects, not a reload). */
  outboxStorage?: OutboxStorage;
  /** Intervals and backoff; the defaults suit a browser tab. */
  connection?: Partial<ConnectionOptions>;
  clock?: Clock;
  random?: () => number;
  /** A socket factory instead of `WebSocket` (tests, other transports). */
  socketFactory?: SocketFactory;
}

export interface SocketDeps {
  config: ServerConfig;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
}

type Handler<T extends ServerMessage['type']> = (message: ServerMessageOf<T>) => void;
type Settle = (result: Result<{ duplicate: boolean }>) => void;

const DROP_MESSAGES: Record<'expired' | 'overflow', string> = {
  expired: 'The message waited too long for a connection and was given up (transport commands wait 2 minutes).',
  overflow: 'Too many messages were waiting for a connection: the oldest ones were given up.',
};

/**
 * Codette's WebSocket for a web DAW or a script: typed events, reconnects with jittered backoff, and delivery of
 * chat, transport and feedback messages exactly once by id (the same outbox and delivery as the extension's).
 */
export class CodetteSocket {
  readonly #manager: ConnectionManager;
  readonly #outbox: Outbox;
  readonly #handlers = new Map<string, Set<(m: ServerMessage) => void>>();
  readonly #statusHandlers = new Set<(s: ConnectionStatus) => void>();
  readonly #pending = new Map<string, Settle[]>();
  #loaded: Promise<void> | null = null;

  constructor(deps: SocketDeps, options: CodetteSocketOptions = {}) {
    const clock = options.clock ?? systemClock;
    const socket = options.socketFactory ?? this.#defaultFactory(options.WebSocket);
    this.#outbox = new Outbox(options.outboxStorage ?? memoryOutboxStorage(), clock.now);
    this.#manager = new ConnectionManager({
      socket,
      fetch: deps.fetch,
      clock,
      random: options.random ?? Math.random,
      outbox: this.#outbox,
      config: async () => deps.config,
      options: options.connection,
      onMessage: (message) => this.#dispatch(message),
      onStatus: (status) => this.#statusHandlers.forEach((h) => h(status)),
      onDropped: (dropped) => this.#dropped(dropped),
    });
  }

  #defaultFactory(Ctor: WebSocketConstructor | undefined): SocketFactory {
    const WebSocketCtor = Ctor ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    return (url, handlers) => {
      if (!WebSocketCtor) throw new Error('No WebSocket: pass options.WebSocket (the `ws` package on Node 20).');
      return webSocketFactory(WebSocketCtor)(url, handlers);
    };
  }

  get status(): ConnectionStatus {
    return this.#manager.status;
  }

  /** Connects (and keeps reconnecting); resolves at the first `hello`, or when `timeoutMs` passed without one. */
  async connect(timeoutMs = 10_000): Promise<Result<ServerMessageOf<'hello'>>> {
    this.#loaded ??= this.#outbox.load();
    await this.#loaded;
    const hello = new Promise<Result<ServerMessageOf<'hello'>>>((resolve) => {
      const timer = setTimeout(() => {
        off();
        const problem = this.#manager.status.problem;
        resolve(
          fail({
            code: problem?.code === 'local_network_denied' ? 'local_network_denied' : 'network_error',
            status: null,
            message:
              problem?.message ?? `No connection to Codette within ${timeoutMs} ms (${problem?.code ?? 'no answer'}).`,
          }),
        );
      }, timeoutMs);
      const off = this.on('hello', (message) => {
        clearTimeout(timer);
        off();
        resolve(ok(message));
      });
    });
    this.#manager.start();
    return hello;
  }

  close(): void {
    this.#manager.stop();
  }

  /** Listens to one type of server message, checked against the contract; returns the function that stops it. */
  on<T extends ServerMessage['type']>(type: T, handler: Handler<T>): () => void {
    const set = this.#handlers.get(type) ?? new Set();
    const h = handler as (m: ServerMessage) => void;
    set.add(h);
    this.#handlers.set(type, set);
    return () => set.delete(h);
  }

  onStatus(handler: (status: ConnectionStatus) => void): () => void {
    this.#statusHandlers.add(handler);
    return () => this.#statusHandlers.delete(handler);
  }

  /** Sends a message that need not survive a disconnection (a DAW report, a subscription). False when offline. */
  send(message: ClientMessageInput): boolean {
    return this.#manager.send(message);
  }

  /**
   * Delivers a chat, transport or feedback message exactly once by its id: kept until the server acknowledges it, sent
   * again after a reconnect or a transient error. Fails only when the server refuses it for good or it waited too long.
   */
  async deliver(message: OutboxMessage): Promise<Result<{ duplicate: boolean }>> {
    const settled = new Promise<Result<{ duplicate: boolean }>>((resolve) => {
      const list = this.#pending.get(message.id) ?? [];
      list.push(resolve);
      this.#pending.set(message.id, list);
    });
    try {
      await this.#manager.enqueue(message);
    } catch (error) {
      this.#settle(message.id, fail({ code: 'invalid_request', status: null, message: String(error) }));
    }
    return settled;
  }

  /** Asks over the socket: deltas as they come, then the reply; a resend after a reconnect is answered once. */
  async chat(
    request: z.input<typeof ChatRequest>,
    options: { id?: string; onDelta?: (text: string) => void } = {},
  ): Promise<Result<ChatResponse>> {
    const id = options.id ?? randomId();
    let reply: ChatResponse | null = null;
    const offDelta = this.on('chat_delta', (m) => m.id === id && options.onDelta?.(m.delta));
    const offReply = this.on('chat_reply', (m) => {
      if (m.id === id) reply = m.reply;
    });
    const delivered = await this.deliver({ type: 'chat', id, request });
    offDelta();
    offReply();
    if (!delivered.ok) return delivered;
    if (reply) return ok(reply);
    // A duplicate of a message answered on an earlier connection: the reply was sent there.
    return fail({
      code: 'conflict',
      status: null,
      message: 'This message was answered before (a resend): read the reply in the session history.',
    });
  }

  #dispatch(message: ServerMessage): void {
    if (message.type === 'ack') this.#settle(message.id, ok({ duplicate: message.duplicate }));
    for (const h of this.#handlers.get(message.type) ?? []) h(message);
  }

  #dropped(dropped: readonly DroppedEntry[]): void {
    for (const { entry, reason, detail, code } of dropped) {
      const error: CodetteError =
        reason === 'rejected'
          ? { code: code ?? 'invalid_request', status: null, message: detail ?? 'refused by the server' }
          : {
              code: reason === 'expired' ? 'request_timeout' : 'rate_limited',
              status: null,
              message: DROP_MESSAGES[reason],
            };
      this.#settle(entry.id, fail(error));
    }
  }

  #settle(id: string, result: Result<{ duplicate: boolean }>): void {
    const list = this.#pending.get(id);
    this.#pending.delete(id);
    for (const resolve of list ?? []) resolve(result);
  }
}

function randomId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
