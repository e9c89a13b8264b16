/**
 * Collects API metric rows and writes them in batches, off the request path: `push()` never waits and never
 * throws. A batch is written every `flushEveryMs` or as soon as `maxRows` rows are waiting, and on `close()`.
 * A failed write keeps its rows for the next flush (up to `maxBuffered`, oldest dropped first and counted).
 */
import type { MetricRow } from '../../shared/schemas/persistence';

export interface MetricsBufferOptions {
  write: (rows: MetricRow[]) => Promise<unknown>;
  /** Default 2000 ms. */
  flushEveryMs?: number;
  /** Flush as soon as this many rows wait; also the largest batch written at once. Default 200. */
  maxRows?: number;
  /** Rows kept while writes fail; beyond it the oldest are dropped. Default 10 000. */
  maxBuffered?: number;
  onError?: (error: unknown, rowsWaiting: number) => void;
}

export interface MetricsBufferStats {
  buffered: number;
  written: number;
  dropped: number;
  batches: number;
  failedBatches: number;
}

export class MetricsBuffer {
  private rows: MetricRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly flushEveryMs: number;
  private readonly maxRows: number;
  private readonly maxBuffered: number;
  readonly stats: MetricsBufferStats = { buffered: 0, written: 0, dropped: 0, batches: 0, failedBatches: 0 };

  constructor(private readonly options: MetricsBufferOptions) {
    this.flushEveryMs = options.flushEveryMs ?? 2000;
    this.maxRows = Math.max(1, options.maxRows ?? 200);
    this.maxBuffered = Math.max(this.maxRows, options.maxBuffered ?? 10_000);
  }

  push(row: MetricRow): void {
    if (this.closed) {
      this.stats.dropped++;
      return;
    }
    this.rows.push(row);
    this.trim();
    if (this.rows.length >= this.maxRows) void this.flush();
    else this.arm();
  }

  /** Writes everything waiting now (in batches of maxRows). Resolves when done; never rejects. */
  flush(): Promise<void> {
    this.disarm();
    this.chain = this.chain.then(() => this.drain());
    return this.chain;
  }

  /** Flushes and stops accepting rows. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.disarm();
  }

  private async drain(): Promise<void> {
    while (this.rows.length > 0) {
      const batch = this.rows.splice(0, this.maxRows);
      this.stats.buffered = this.rows.length;
      try {
        await this.options.write(batch);
        this.stats.written += batch.length;
        this.stats.batches++;
      } catch (e) {
        this.stats.failedBatches++;
        this.rows.unshift(...batch);
        this.trim();
        this.options.onError?.(e, this.rows.length);
        if (!this.closed) this.arm();
        return;
      }
    }
  }

  private trim(): void {
    const over = this.rows.length - this.maxBuffered;
    if (over > 0) {
      this.rows.splice(0, over);
      this.stats.dropped += over;
    }
    this.stats.buffered = this.rows.length;
  }

  private arm(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushEveryMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
