import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../../shared/schemas/persistence';
import { MetricsRollup } from '../metrics/metrics-rollup';

describe('metrics rollup', () => {
  it('turns many requests into one row per route, method and status, with count, mean and max', () => {
    const rows: MetricRow[] = [];
    const rollup = new MetricsRollup((r) => rows.push(r), 60_000);
    for (const ms of [1, 2, 3]) rollup.add('GET', '/health', 200, ms);
    rollup.add('POST', '/codette/chat', 400, 5);
    rollup.flush();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.route === '/health')).toMatchObject({
      method: 'GET',
      status: 200,
      duration_ms: 2,
      meta: { count: 3, max_ms: 3 },
    });
    rollup.flush();
    expect(rows).toHaveLength(2);
    rollup.close();
  });
});
