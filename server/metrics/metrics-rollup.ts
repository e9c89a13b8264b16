import type { MetricRow } from '../../shared/schemas/persistence';

interface Bucket {
  route: string;
  method: string;
  status: number;
  count: number;
  totalMs: number;
  maxMs: number;
}

/**
 * Rolls request metrics up before they reach the database: one api_metrics row per route, method and status
 * per interval (count, mean, max), not one per request, so the table stays small and the hot path cheap.
 */
export class MetricsRollup {
  /** route → method → status → bucket (nested: no key string is built per request). */
  readonly #buckets = new Map<string, Map<string, Map<number, Bucket>>>();
  readonly #timer: NodeJS.Timeout;
  #windowStart = Date.now();

  constructor(
    private readonly sink: (row: MetricRow) => void,
    readonly intervalMs = 10_000,
  ) {
    this.#timer = setInterval(() => this.flush(), intervalMs);
    this.#timer.unref();
  }

  add(method: string, route: string, status: number, ms: number) {
    let byMethod = this.#buckets.get(route);
    if (!byMethod) this.#buckets.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let bucket = byStatus.get(status);
    if (!bucket) byStatus.set(status, (bucket = { route, method, status, count: 0, totalMs: 0, maxMs: 0 }));
    bucket.count += 1;
    bucket.totalMs += ms;
    if (ms > bucket.maxMs) bucket.maxMs = ms;
  }

  /** Hands one row per bucket to the sink and starts a new window. */
  flush() {
    const windowSeconds = Math.round((Date.now() - this.#windowStart) / 100) / 10;
    for (const b of [...this.#buckets.values()].flatMap((m) => [...m.values()].flatMap((x) => [...x.values()]))) {
      this.sink({
        route: b.route.slice(0, 200),
        method: b.method,
        status: b.status,
        duration_ms: Math.round((b.totalMs / b.count) * 1000) / 1000,
        meta: { count: b.count, max_ms: Math.round(b.maxMs * 1000) / 1000, window_seconds: windowSeconds },
      });
    }
    this.#buckets.clear();
    this.#windowStart = Date.now();
  }

  close() {
    clearInterval(this.#timer);
    this.flush();
  }
}
