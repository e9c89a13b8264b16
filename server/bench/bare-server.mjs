// The baseline: plain node:http answering the same kind of JSON as GET /health, with no framework at all.
import { createServer } from 'node:http';

const started = performance.now();
const server = createServer((req, res) => {
  const body = JSON.stringify({
    status: 'healthy',
    reasons: [],
    version: '0.0.0',
    uptime_seconds: Math.round((performance.now() - started) / 100) / 10,
    websocket_clients: 0,
    database: null,
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
