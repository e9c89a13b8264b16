import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers';
import { CHROMIUM_ARGS, freePort, ROOT } from './harness';

/**
 * @codette/client's browser build (dist/browser/codette-client.js, one ES module with zod inside) imported by a page
 * in Chromium, on another origin than the server's: the browser's fetch with CORS, a streamed chat read from
 * fetch's body, an upload whose progress comes from XMLHttpRequest, and the browser's own WebSocket.
 */

const BUILD = join(ROOT, 'shared/client/dist/browser/codette-client.js');

let codette: TestServer;
let site: Server;
let siteOrigin = '';
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(ROOT, 'shared/client/scripts/build.mjs'), '--quiet']);
  const port = await freePort();
  siteOrigin = `http://127.0.0.1:${port}`;
  codette = await startTestServer({ CODETTE_ALLOWED_ORIGINS: siteOrigin });
  const script = readFileSync(BUILD);
  site = createServer((req, res) => {
    if (req.url === '/codette-client.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>a web DAW</title>');
  });
  await new Promise<void>((r) => site.listen(port, '127.0.0.1', r));
  const executablePath = existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium';
  browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    args: CHROMIUM_ARGS,
    userDataDir: mkdtempSync(join(tmpdir(), 'codette-client-chromium-')),
  });
  page = await browser.newPage();
  await page.goto(siteOrigin);
  await page.evaluate(
    `import('${siteOrigin}/codette-client.js').then((m) => { globalThis.codette = m.createCodetteClient({ baseUrl: '${codette.url}' }); })`,
  );
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => site?.close(r));
  await codette?.close();
});

describe('@codette/client in Chromium (the browser build)', () => {
  it('reads health and drives the transport through fetch with CORS', async () => {
    const out = await page.evaluate(`(async () => {
      const health = await codette.service.health();
      const tempo = await codette.transport.tempo(142);
      const refused = await codette.transport.tempo(1);
      return { health: health.ok && health.value.version, bpm: tempo.ok && tempo.value.state.bpm, refused: refused.error };
    })()`);
    expect(out).toMatchObject({ bpm: 142, refused: { code: 'invalid_request', status: null } });
    expect((await codette.json<{ bpm: number }>('/codette/status')).body.bpm).toBe(142);
  });

  it('streams a chat answer over SSE read from the fetch body', async () => {
    const out = (await page.evaluate(`(async () => {
      const deltas = [];
      const reply = await codette.chat.stream({ message: 'how loud should a club master be?' }, { onDelta: (d) => deltas.push(d) });
      return { ok: reply.ok, same: reply.ok && deltas.join('') === reply.value.response, deltas: deltas.length };
    })()`)) as { ok: boolean; same: boolean; deltas: number };
    expect(out).toMatchObject({ ok: true, same: true });
    expect(out.deltas).toBeGreaterThan(0);
  });

  it('uploads with progress from XMLHttpRequest', async () => {
    const out = (await page.evaluate(`(async () => {
      const progress = [];
      const file = new Blob([new Uint8Array(2_000_000).fill(66)], { type: 'text/plain' });
      const record = await codette.files.upload(file, { name: 'big.txt', onUploadProgress: (p) => progress.push(p) });
      return { ok: record.ok, size: record.ok && record.value.size_bytes, progress };
    })()`)) as { ok: boolean; size: number; progress: { loaded: number; total: number }[] };
    expect(out).toMatchObject({ ok: true, size: 2_000_000 });
    expect(out.progress.at(-1)).toEqual({ loaded: 2_000_000, total: 2_000_000 });
  });

  it("connects the browser's WebSocket and delivers a command once by id", async () => {
    const out = await page.evaluate(`(async () => {
      const socket = codette.socket();
      const hello = await socket.connect();
      const first = await socket.deliver({ type: 'transport', id: 'browser-1', command: { action: 'tempo', bpm: 99 } });
      const again = await socket.deliver({ type: 'transport', id: 'browser-1', command: { action: 'tempo', bpm: 99 } });
      socket.close();
      return { hello: hello.ok, first: first.ok && first.value, again: again.ok && again.value };
    })()`);
    expect(out).toEqual({ hello: true, first: { duplicate: false }, again: { duplicate: true } });
    expect((await codette.json<{ bpm: number }>('/codette/status')).body.bpm).toBe(99);
  });

  it('says no answer plainly when nothing listens there', async () => {
    const port = await freePort();
    const out = await page.evaluate(`(async () => {
      const { createCodetteClient } = await import('${siteOrigin}/codette-client.js');
      const r = await createCodetteClient({ baseUrl: 'http://127.0.0.1:${port}' }).service.health();
      return r.error;
    })()`);
    expect(out).toMatchObject({ code: 'network_error', status: null });
  });
});
