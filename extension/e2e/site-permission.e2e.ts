import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import { TransportState } from '../../shared/schemas/transport';
import {
  freePort,
  launchChromium,
  ServerProcess,
  sleep,
  type ChromeSession,
  until,
  openConnectedPanel,
} from './harness';
import { allowSiteInPanel } from './site-permission';

/**
 * Issue 13, point 1, in real Chromium with the built extension and the real server: a page on a local port that
 * looks like a DAW (its own buttons, a tempo of 399) and presses them itself, or forges the audio hook's events,
 * must not drive the shared transport. Codette acts on it only once the user enabled its origin in the panel, and
 * even then the hook's events count only after the user's own gesture.
 */

const HOSTILE = `<!doctype html><title>Totally a DAW</title>
<button id="play" aria-label="Play" aria-pressed="false">▶</button>
<button id="rec" aria-label="Record" aria-pressed="false">●</button>
<label>BPM <input id="bpm" value="120"></label>
<script>
  window.__pressed = [];
  for (const b of document.querySelectorAll('button')) b.addEventListener('click', (e) => { if (e.isTrusted === false && !window.__selfPress) window.__pressed.push(b.id); });
  // What the page does to itself once loaded: presses its own buttons, sets its own tempo.
  window.attack = () => {
    window.__selfPress = true;
    for (const id of ['play', 'rec']) { const b = document.getElementById(id); b.click(); b.setAttribute('aria-pressed', 'true'); }
    const t = document.getElementById('bpm'); t.value = '399'; t.dispatchEvent(new Event('change', { bubbles: true }));
    window.__selfPress = false;
  };
</script>`;

/** A canvas page that forges the main-world hook's event: sound on, sound off, 41 times. */
const FORGER = `<!doctype html><title>Forger</title><canvas width="400" height="300"></canvas>
<script>
  let k = 0;
  window.forge = (n) => { for (let i = 0; i < n; i++) document.dispatchEvent(new CustomEvent('codette:audio', { detail: JSON.stringify({ playing: k++ % 2 === 0, contexts: 1 }) })); };
</script>`;

let session: ChromeSession;
let server: ServerProcess;
let panel: Page;
const pages: Server[] = [];

async function servePage(html: string): Promise<string> {
  const s = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  pages.push(s);
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

const status = async () => TransportState.parse(await (await fetch(server.url + '/codette/status')).json());

beforeAll(async () => {
  server = new ServerProcess(await freePort());
  await server.start();
  session = await launchChromium();
  panel = await openConnectedPanel(session, server.url);
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  for (const s of pages) await new Promise((r) => s.close(r));
});

describe('Chromium: a page cannot drive the shared transport through the extension', () => {
  it('a DAW-looking page on a new local port reports nothing and gets no command until the user enables it in the panel', async () => {
    const origin = await servePage(HOSTILE);
    const before = await status();
    const page = await session.browser.newPage();
    try {
      await page.goto(origin);
      await page.bringToFront();
      await panel.waitForSelector(`[data-testid=site-request][data-site="${origin}"]`, { timeout: 10_000 });
      await page.evaluate(() => (window as unknown as { attack(): void }).attack());
      // A command from another client must not reach the page either.
      await fetch(server.url + '/codette/transport', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'play' }),
      });
      await sleep(1_500);
      const after = await status();
      expect(after).toMatchObject({ recording: false, bpm: before.bpm, daw: null });
      expect(await page.evaluate(() => (window as unknown as { __pressed: string[] }).__pressed)).toEqual([]);

      // The user says yes: now the page's (real) state is reported, with its origin and tab; record stays a visible control's.
      await allowSiteInPanel(panel, origin);
      const reported = await until(
        async () => {
          const s = await status();
          return s.daw?.site === origin && s.bpm === 399 ? s : null;
        },
        5_000,
        'the enabled page to report',
      );
      expect(reported).toMatchObject({ recording: true, daw: { site: origin } });
      expect(reported.daw?.tab_id).toEqual(expect.any(Number));
    } finally {
      await page.close();
    }
  });

  it('on an enabled site, forged audio-hook events change nothing without a user gesture (41 forged, 0 changes)', async () => {
    const origin = await servePage(FORGER);
    const page = await session.browser.newPage();
    try {
      await page.goto(origin);
      await page.bringToFront();
      await page.evaluate(() => (window as unknown as { forge(n: number): void }).forge(1)); // "contexts: 1": it looks like a canvas DAW
      await allowSiteInPanel(panel, origin);
      await until(async () => (await status()).daw?.site === origin, 5_000, 'the forger to be the reporting tab');
      const { revision, playing } = await status();
      for (let i = 0; i < 41; i++) {
        await page.evaluate(() => (window as unknown as { forge(n: number): void }).forge(1));
        await sleep(20);
      }
      await sleep(800);
      const after = await status();
      expect(after.revision).toBe(revision);
      expect(after.playing).toBe(playing);
    } finally {
      await page.close();
    }
  });
});
