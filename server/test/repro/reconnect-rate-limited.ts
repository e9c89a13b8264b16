/**
 * Measurement (not a test): 200 WebSocket clients on one address, no Origin, reconnecting with full-jitter backoff
 * (0.5 s base, 30 s cap) after a SIGKILL + restart of the real server WITH THE DEFAULT RATE LIMIT (1200/min, burst 120).
 * Beyond the first 120 upgrades the server answers 429, each refusal doubles that client's backoff window, and the
 * last clients are back only after many seconds.
 *
 *   npx tsx server/test/repro/reconnect-rate-limited.ts [--clients 200] [--rate-limit 1200]
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildBundle, freePort, runServer, tempDir } from '../reliability/server-process';
import { quantile, ReconnectingClient } from '../reliability/reconnect-client';

const { values } = parseArgs({ options: { clients: { type: 'string' }, 'rate-limit': { type: 'string' } } });
const CLIENTS = Number(values.clients ?? 200);
const env: Record<string, string> = values['rate-limit'] ? { CODETTE_RATE_LIMIT: values['rate-limit'] } : {};

const bundle = await buildBundle('repro-reconnect');
const port = await freePort();
const dataDir = tempDir('codette-repro-');
let server = runServer(bundle, ['--port', String(port), '--data-dir', dataDir], env);
const url = (await server.ready()).replace(/^http/, 'ws') + '/ws';
const clients = Array.from({ length: CLIENTS }, () => new ReconnectingClient(url));
for (const c of clients) c.connect();
while (clients.some((c) => c.connectedAt.length === 0)) await new Promise((r) => setTimeout(r, 20));
for (const c of clients) {
  c.disconnectedAt = undefined;
  c.retries = [];
  c.connectedAt = c.connectedAt.slice(-1);
}
const killedAt = Date.now();
await server.kill('SIGKILL');
server = runServer(bundle, ['--port', String(port), '--data-dir', dataDir], env);
await server.ready();
const deadline = killedAt + 60_000;
while (clients.some((c) => c.connectedAt.length < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const back = clients.filter((c) => c.connectedAt.length >= 2).map((c) => c.connectedAt[1]! - killedAt).sort((a, b) => a - b);
const result = {
  clients: CLIENTS,
  rate_limit: env.CODETTE_RATE_LIMIT ?? 'default (1200/min, burst 120)',
  back: back.length,
  reconnect_ms: { p50: Math.round(quantile(back, 0.5)), p90: Math.round(quantile(back, 0.9)), max: back.at(-1) },
  retries_per_client_max: Math.max(...clients.map((c) => c.retries.length)),
  retries_total: clients.reduce((n, c) => n + c.retries.length, 0),
};
console.log(JSON.stringify(result));
for (const c of clients) c.stop();
await server.kill('SIGTERM');
rmSync(bundle, { force: true });
process.exit(back.length === CLIENTS && back.at(-1)! < 30_000 ? 0 : 1);
