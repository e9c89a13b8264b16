import { createHash } from 'node:crypto';
import { createStorage, type Storage } from 'unstorage';
import lruCacheDriver from 'unstorage/drivers/lru-cache';
import type { CacheStats } from '../../shared/schemas/diagnostics';

export interface AnswerCacheOptions {
  ttlSeconds: number;
  maxEntries: number;
  /** The clock entries age by, in ms (tests pass their own; performance.now by default). */
  now?: () => number;
}

/**
 * The answers cache: bounded in entries, each entry living `ttlSeconds`. It counts what it saves: hits, misses
 * and how long a hit and a miss took (a miss includes computing the answer).
 */
export class AnswerCache {
  readonly #storage: Storage;
  readonly #entries: () => number;
  #hits = 0;
  #misses = 0;
  #hitMs = 0;
  #missMs = 0;
  readonly #inflight = new Map<string, Promise<unknown>>();

  constructor(private readonly options: AnswerCacheOptions) {
    const driver = lruCacheDriver({
      max: options.maxEntries,
      ttl: options.ttlSeconds * 1000,
      // With a given clock, every age is read from it (lru-cache otherwise reuses a reading for a millisecond).
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
    });
    this.#storage = createStorage({ driver });
    const lru = driver.getInstance?.() as { size: number; purgeStale(): boolean } | undefined;
    this.#entries = () => {
      lru?.purgeStale();
      return lru?.size ?? 0;
    };
  }

  /** Returns the cached value for `key`, or computes, stores and returns it. Concurrent misses compute once. */
  async wrap<T>(rawKey: string, compute: () => Promise<T> | T): Promise<{ value: T; hit: boolean }> {
    const started = performance.now();
    // unstorage reads ':' '/' '?' and '..' in a key as structure: user text is hashed into a plain key.
    const key = createHash('sha256').update(rawKey).digest('hex');
    const cached = await this.#storage.getItem<T>(key);
    if (cached !== null) {
      this.#hits += 1;
      this.#hitMs += performance.now() - started;
      return { value: cached, hit: true };
    }
    let pending = this.#inflight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = Promise.resolve()
        .then(compute)
        .then(async (value) => {
          await this.#storage.setItem(key, value as never);
          return value;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    const value = await pending;
    this.#misses += 1;
    this.#missMs += performance.now() - started;
    return { value, hit: false };
  }

  async clear(): Promise<number> {
    const cleared = this.#entries();
    await this.#storage.clear();
    return cleared;
  }

  stats(): CacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      backend: 'unstorage/lru-cache (memory)',
      entries: this.#entries(),
      max_entries: this.options.maxEntries,
      ttl_seconds: this.options.ttlSeconds,
      hits: this.#hits,
      misses: this.#misses,
      hit_rate: lookups ? this.#hits / lookups : 0,
      avg_hit_ms: this.#hits ? this.#hitMs / this.#hits : 0,
      avg_miss_ms: this.#misses ? this.#missMs / this.#misses : 0,
    };
  }
}
