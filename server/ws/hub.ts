import type { Peer } from 'crossws';
import type { ServerMessage, Topic } from '../../shared/schemas/ws';
import type { RequestMetrics } from '../metrics/request-metrics';

const TEXT_FRAME = { compress: false, binary: false } as { compress: boolean };

/** What the broadcast fast path reads of a `ws` WebSocket (ws 8, behind crossws's Node peer). */
interface RawWebSocket {
  readyState: number;
  _socket?: { writable: boolean; destroyed: boolean; write(chunk: Uint8Array): boolean };
  _sender?: { _deflating?: boolean; _queue?: unknown[]; _state?: number };
}

/**
 * The TCP socket of a peer that can take a pre-framed message right now: open, nothing of its own queued in ws's
 * sender (compression or a Blob being read). Anything unexpected (another adapter, another ws version) answers
 * undefined and the peer gets an ordinary send.
 */
function writableSocketOf(peer: Peer): RawWebSocket['_socket'] | undefined {
  const ws = (peer as unknown as { _internal?: { ws?: RawWebSocket } })._internal?.ws;
  const sender = ws?._sender;
  const socket = ws?._socket;
  if (!ws || ws.readyState !== 1 || !sender || !socket || typeof socket.write !== 'function') return undefined;
  if (sender._deflating || (sender._queue?.length ?? 0) > 0 || (sender._state ?? 0) !== 0) return undefined;
  return socket.writable && !socket.destroyed ? socket : undefined;
}

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
}

/** The connected WebSocket clients and what they listen to. A broadcast is serialised once, whatever the audience. */
export class Hub {
  readonly #clients = new Map<string, Client>();

  constructor(private readonly metrics: RequestMetrics) {}

  get size(): number {
    return this.#clients.size;
  }

  add(peer: Peer, topics: Topic[]) {
    this.#clients.set(peer.id, { peer, topics: new Set(topics) });
  }

  remove(peer: Peer) {
    this.#clients.delete(peer.id);
  }

  subscribe(peer: Peer, topics: Topic[], on: boolean): Topic[] {
    const client = this.#clients.get(peer.id);
    if (!client) return [];
    for (const t of topics) on ? client.topics.add(t) : client.topics.delete(t);
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
    for (const { peer, topics } of this.#clients.values()) {
      if (!topics.has(topic)) continue;
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
