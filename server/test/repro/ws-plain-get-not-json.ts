/**
 * REPRO (minor server bug, not fixed here): a plain GET /ws (no Upgrade header) is answered 426 with the text body
 * "WebSocket upgrade is required." instead of the project's JSON error shape {error:{code,message}}, which the README
 * promises for every error. The answer comes from h3's defineWebSocketHandler (server/app.ts: app.get(WS_PATH, ...)),
 * before Codette's onError. Also `GET /ws/.` (router normalisation).
 *
 *   npx tsx server/test/repro/ws-plain-get-not-json.ts      (exit 1 while the bug is there)
 */
import { startTestServer } from '../helpers';

const s = await startTestServer({ CODETTE_LOG_LEVEL: 'silent' });
let bad = 0;
try {
  for (const path of ['/ws', '/ws/.']) {
    const res = await s.fetch(path);
    const text = await res.text();
    let json = false;
    try {
      json = typeof (JSON.parse(text) as { error?: { code?: unknown } }).error?.code === 'string';
    } catch {
      json = false;
    }
    console.log(`GET ${path} -> ${res.status} ${res.headers.get('content-type')} ${JSON.stringify(text)}${json ? '' : '   <- not {error:{code,message}}'}`);
    if (!json) bad++;
  }
} finally {
  await s.close();
}
process.exit(bad ? 1 : 0);
