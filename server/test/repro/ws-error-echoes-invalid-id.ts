/**
 * REPRO (minor server bug, not fixed here): a WebSocket message whose `id` is a string the protocol refuses (over 100
 * characters; ClientMessageId in shared/schemas/ws.ts) gets an `error` that echoes that id, so the server's own message
 * does not fit ServerMessage (error.id is ClientMessageId too). A client that validates what it receives with the
 * shared schema, as the extension does, drops the error and cannot tie it to the message it sent; and the server
 * reflects up to 1 MiB of id back. Source: server/ws/socket.ts, `message()`: `const id = typeof data.id === 'string'
 * ? data.id : undefined` then `fail(peer, ..., id)`.
 *
 *   npx tsx server/test/repro/ws-error-echoes-invalid-id.ts      (exit 1 while the bug is there)
 */
import WebSocket from 'ws';
import { ServerMessage } from '../../../shared/schemas/ws';
import { startTestServer } from '../helpers';

const s = await startTestServer({ CODETTE_LOG_LEVEL: 'silent' });
let bad = false;
try {
  const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/ws`);
  await new Promise((r) => ws.once('open', r));
  const reply = new Promise<string>((resolve) => ws.on('message', (d) => (String(d).includes('"error"') ? resolve(String(d)) : undefined)));
  ws.send(JSON.stringify({ type: 'status', id: 'x'.repeat(101) }));
  const text = await reply;
  const check = ServerMessage.safeParse(JSON.parse(text));
  console.log(`sent {type:"status", id:"x"*101} -> ${text.slice(0, 160)}...`);
  console.log(check.success ? 'the error fits ServerMessage' : `the error does NOT fit ServerMessage: ${check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  bad = !check.success;
  ws.close();
} finally {
  await s.close();
}
process.exit(bad ? 1 : 0);
