/**
 * 200 WebSocket clients and a server SIGKILL + restart: every client is back (has its `hello`) within 30 s, and their
 * retries are spread out by exponential backoff with full jitter (0.5 s base, 30 s cap), not synchronized.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, freePort, runServer, tempDir, type ServerProcess } from './server-process';
import { BASE_MS, backoffMs, peakInWindow, quantile, ReconnectingClient, stddev } from './reconnect-client';

const CLIENTS = 200;

let bundle: string;
beforeAll(async () => {
  bundle = await buildBundle('reconnect');
});
afterAll(() => rmSync(bundle, { force: true }));

describe('200 clients reconnecting after a restart', () => {
  let server: ServerProcess | undefined;
  const clients: ReconnectingClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.stop();
    await server?.kill('SIGKILL');
  });

  it('the backoff is full jitter with a 0.5 s base and a 30 s cap', () => {
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(10, () => 1)).toBe(30_000);
    expect(backoffMs(10, () => 0)).toBe(0);
  });

  it('are all back within 30 s of a SIGKILL, with first retries spread over the backoff window', async () => {
    const port = await freePort();
    const dataDir = tempDir('codette-storm-');
    // The default settings: every client here shares one address and no Origin, and upgrades are bounded by the
    // connection cap (CODETTE_WS_MAX_CLIENTS), not by the request-rate limit, so all 200 get back in.
    const env = {};
    server = runServer(bundle, ['--port', String(port), '--data-dir', dataDir], env);
    const url = (await server.ready()).replace(/^http/, 'ws') + '/ws';
    for (let i = 0; i < CLIENTS; i++) clients.push(new ReconnectingClient(url));
    for (const c of clients) c.connect();
    const deadline = Date.now() + 15_000;
    while (clients.some((c) => c.connectedAt.length === 0)) {
      if (Date.now() > deadline) throw new Error('not every client connected the first time');
      await new Promise((r) => setTimeout(r, 20));
    }

    // Count only what follows the kill (the first connections may have met the rate limit and retried).
    for (const c of clients) {
      c.disconnectedAt = undefined;
      c.retries = [];
      c.connectedAt = c.connectedAt.slice(-1);
    }
    const killedAt = Date.now();
    await server.kill('SIGKILL');
    server = runServer(bundle, ['--port', String(port), '--data-dir', dataDir], env);
    await server.ready();
    const readyMs = Date.now() - killedAt;

    const backDeadline = killedAt + 30_000;
    while (clients.some((c) => c.connectedAt.length < 2)) {
      if (Date.now() > backDeadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const back = clients.filter((c) => c.connectedAt.length >= 2);
    const reconnectMs = back.map((c) => c.connectedAt[1]! - killedAt).sort((a, b) => a - b);
    const firstRetryMs = clients.map((c) => c.retries[0]! - c.disconnectedAt!).sort((a, b) => a - b);
    const allRetries = clients.flatMap((c) => c.retries);
    const firstRetries = clients.map((c) => c.retries[0]!);
    const figures = {
      clients: CLIENTS,
      back: back.length,
      server_ready_after_kill_ms: readyMs,
      reconnect_ms: {
        p50: Math.round(quantile(reconnectMs, 0.5)),
        p90: Math.round(quantile(reconnectMs, 0.9)),
        max: reconnectMs.at(-1),
      },
      first_retry_ms: {
        min: Math.round(firstRetryMs[0]!),
        p25: Math.round(quantile(firstRetryMs, 0.25)),
        p50: Math.round(quantile(firstRetryMs, 0.5)),
        p75: Math.round(quantile(firstRetryMs, 0.75)),
        max: Math.round(firstRetryMs.at(-1)!),
        iqr: Math.round(quantile(firstRetryMs, 0.75) - quantile(firstRetryMs, 0.25)),
        stddev: Math.round(stddev(firstRetryMs)),
      },
      first_retries_peak_per_50ms: peakInWindow(firstRetries, 50),
      retries_total: allRetries.length,
      retries_per_client_max: Math.max(...clients.map((c) => c.retries.length)),
      retries_peak_per_100ms: peakInWindow(allRetries, 100),
      disconnect_detected_spread_ms:
        Math.max(...clients.map((c) => c.disconnectedAt!)) - Math.min(...clients.map((c) => c.disconnectedAt!)),
    };
    console.log(`reconnect storm: ${JSON.stringify(figures)}`);

    expect(back.length).toBe(CLIENTS);
    expect(reconnectMs.at(-1)!).toBeLessThan(30_000);
    // The clients all lost the connection within a few ms of each other: any spread below comes from the jitter.
    expect(figures.disconnect_detected_spread_ms).toBeLessThan(300);
    // Uniform on [0, 500 ms] has an IQR of 250 ms and a standard deviation of 144 ms; synchronized retries have ~0.
    expect(figures.first_retry_ms.iqr).toBeGreaterThan(150);
    expect(figures.first_retry_ms.stddev).toBeGreaterThan(90);
    expect(figures.first_retry_ms.max).toBeLessThanOrEqual(BASE_MS + 50);
    // No thundering herd: well under half of the clients retry in any 50 ms (uniform: about a tenth, 15-27% measured
    // with timers bunched by a busy event loop; synchronized: all of them).
    expect(figures.first_retries_peak_per_50ms).toBeLessThanOrEqual(CLIENTS * 0.4);
  }, 60_000);
});
