import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import { TransportState } from '../../shared/schemas/transport';
import { freePort, launchChromium, ServerProcess, type ChromeSession, until, openConnectedPanel } from './harness';
import { allowSiteInPanel } from './site-permission';

/**
 * A DAW whose controls nothing can name (bare divs, listening to mousedown): Codette must not pretend. A play command
 * leaves the server at the DAW's real state and the panel offers to teach it; taught in the page, play and stop work.
 */
const NAMELESS = `<!doctype html><title>Nameless Beats</title>
<style>.k { display:inline-block; width:40px; height:40px; margin:4px; background:#555; }</style>
<div class="k" id="k1"></div><div class="k" id="k2"></div><div class="k" id="k3"></div>
<script>
  let ctx, osc;
  window.__playing = false;
  document.getElementById('k1').addEventListener('mousedown', () => {
    if (osc) return;
    ctx ??= new AudioContext();
    osc = ctx.createOscillator(); const g = ctx.createGain(); g.gain.value = 0.2; osc.connect(g); g.connect(ctx.destination); osc.start();
    window.__playing = true;
  });
  document.getElementById('k2').addEventListener('mousedown', () => { osc?.stop(); osc = null; window.__playing = false; });
</script>`;

let session: ChromeSession;
let server: ServerProcess;
let panel: Page;
let site: Server;
let origin = '';

const status = async () => TransportState.parse(await (await fetch(server.url + '/codette/status')).json());
const post = (body: object) =>
  fetch(server.url + '/codette/transport', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const dawPlaying = (p: Page) => p.evaluate(() => (window as unknown as { __playing: boolean }).__playing);

beforeAll(async () => {
  site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(NAMELESS));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  server = new ServerProcess(await freePort());
  await server.start();
  session = await launchChromium();
  panel = await openConnectedPanel(session, server.url);
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await new Promise((r) => site?.close(r));
});

describe('Chromium: a DAW Codette cannot drive is told as it is, then taught', () => {
  it('play finds no control: the server goes back to stopped, the panel says so; taught, play and stop reach the DAW', async () => {
    const daw = await session.browser.newPage();
    await daw.goto(origin);
    // The page makes a (silent) AudioContext on the user's first press, as apps do: it looks like a DAW from then on.
    await daw.click('#k3');
    await daw.evaluate(() => {
      const c = new AudioContext();
      c.createGain().connect(c.destination);
    });
    await daw.bringToFront();
    await allowSiteInPanel(panel, origin);
    await until(async () => (await status()).daw?.site === origin, 5_000, 'the page to report');

    await post({ action: 'play' });
    const failed = await until(
      async () => {
        const s = await status();
        return s.daw?.outcome?.ok === false ? s : null;
      },
      15_000,
      'the outcome of play',
    );
    expect(failed).toMatchObject({
      playing: false,
      pending: null,
      daw: { outcome: { action: 'play', reason: 'control_not_found' } },
    });
    expect(await dawPlaying(daw)).toBe(false);
    await panel.waitForSelector('[data-testid=daw-failure][data-reason=control_not_found]', { timeout: 5_000 });

    // Teach: start in the panel, click the DAW's own play then stop (real mouse), skip the rest, save.
    await panel.$eval('[data-testid=teach-start]', (el) => (el as HTMLElement).click());
    await panel.waitForSelector('[data-testid=teach][data-step=play]', { timeout: 5_000 });
    await daw.bringToFront();
    await daw.click('#k1');
    await panel.waitForSelector('[data-testid=teach][data-step=stop]', { timeout: 5_000 });
    expect(await dawPlaying(daw)).toBe(false); // the teaching click did not reach the app
    await daw.click('#k2');
    await panel.waitForSelector('[data-testid=teach][data-step=record]', { timeout: 5_000 });
    await panel.$eval('[data-testid=teach-save]', (el) => (el as HTMLElement).click());
    await panel.waitForSelector('[data-testid=teach-result][data-verified=true]', { timeout: 20_000 });

    // From now on the profile drives it, from any client.
    await post({ action: 'play' });
    await until(() => dawPlaying(daw), 10_000, 'the DAW to play from the taught profile');
    await until(
      async () => (await status()).playing && (await status()).pending === null,
      10_000,
      'the server to confirm',
    );
    await post({ action: 'stop' });
    await until(async () => !(await dawPlaying(daw)), 10_000, 'the DAW to stop');
    await daw.close();
  });
});
