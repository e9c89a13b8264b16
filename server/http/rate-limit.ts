/**
 * The bucket a request draws from. A request with an Origin: that origin's. Without one, a browser is told apart from
 * a native tool by what a page cannot forge or leave out: the fetch metadata (`Sec-Fetch-Site`, set by the browser on
 * every request, an <img> included) and the browser's `User-Agent` (a page cannot set either). So a page's <img> or
 * <script> flood drains the pages' bucket, never the one of curl and the DAW helpers on this machine; a native tool
 * that claims to be a browser only joins the pages.
 */
export function rateKey(origin: string | null, header: (name: string) => string | null, address: string): string {
  if (origin !== null) return `origin ${origin}`;
  const browser = header('sec-fetch-site') !== null || /^Mozilla\//.test(header('user-agent') ?? '');
  return `${browser ? 'page' : 'native'} ${address}`;
}

/**
 * A token bucket per client (see rateKey): `perMinute` requests a minute on
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
