import { startTestServer } from '/work/main/server/test/helpers';
import { rawRequest } from '/work/main/server/test/fuzz/http-client';
const s = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
for (const body of ['{', undefined]) {
  const r = await rawRequest(s.url, { method: 'GET', path: '/health', headers: {}, body });
  console.log(r.status, r.headers, r.body.toString().slice(0, 200));
}
const u = new URL(s.url);
const { execSync } = await import('node:child_process');
console.log(execSync(`curl -s -i -X GET -H 'content-type: application/json' --data '{' ${s.url}/health`).toString().slice(0, 400));
await s.close();
