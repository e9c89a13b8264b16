import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from '../client/backoff';

describe('reconnect backoff with full jitter', () => {
  it('grows from 0.5 s and is capped at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20, 1000].map((a) => backoffCeiling(a))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000,
    ]);
  });

  it('draws every delay between 0 and the ceiling (full jitter), never above the cap', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = backoffCeiling(attempt);
      expect(backoffDelay(attempt, () => 0)).toBe(0);
      expect(backoffDelay(attempt, () => 0.999999)).toBeLessThan(ceiling);
      expect(backoffDelay(attempt, () => 0.999999)).toBeGreaterThan(ceiling * 0.99);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, Math.random);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(30_000);
        expect(d).toBeLessThan(ceiling);
      }
    }
  });

  it('spreads the delays over the whole range rather than around a midpoint', () => {
    const draws = Array.from({ length: 2000 }, () => backoffDelay(6, Math.random));
    expect(Math.min(...draws)).toBeLessThan(3000);
    expect(Math.max(...draws)).toBeGreaterThan(27_000);
  });
});
