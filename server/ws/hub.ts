import type { Peer } from 'crossws';
import type { ServerMessage, Topic } from '../../shared/schemas/ws';
import type { RequestMetrics } from '../metrics/request-metrics';
import { writableSocketOf } from './raw-socket';

const TEXT_FRAME = { compress: false, binary: false } as { compress: boolean };

/** One unmasked, final text frame (RFC 6455 5.2) holding `payload`. */
export function textFrame(payload: Uint8Array): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (n < 126) frame[1] = n;
  else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.set(payload, headerLength);
  return frame;
}

interface Client {
  peer: Peer;
  topics: Set<Topic>;
  /** A pong came back since the last ping (nothing else counts: a client that sends but never reads is not alive). */
  alive: boolean;
  /** Message budget: a token bucket like the REST one. */
  tokens: number;
  at: number;
  /** Messages refused for the rate since the last `rate_limited` error was sent. */
  refused: number;
  refusedTotal: number;
  warnedAt: number;
}

export interface HubLimits {
  /** Bytes a client may leave unread in its socket's buffers before it is closed as a slow consumer (1013). */
  maxBufferedBytes: number;
  /** Messages a client may send per second on average, and in one burst; 0 turns the limit off. */
  messagesPerSecond: number;
  messageBurst: number;
  /** A client that keeps sending this many messages over its rate is closed (1008). */
  maxRefused: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = {
  maxBufferedBytes: 1 << 20,
  messagesPerSecond: 200,
  messageBurst: 2000,
  maxRefused: 20_000,
};

export type Admission = 'ok' | 'refused' | 'refused_warn';

const HEARTBEAT = Buffer.from('codette-heartbeat');
/** How long a client closed for its message rate may take to go before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

/** The connected WebSocket clients and what they listen to. A broadcast is serialised once, whatever the audience. */
export class Hub {
  readonly #clients = new Map<string, Client>();
  readonly #limits: HubLimits;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly metrics: RequestMetrics,
    limits: Partial<HubLimits> = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#limits = { ...DEFAULT_HUB_LIMITS, ...limits };
  }

  get size(): number {
    return this.#clients.size;
  }

  /** The peers connected now (for tests and diagnostics). */
  get peers(): Peer[] {
    return [...this.#clients.values()].map((c) => c.peer);
  }

  add(peer: Peer, topics: Topic[]) {
    this.#clients.set(peer.id, {
      peer,
      topics: new Set(topics),
      alive: true,
      tokens: this.#limits.messageBurst,
      at: this.now(),
      refused: 0,
      refusedTotal: 0,
      warnedAt: -Infinity,
    });
  }

  remove(peer: Peer) {
    this.#clients.delete(peer.id);
  }

  has(peer: Peer): boolean {
    return this.#clients.has(peer.id);
  }

  /**
   * Takes one message from the client's budget. 'refused': drop it; 'refused_warn': drop it and tell the client
   * (at most once a second). A client far over its budget is closed with 1008.
   */
  admit(peer: Peer): Admission {
    const client = this.#clients.get(peer.id);
    if (!client) return 'refused';
    const { messagesPerSecond, messageBurst, maxRefused } = this.#limits;
    if (messagesPerSecond <= 0) return 'ok';
    const now = this.now();
    client.tokens = Math.min(messageBurst, client.tokens + ((now - client.at) * messagesPerSecond) / 1000);
    client.at = now;
    if (client.tokens >= 1) {
      client.tokens -= 1;
      return 'ok';
    }
    client.refused += 1;
    client.refusedTotal += 1;
    if (client.refusedTotal > maxRefused) {
      this.#closeClient(client, 1008, 'Too many messages: slow down and reconnect.');
      return 'refused';
    }
    if (now - client.warnedAt < 1000) return 'refused';
    client.warnedAt = now;
    return 'refused_warn';
  }

  /** Messages dropped for the rate since the last warning, reset by the call. */
  takeRefused(peer: Peer): number {
    const client = this.#clients.get(peer.id);
    if (!client) return 0;
    const n = client.refused;
    client.refused = 0;
    return n;
  }

  pong(peer: Peer) {
    const client = this.#clients.get(peer.id);
    if (client) client.alive = true;
  }

  /**
   * Pings every client every `seconds`; a client that has not answered the previous ping with a pong is dropped.
   * Its messages do not count: a client can send forever without reading a byte.
   */
  startHeartbeat(seconds: number): () => void {
    if (seconds <= 0) return () => undefined;
    this.#heartbeat = setInterval(() => {
      for (const client of [...this.#clients.values()]) {
        if (!client.alive) {
          this.#clients.delete(client.peer.id);
          client.peer.terminate();
          continue;
        }
        client.alive = false;
        client.peer.ping(HEARTBEAT);
      }
    }, seconds * 1000);
    this.#heartbeat.unref();
    return () => clearInterval(this.#heartbeat);
  }

  /**
   * Closes a client, and destroys its socket after `graceMs` if the close cannot get through. A slow consumer gets no
   * grace: its close frame waits behind what it does not read, and its socket would keep feeding the server meanwhile.
   */
  #closeClient(client: Client, code: number, reason: string, graceMs = CLOSE_GRACE_MS) {
    this.#clients.delete(client.peer.id);
    this.metrics.wsSlowConsumersClosed += 1;
    const { peer } = client;
    try {
      peer.close(code, reason);
    } catch {
      /* already closing */
    }
    if (graceMs === 0) peer.terminate();
    else setTimeout(() => peer.terminate(), graceMs).unref();
  }

  /** False (and the client closed with 1013) when it has more unread than it may: the message is not written. */
  #keepsUp(client: Client): boolean {
    if (client.peer.bufferedAmount <= this.#limits.maxBufferedBytes) return true;
    this.#closeClient(client, 1013, 'You are not reading your messages: reconnect when you can keep up.', 0);
    return false;
  }

  subscribe(peer: Peer, topics: Topic[], on: boolean): Topic[] {
    const client = this.#clients.get(peer.id);
    if (!client) return [];
    for (const t of topics) {
      if (on) client.topics.add(t);
      else client.topics.delete(t);
    }
    return [...client.topics];
  }

  subscribed(peer: Peer, topic: Topic): boolean {
    return this.#clients.get(peer.id)?.topics.has(topic) ?? false;
  }

  hasSubscribers(topic: Topic): boolean {
    for (const c of this.#clients.values()) if (c.topics.has(topic)) return true;
    return false;
  }

  send(peer: Peer, message: ServerMessage) {
    const client = this.#clients.get(peer.id);
    if (!client || !this.#keepsUp(client)) return;
    this.metrics.wsOut += 1;
    peer.send(JSON.stringify(message), { compress: false });
  }

  /**
   * Sends `message` to every subscriber of `topic`. It is serialised and framed once; each socket then gets one
   * write of that frame (a third cheaper than a send through ws, which frames per socket and writes in two parts).
   */
  broadcast(topic: Topic, message: ServerMessage) {
    let payload: Buffer | undefined;
    let frame: Buffer | undefined;
    let started = 0;
    let recipients = 0;
    // A client closed for not keeping up is deleted from the map during this loop, which Map iteration allows.
    for (const client of this.#clients.values()) {
      const { peer, topics } = client;
      if (!topics.has(topic) || !this.#keepsUp(client)) continue;
      if (!payload) {
        started = performance.now();
        payload = Buffer.from(JSON.stringify(message));
        frame = textFrame(payload);
      }
      recipients += 1;
      const socket = writableSocketOf(peer);
      if (socket) socket.write(frame!);
      // `binary: false` keeps it a text frame (crossws would call a Buffer binary).
      else peer.send(payload, TEXT_FRAME);
    }
    if (recipients) {
      this.metrics.wsOut += recipients;
      this.metrics.recordBroadcast(performance.now() - started, recipients);
    }
  }

  /** Closes every connection with the given code (1001 "going away" at shutdown). */
  closeAll(code: number, reason: string) {
    for (const { peer } of this.#clients.values()) peer.close(code, reason);
    this.#clients.clear();
  }
}
