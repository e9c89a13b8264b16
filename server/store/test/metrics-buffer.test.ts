/** MetricsBuffer: batches off the request path, every N ms or M rows, and on close; failures keep rows. */
import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../../../shared/schemas/persistence';
import { MetricsBuffer } from '../metrics-buffer';

const row = (i: number): MetricRow => ({ route: '/api/x', method: 'GET', status: 200, duration_ms: i });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('MetricsBuffer', () => {
  it('writes a batch as soon as maxRows rows wait, and never one write per row', async () => {
    const batches: number[] = [];
    const buf = new MetricsBuffer({
      write: async (rows) => void batches.push(rows.length),
      maxRows: 100,
      flushEveryMs: 60_000,
    });
    for (let i = 0; i < 250; i++) buf.push(row(i));
    expect(batches).toEqual([]); // push() only queued: the writes run off the caller's path
    await sleep(10);
    expect(batches).toEqual([100, 100, 50]); // the size trigger drains what waits, in batches of maxRows
    await buf.close();
    expect(batches).toEqual([100, 100, 50]);
    expect(buf.stats).toMatchObject({ written: 250, batches: 3, dropped: 0, buffered: 0 });
  });

  it('writes what waits every flushEveryMs', async () => {
    const batches: number[] = [];
    const buf = new MetricsBuffer({
      write: async (rows) => void batches.push(rows.length),
      maxRows: 1000,
      flushEveryMs: 30,
    });
    buf.push(row(1));
    buf.push(row(2));
    expect(batches).toEqual([]);
    await sleep(80);
    expect(batches).toEqual([2]);
    await buf.close();
  });

  it('keeps rows when a write fails and writes them later; drops the oldest beyond maxBuffered', async () => {
    let fail = true;
    const written: number[] = [];
    const errors: number[] = [];
    const buf = new MetricsBuffer({
      write: async (rows) => {
        if (fail) throw new Error('db down');
        written.push(...rows.map((r) => r.duration_ms));
      },
      maxRows: 10,
      maxBuffered: 15,
      flushEveryMs: 60_000,
      onError: (_e, waiting) => errors.push(waiting),
    });
    for (let i = 0; i < 20; i++) buf.push(row(i));
    await buf.flush();
    expect(errors.length).toBeGreaterThan(0);
    expect(buf.stats.dropped).toBe(5);
    fail = false;
    await buf.close();
    expect(written).toEqual(Array.from({ length: 15 }, (_, i) => i + 5));
  });

  it('push never throws or waits, even after close', async () => {
    const buf = new MetricsBuffer({ write: () => new Promise((r) => setTimeout(r, 50)) });
    await buf.close();
    expect(() => buf.push(row(1))).not.toThrow();
    expect(buf.stats.dropped).toBe(1);
  });
});
