/**
 * A token bucket per client (its Origin, or its address when it has none): `perMinute` requests a minute on
 * average, with bursts of up to a tenth of that. Idle buckets are swept so the map cannot grow without bound.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #capacity: number;
  readonly #perMs: number;
  #sweptAt = 0;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#capacity = Math.max(10, Math.ceil(perMinute / 10));
    this.#perMs = perMinute / 60_000;
  }

  /** 0 when allowed; otherwise the seconds to wait before the next request would be. */
  take(client: string): number {
    if (this.perMinute === 0) return 0;
    const now = this.now();
    this.#sweep(now);
    let bucket = this.#buckets.get(client);
    if (!bucket) {
      bucket = { tokens: this.#capacity, at: now };
      this.#buckets.set(client, bucket);
    } else {
      bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) * this.#perMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }

  #sweep(now: number) {
    if (now - this.#sweptAt < 60_000) return;
    this.#sweptAt = now;
    const full = this.#capacity / this.#perMs;
    for (const [key, b] of this.#buckets) if (now - b.at > full) this.#buckets.delete(key);
  }
}
