import type { Peer } from 'crossws';

/**
 * The one place that reads private fields of `ws` (8.x) behind crossws's Node peer, for the broadcast fast path.
 * server/test/ws-raw-socket.test.ts fails when a new crossws or ws moves them; until then anything unexpected
 * answers undefined and the caller falls back to an ordinary send.
 */
interface RawWebSocket {
  readyState: number;
  _socket?: { writable: boolean; destroyed: boolean; write(chunk: Uint8Array): boolean };
  _sender?: { _deflating?: boolean; _queue?: unknown[]; _state?: number };
}

export type WritableSocket = NonNullable<RawWebSocket['_socket']>;

/**
 * The TCP socket of a peer that can take a pre-framed message right now: open, nothing of its own queued in ws's
 * sender (compression or a Blob being read).
 */
export function writableSocketOf(peer: Peer): WritableSocket | undefined {
  const ws = (peer as unknown as { _internal?: { ws?: RawWebSocket } })._internal?.ws;
  const sender = ws?._sender;
  const socket = ws?._socket;
  if (!ws || ws.readyState !== 1 || !sender || !socket || typeof socket.write !== 'function') return undefined;
  if (sender._deflating || (sender._queue?.length ?? 0) > 0 || (sender._state ?? 0) !== 0) return undefined;
  return socket.writable && !socket.destroyed ? socket : undefined;
}
