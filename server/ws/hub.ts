import type { Peer } from 'crossws';
import type { ServerMessage, Topic } from '../../shared/schemas/ws';
import type { RequestMetrics } from '../metrics/request-metrics';

const TEXT_FRAME = { compress: false, binary: false } as { compress: boolean };

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

  broadcast(topic: Topic, message: ServerMessage) {
    let payload: Buffer | undefined;
    let started = 0;
    let recipients = 0;
    for (const { peer, topics } of this.#clients.values()) {
      if (!topics.has(topic)) continue;
      if (!payload) {
        started = performance.now();
        // Encoded once for everyone; `binary: false` keeps it a text frame (crossws would call a Buffer binary).
        payload = Buffer.from(JSON.stringify(message));
      }
      recipients += 1;
      peer.send(payload, TEXT_FRAME);
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
