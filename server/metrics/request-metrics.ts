import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Performance } from '../../shared/schemas/diagnostics';

const WINDOW = 1024;
/** monitorEventLoopDelay samples every RESOLUTION_MS and its readings include that interval: it is taken off. */
const RESOLUTION_MS = 10;
const delayMs = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);

/** The latest WINDOW latencies of one route: percentiles of recent traffic, at a fixed memory cost. */
class LatencyWindow {
  readonly #samples = new Float64Array(WINDOW);
  #next = 0;
  count = 0;
  errors = 0;

  record(ms: number) {
    this.#samples[this.#next] = ms;
    this.#next = (this.#next + 1) % WINDOW;
    this.count += 1;
  }

  percentiles() {
    const n = Math.min(this.count, WINDOW);
    const sorted = this.#samples.slice(0, n).sort();
    const at = (p: number) => (n ? sorted[Math.min(n - 1, Math.floor(p * n))]! : 0);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: n ? sorted[n - 1]! : 0 };
  }
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** Counts requests and their latency per route, and samples the process: what /api/diagnostics/performance reports. */
export class RequestMetrics {
  /** route → method → window (nested: no key string is built per request). */
  readonly #routes = new Map<string, Map<string, LatencyWindow>>();
  readonly #loopDelay: IntervalHistogram;
  readonly #recentDelay: IntervalHistogram;
  #recentSince = performance.now();
  #recentReadAt = -Infinity;
  #recentP99 = 0;
  readonly #startedAt = performance.now();
  #lastCpu = process.cpuUsage();
  #lastCpuAt = performance.now();
  total = 0;
  errors = 0;
  clientErrors = 0;
  inFlight = 0;
  wsIn = 0;
  wsOut = 0;
  wsRefused = 0;
  wsSlowConsumersClosed = 0;
  /** How long the server spent handing one broadcast to every subscriber (its share of a push's latency). */
  readonly broadcasts = new LatencyWindow();
  #lastBroadcastRecipients = 0;

  recordBroadcast(ms: number, recipients: number) {
    this.broadcasts.record(ms);
    this.#lastBroadcastRecipients = recipients;
  }

  constructor() {
    this.#loopDelay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#loopDelay.enable();
    this.#recentDelay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#recentDelay.enable();
  }

  record(method: string, route: string, status: number, ms: number) {
    this.total += 1;
    let byMethod = this.#routes.get(route);
    if (!byMethod) this.#routes.set(route, (byMethod = new Map()));
    let window = byMethod.get(method);
    if (!window) byMethod.set(method, (window = new LatencyWindow()));
    window.record(ms);
    if (status >= 500) {
      this.errors += 1;
      window.errors += 1;
    } else if (status >= 400) {
      this.clientErrors += 1;
    }
  }

  /**
   * p99 of the event-loop delay over the last half minute or so, for health (a slow start is not a lasting fault).
   * Reading a percentile walks the histogram, so the value is kept for a quarter second: /health stays cheap.
   */
  recentLoopDelayP99Ms(): number {
    const now = performance.now();
    if (now - this.#recentReadAt < 250) return this.#recentP99;
    this.#recentReadAt = now;
    this.#recentP99 = delayMs(this.#recentDelay.percentile(99));
    if (now - this.#recentSince > 30_000) {
      this.#recentDelay.reset();
      this.#recentSince = now;
    }
    return this.#recentP99;
  }

  uptimeSeconds(): number {
    return (performance.now() - this.#startedAt) / 1000;
  }

  /** CPU share of one core since the previous call (or since start). */
  #cpuPercent() {
    const now = performance.now();
    const used = process.cpuUsage(this.#lastCpu);
    const windowMs = Math.max(1, now - this.#lastCpuAt);
    this.#lastCpu = process.cpuUsage();
    this.#lastCpuAt = now;
    return {
      percent: round(((used.user + used.system) / 1000 / windowMs) * 100, 1),
      window_seconds: round(windowMs / 1000, 1),
    };
  }

  snapshot(extra: { wsClients: number; cache: Performance['cache'] }): Performance {
    const mem = process.memoryUsage();
    const d = this.#loopDelay;
    const routes = [...this.#routes.entries()]
      .flatMap(([route, byMethod]) => [...byMethod.entries()].map(([method, w]) => ({ route, method, w })))
      .map(({ route, method, w }) => {
        const p = w.percentiles();
        return {
          method,
          route,
          count: w.count,
          errors: w.errors,
          p50_ms: round(p.p50),
          p95_ms: round(p.p95),
          p99_ms: round(p.p99),
          max_ms: round(p.max),
        };
      });
    return {
      uptime_seconds: round(this.uptimeSeconds(), 1),
      memory: {
        rss_mb: mb(mem.rss),
        heap_used_mb: mb(mem.heapUsed),
        heap_total_mb: mb(mem.heapTotal),
        external_mb: mb(mem.external),
      },
      cpu: this.#cpuPercent(),
      event_loop_delay_ms: {
        mean: round(delayMs(d.mean)),
        p50: round(delayMs(d.percentile(50))),
        p99: round(delayMs(d.percentile(99))),
        max: round(delayMs(d.max)),
      },
      requests: {
        total: this.total,
        errors: this.errors,
        client_errors: this.clientErrors,
        error_rate: this.total ? round(this.errors / this.total, 6) : 0,
        in_flight: this.inFlight,
      },
      routes: routes.sort((a, b) => b.count - a.count),
      websocket: {
        clients: extra.wsClients,
        messages_in: this.wsIn,
        messages_out: this.wsOut,
        messages_refused: this.wsRefused,
        slow_consumers_closed: this.wsSlowConsumersClosed,
        broadcast_ms: (() => {
          const p = this.broadcasts.percentiles();
          return {
            count: this.broadcasts.count,
            last_recipients: this.#lastBroadcastRecipients,
            p50: round(p.p50),
            p99: round(p.p99),
            max: round(p.max),
          };
        })(),
      },
      cache: extra.cache,
    };
  }

  close() {
    this.#loopDelay.disable();
    this.#recentDelay.disable();
  }
}
