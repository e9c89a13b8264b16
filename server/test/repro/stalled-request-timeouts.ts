/**
 * REPRO (hardening, not a crash): the server sets no timeouts of its own, so a request whose body stalls is held for
 * Node's default requestTimeout (300 s) and one whose headers stall for headersTimeout (60 s), each holding a socket
 * and, for a body, an in-flight handler (metrics.inFlight). Only local processes can do this to a loopback server
 * (a web page cannot stream a request body over HTTP/1.1), so the risk is small; shorter bounds (e.g. 30 s / 10 s)
 * can be set on srvx's node server in server/start.ts.
 *
 *   npx tsx server/test/repro/stalled-request-timeouts.ts      (exit 1 while requestTimeout > 60 s)
 */
import { Server } from 'node:http';
import { connect } from 'node:net';
import { startTestServer } from '../helpers';

const s = await startTestServer({ CODETTE_LOG_LEVEL: 'silent' });
const servers = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().filter((h): h is Server => h instanceof Server);
const t = servers[0]!;
console.log(`node http server: headersTimeout=${t.headersTimeout} ms, requestTimeout=${t.requestTimeout} ms, keepAliveTimeout=${t.keepAliveTimeout} ms`);
const { hostname, port, host } = new URL(s.url);
const socket = connect(Number(port), hostname);
let closedAt = 0;
socket.on('close', () => (closedAt = Date.now()));
socket.on('error', () => {});
const started = Date.now();
socket.write(`POST /codette/chat HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"message":"`);
await new Promise((r) => setTimeout(r, 5000));
console.log(`a body stalled for 5 s: connection ${closedAt ? `closed after ${closedAt - started} ms` : 'still open'}, requests in flight: ${s.services.metrics.inFlight}`);
socket.destroy();
await s.close();
process.exit(t.requestTimeout > 60_000 ? 1 : 0);
