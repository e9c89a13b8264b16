import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../cache/answer-cache';

describe('answer cache', () => {
  it('counts a miss then hits, with a real hit rate', async () => {
    const cache = new AnswerCache({ ttlSeconds: 300, maxEntries: 10 });
    let computed = 0;
    const compute = () => ++computed;
    expect(await cache.wrap('q', compute)).toEqual({ value: 1, hit: false });
    expect(await cache.wrap('q', compute)).toEqual({ value: 1, hit: true });
    expect(await cache.wrap('q', compute)).toEqual({ value: 1, hit: true });
    const stats = cache.stats();
    expect(stats).toMatchObject({ hits: 2, misses: 1, entries: 1 });
    expect(stats.hit_rate).toBeCloseTo(2 / 3);
    expect(stats.avg_miss_ms).toBeGreaterThanOrEqual(0);
  });

  it('is bounded in entries', async () => {
    const cache = new AnswerCache({ ttlSeconds: 300, maxEntries: 3 });
    for (let i = 0; i < 10; i++) await cache.wrap(`k${i}`, () => i);
    expect(cache.stats().entries).toBe(3);
    expect((await cache.wrap('k0', () => -1)).hit).toBe(false);
  });

  it('forgets an entry after its TTL', async () => {
    let now = 1000;
    const cache = new AnswerCache({ ttlSeconds: 1, maxEntries: 10, now: () => now });
    await cache.wrap('q', () => 'a');
    now += 900;
    expect((await cache.wrap('q', () => 'b')).value).toBe('a');
    now += 200;
    expect((await cache.wrap('q', () => 'c')).value).toBe('c');
  });

  it('computes once for concurrent misses of the same key', async () => {
    const cache = new AnswerCache({ ttlSeconds: 300, maxEntries: 10 });
    let computed = 0;
    const slow = () => new Promise<number>((r) => setTimeout(() => r(++computed), 30));
    const results = await Promise.all([cache.wrap('q', slow), cache.wrap('q', slow), cache.wrap('q', slow)]);
    expect(results.map((r) => r.value)).toEqual([1, 1, 1]);
    expect(computed).toBe(1);
  });

  it('clears entries and says how many', async () => {
    const cache = new AnswerCache({ ttlSeconds: 300, maxEntries: 10 });
    await cache.wrap('a', () => 1);
    await cache.wrap('b', () => 2);
    expect(await cache.clear()).toBe(2);
    expect(cache.stats().entries).toBe(0);
  });
});
