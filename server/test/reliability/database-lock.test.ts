/**
 * Issue 13.4: another process holding the database's write lock must not freeze the server. The real server
 * process; a second process holds BEGIN IMMEDIATE for 3 s while a chat is written.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../../shared/schemas/service';
import { holdWriteLock } from '../../bench/attacks/db-lock';
import { buildBundle, freePort, runServer, tempDir, type ServerProcess } from './server-process';

let bundle: string;
let proc: ServerProcess;
let url: string;
const dataDir = tempDir('codette-lock-');
beforeAll(async () => {
  bundle = await buildBundle('db-lock');
  proc = runServer(bundle, ['--port', String(await freePort()), '--data-dir', dataDir], { CODETTE_RATE_LIMIT: '0' });
  url = await proc.ready();
}, 60_000);
afterAll(async () => {
  await proc?.kill('SIGKILL');
  rmSync(bundle, { force: true });
});

const chat = (message: string) =>
  fetch(`${url}/codette/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
  });

describe('a database locked by another process', () => {
  it('/health answers within 50 ms and says "database locked"; a chat written meanwhile is stored once the lock goes', async () => {
    expect((await chat('warm up: what is a compressor?')).status).toBe(200);
    const holder = await holdWriteLock(join(dataDir, 'codette.db'));
    const pending = chat('how do I tame harsh cymbals?');
    const timings: number[] = [];
    let health: Health | undefined;
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const started = performance.now();
      const res = await fetch(`${url}/health`);
      timings.push(performance.now() - started);
      health = Health.parse(await res.json());
      await new Promise((r) => setTimeout(r, 100));
    }
    await holder.release();
    const answer = await pending;
    expect(answer.status, await answer.clone().text()).toBe(200);
    // The goal is 50 ms; the median holds it on a busy shared machine, and no answer waits for the lock (5 s before).
    const sorted = [...timings].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(median, `median /health ${median.toFixed(1)} ms of ${timings.length}`).toBeLessThan(50);
    expect(sorted.at(-1)!, `slowest /health ${sorted.at(-1)!.toFixed(1)} ms`).toBeLessThan(1000);
    expect(health?.status).toBe('degraded');
    expect(health?.reasons).toContain('database locked');
  }, 30_000);

  it('a write that waits longer than the busy timeout fails as locked (503), without the database path, and the server goes on', async () => {
    const holder = await holdWriteLock(join(dataDir, 'codette.db'));
    const started = Date.now();
    const res = await chat('what is sidechain compression?');
    const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
    const health = await fetch(`${url}/health`);
    await holder.release();
    expect(res.status).toBe(503);
    expect(body.error.code).toBe('locked');
    expect(JSON.stringify(body)).not.toContain(dataDir);
    expect(Date.now() - started).toBeGreaterThan(4000);
    expect(health.status).toBe(200);
    expect((await chat('and now?')).status).toBe(200);
  }, 30_000);
});
