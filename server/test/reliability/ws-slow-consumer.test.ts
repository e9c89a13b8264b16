/**
 * Issue 13.5: a WebSocket client that sends without reading must not grow the server's memory, nor starve the others.
 * The real server process; a raw client writes 400,000 `status` messages and never reads a byte.
 */
import { rmSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floodWithoutReading, openRawWebSocket, watchRss } from '../../bench/attacks/ws-raw';
import { buildBundle, freePort, runServer, tempDir, type ServerProcess } from './server-process';

let bundle: string;
let proc: ServerProcess;
let url: string;
beforeAll(async () => {
  bundle = await buildBundle('ws-slow');
  proc = runServer(bundle, ['--port', String(await freePort()), '--data-dir', tempDir('codette-ws-slow-')]);
  url = await proc.ready();
}, 60_000);
afterAll(async () => {
  await proc?.kill('SIGKILL');
  rmSync(bundle, { force: true });
});

describe('a WebSocket client that never reads', () => {
  it('400k status messages: the server stays under 250 MB, closes that client, and the others keep getting answers', async () => {
    const rss = watchRss(proc.child.pid!);
    const other = new WebSocket(url.replace('http', 'ws') + '/ws');
    await new Promise((r) => other.once('open', r));
    const pongs: number[] = [];
    other.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; t?: number };
      if (m.type === 'pong' && m.t) pongs.push(Date.now() - m.t);
    });
    const pinger = setInterval(() => other.send(JSON.stringify({ type: 'ping', t: Date.now() })), 100);

    const raw = await openRawWebSocket(url, { read: false });
    const written = await floodWithoutReading(raw, { type: 'status' }, 400_000);
    const closedByServer = await waitForSlowConsumerClosed(url, 10_000);
    raw.socket.destroy();
    await new Promise((r) => setTimeout(r, 500));
    clearInterval(pinger);
    const peak = await rss.stop();
    other.close();

    expect(peak, `peak RSS ${peak.toFixed(0)} MB`).toBeLessThan(250);
    // The flooder was cut off (closed by the server) rather than served for as long as it liked.
    expect(closedByServer).toBe(true);
    expect(written).toBeGreaterThan(0);
    expect(pongs.length, 'the other client kept its answers').toBeGreaterThan(5);
    const sorted = [...pongs].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.99)]!, 'p99 of the other client').toBeLessThan(1000);
    const health = await fetch(url + '/health');
    expect(health.status).toBe(200);
  }, 60_000);
});

async function waitForSlowConsumerClosed(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const perf = (await (await fetch(url + '/api/diagnostics/performance')).json()) as {
      websocket: { slow_consumers_closed: number };
    };
    if (perf.websocket.slow_consumers_closed > 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
