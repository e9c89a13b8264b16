/** A WebSocket client that reconnects the way the extension's background worker does, and the figures to judge a storm. */
import WebSocket from 'ws';

export const BASE_MS = 500;
export const CAP_MS = 30_000;

/** Full jitter: the n-th retry waits uniformly in [0, min(cap, base * 2^n)]. */
export const backoffMs = (attempt: number, random = Math.random) => random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt);

/** A client as the extension's background worker runs one: reconnect on every close, with backoff, until stopped. */
export class ReconnectingClient {
  attempt = 0;
  ws?: WebSocket;
  stopped = false;
  connectedAt: number[] = [];
  disconnectedAt?: number;
  /** When each retry after the disconnect was made (ms since epoch). */
  retries: number[] = [];

  constructor(readonly url: string) {}

  connect() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'hello') {
        this.connectedAt.push(Date.now());
        this.attempt = 0;
      }
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      if (this.stopped) return;
      this.disconnectedAt ??= Date.now();
      const delay = backoffMs(this.attempt++);
      setTimeout(() => {
        if (this.stopped) return;
        this.retries.push(Date.now());
        this.connect();
      }, delay);
    });
  }

  stop() {
    this.stopped = true;
    this.ws?.terminate();
  }
}

export const quantile = (sorted: number[], q: number) => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (pos - lo);
};
export const stddev = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
};
/** The most events in any window of `ms` milliseconds. */
export const peakInWindow = (times: number[], ms: number) => {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};
