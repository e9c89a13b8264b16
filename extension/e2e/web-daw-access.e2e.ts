import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessList } from '../../shared/api/access';
import { encodeWav } from '../../shared/dsp/wav';
import {
  codetteStatus,
  freePort,
  launchChromium,
  openConnectedPanel,
  ServerProcess,
  type ChromeSession,
  until,
} from './harness';
import { axeViolations, layoutFacts, screenshot, useTheme, type Theme } from './ui-check';

/**
 * Issue 15: a web DAW on a PUBLIC origin (Chromium is told so with --ip-address-space-overrides) reaches Codette on
 * 127.0.0.1 once Chrome's Local Network Access permission ("loopback-network" in Chromium 156) is granted, asks the
 * user through the extension (Allow in the side panel), then chats, drives and follows the transport and uploads a
 * WAV through @codette/client. Denied (the browser's permission, or the user's Deny), the page says what to do.
 */

interface PublicSite {
  origin: string;
  url: string;
  server: Server;
}

/** The example page exactly as Codette serves it, from another origin (the copy a web DAW would host). */
async function servePublicCopy(port: number, html: string, csp: string): Promise<PublicSite> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(html),
  );
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${port}`;
  return { origin, url: origin, server };
}

/** A 3 s stereo bounce: a 220 Hz tone at about -12 dBFS. */
function bounceFile(): string {
  const rate = 44_100;
  const left = new Float32Array(rate * 3);
  for (let i = 0; i < left.length; i++) left[i] = 0.25 * Math.sin((2 * Math.PI * 220 * i) / rate);
  const path = join(mkdtempSync(join(tmpdir(), 'codette-bounce-')), 'my-bounce.wav');
  writeFileSync(path, encodeWav([left, left.slice()], rate));
  return path;
}

const badgeText = (extensionPage: Page) =>
  extensionPage.evaluate(() =>
    (
      globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }
    ).chrome.action.getBadgeText({}),
  );

/** The view as it is now, in light and dark at 320 px: no serious axe finding, no overflow, no tiny targets. */
async function checkLook(page: Page, name: string) {
  await page.bringToFront();
  await page.setViewport({ width: 320, height: 800 });
  for (const theme of ['light', 'dark'] as Theme[]) {
    await useTheme(page, theme);
    await screenshot(page, `${name}-${theme}-320-en`);
    const facts = await layoutFacts(page);
    expect(facts.overflowX, `${name} ${theme}: horizontal overflow`).toBeLessThanOrEqual(0);
    expect(facts.overlaps, `${name} ${theme}: text over text`).toEqual([]);
    expect(facts.smallTargets, `${name} ${theme}: small targets`).toEqual([]);
    expect(await axeViolations(page), `${name} ${theme}: axe`).toEqual([]);
  }
}

const dataset = (page: Page, selector: string, key: string) =>
  page.$eval(selector, (el, k) => (el as HTMLElement).dataset[k] ?? null, key);

describe('a public web DAW pairs through the extension and uses Codette (Chromium, Local Network Access)', () => {
  let codette: ServerProcess;
  let session: ChromeSession;
  let granted: PublicSite;
  let refused: PublicSite;
  let panel: Page;
  let permissions: CDPSession | undefined;

  /**
   * Chrome's LNA permission for one origin, set like a user's answer to its prompt. Measured in Chromium 156: a grant
   * reaches the network service only through grantPermissions with 'loopbackNetwork' (setPermission 'granted' moves
   * navigator.permissions.query alone); a denial through setPermission on 'loopback-network'.
   */
  async function setLoopbackPermission(origin: string, setting: 'granted' | 'denied') {
    // The session stays open: Chromium drops a session's permission overrides when it detaches.
    permissions ??= await session.browser.target().createCDPSession();
    if (setting === 'granted')
      await permissions.send('Browser.grantPermissions', { origin, permissions: ['loopbackNetwork'] });
    else await permissions.send('Browser.setPermission', { origin, permission: { name: 'loopback-network' }, setting });
  }

  async function openSite(site: PublicSite): Promise<Page> {
    const page = await session.browser.newPage();
    await page.goto(`${site.url}/?codette=${encodeURIComponent(codette.url)}`);
    await page.waitForSelector('#connect');
    return page;
  }

  beforeAll(async () => {
    codette = new ServerProcess(await freePort());
    await codette.start();
    const example = await fetch(`${codette.url}/examples/web-daw`);
    const html = await example.text();
    const csp = example.headers.get('content-security-policy') ?? '';
    const ports = [await freePort(), await freePort()] as const;
    [granted, refused] = await Promise.all([
      servePublicCopy(ports[0], html, csp),
      servePublicCopy(ports[1], html, csp),
    ]);
    session = await launchChromium({
      args: [`--ip-address-space-overrides=${ports.map((p) => `127.0.0.1:${p}=public`).join(',')}`],
    });
    // In this order: grantPermissions resets the other permission overrides of the browser.
    await setLoopbackPermission(refused.origin, 'denied');
    await setLoopbackPermission(granted.origin, 'granted');
    panel = await openConnectedPanel(session, codette.url);
  });

  afterAll(async () => {
    await session?.browser.close();
    await codette?.kill();
    for (const site of [granted, refused]) site?.server.close();
  });

  it('is refused before the click, allowed by Allow in the panel, then chats, drives the transport and analyses a WAV', async () => {
    const page = await openSite(granted);
    // Treated as public: before the user says yes, Codette refuses it (no CORS, 403 on writes).
    const before = await page.evaluate(async (url) => {
      const r = await fetch(`${url}/codette/transport`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'play' }),
      }).then(
        () => 'answered',
        () => 'refused',
      );
      return r;
    }, codette.url);
    expect(before).toBe('refused');
    expect((await codetteStatus(codette.url)).playing).toBe(false);

    await page.click('#connect');
    const ask = await panel.waitForSelector(`[data-testid=access-request][data-origin="${granted.origin}"]`, {
      timeout: 15_000,
    });
    expect(await ask!.evaluate((el) => el.textContent)).toContain('Codette example DAW');
    // With the panel and the popup closed, the toolbar badge says a page waits.
    expect(await badgeText(panel)).toBe('1?');
    await checkLook(panel, 'panel-web-access');
    await page.bringToFront();
    await ask!.$eval('[data-testid=access-allow]', (b) => (b as HTMLButtonElement).click());
    await until(async () => (await dataset(page, '#access', 'state')) === 'allowed', 15_000, 'the page to be allowed');
    await until(
      async () => (await dataset(page, '#transport', 'connected')) === 'true',
      15_000,
      'the page socket to open',
    );
    await until(async () => (await panel.$('[data-testid=access-request]')) === null, 5_000, 'the prompt to go');
    await until(async () => (await badgeText(panel)) !== '1?', 5_000, 'the badge to show the connection again');

    // Page → Codette.
    await page.click('#play');
    await until(async () => (await codetteStatus(codette.url)).playing, 5_000, 'the server to play');
    // Codette (the panel) → page.
    await panel.bringToFront();
    await panel.click('[data-testid=transport] [data-testid=stop]');
    await page.bringToFront();
    await until(async () => !(await codetteStatus(codette.url)).playing, 5_000, 'the server to stop');
    await until(
      async () => (await dataset(page, '#transport', 'playing')) === 'false',
      5_000,
      'the page to show the stop',
    );

    // Chat, streamed.
    await page.type('#question', 'How do I make my kick punchier?');
    await page.click('#ask');
    await until(async () => (await dataset(page, '#answer', 'done')) !== 'false', 30_000, 'the chat answer');
    expect(await dataset(page, '#answer', 'done')).toBe('true');
    expect(Number(await dataset(page, '#answer', 'deltas'))).toBeGreaterThan(0);
    expect((await page.$eval('#answer', (el) => el.textContent ?? '')).length).toBeGreaterThan(20);

    // Analyse my bounce: upload progress, then the report.
    const input = await page.$('#wav');
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(bounceFile());
    await until(
      async () => ['done', 'error'].includes((await dataset(page, '#bounce', 'state')) ?? ''),
      60_000,
      'the analysis',
    );
    expect(await page.$eval('#report', (el) => el.textContent)).toMatch(/\d+\/100/);
    expect(await dataset(page, '#bounce', 'state')).toBe('done');
    expect(Number(await dataset(page, '#bounce', 'uploaded'))).toBeGreaterThan(500_000);
    expect(await page.$eval('#upload-progress', (el) => (el as HTMLProgressElement).value)).toBe(1);

    // Revoked in the options: the page loses its socket and its writes.
    const options = await session.openExtensionPage('options.html');
    const row = await options.waitForSelector(`[data-testid=access-origin][data-origin="${granted.origin}"]`, {
      timeout: 10_000,
    });
    await checkLook(options, 'options-web-access');
    await row!.$eval('[data-testid=access-revoke]', (b) => (b as HTMLButtonElement).click());
    await until(async () => (await options.$(`[data-origin="${granted.origin}"]`)) === null, 5_000, 'the row to go');
    const list = AccessList.parse(await (await fetch(`${codette.url}/api/access`)).json());
    expect(list.origins.map((o) => o.origin)).not.toContain(granted.origin);
    await page.bringToFront();
    await page.click('#play');
    await until(
      async () => (await page.$eval('#transport-message', (el) => el.textContent ?? '')).length > 0,
      5_000,
      'the refused play to be explained',
    );
    expect((await codetteStatus(codette.url)).playing).toBe(false);
  });

  it('served by Codette itself, it is let in without asking and follows the transport', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${codette.url}/examples/web-daw`);
    await page.click('#connect');
    await until(async () => (await dataset(page, '#access', 'state')) === 'allowed', 10_000, 'the own page to connect');
    await until(async () => (await dataset(page, '#transport', 'connected')) === 'true', 10_000, 'its socket');
    expect(await panel.$('[data-testid=access-request]')).toBeNull();
    await page.click('#play');
    await until(async () => (await codetteStatus(codette.url)).playing, 5_000, 'the server to play');
    await page.click('#stop');
    await until(async () => (await dataset(page, '#transport', 'playing')) === 'false', 5_000, 'the page to stop');
    await page.close();
  });

  it("says what to do when the browser's Local Network Access permission is denied", async () => {
    const page = await openSite(refused);
    await page.click('#connect');
    await until(async () => (await dataset(page, '#access', 'state')) === 'error', 15_000, 'the refusal');
    const message = await page.$eval('#access-message', (el) => el.textContent ?? '');
    expect(message).toMatch(/local network/i);
    expect(await panel.$(`[data-testid=access-request][data-origin="${refused.origin}"]`)).toBeNull();
  });

  it('says what to do when the user clicks Deny in the popup (after the revoke above), and asks no more', async () => {
    const page = await openSite(granted);
    await page.click('#connect');
    const popup = await session.openExtensionPage('popup.html');
    const ask = await popup.waitForSelector(`[data-testid=access-request][data-origin="${granted.origin}"]`, {
      timeout: 15_000,
    });
    await ask!.$eval('[data-testid=access-deny]', (b) => (b as HTMLButtonElement).click());
    await until(async () => (await panel.$('[data-testid=access-request]')) === null, 5_000, 'the panel prompt to go');
    await page.bringToFront();
    await until(async () => (await dataset(page, '#access', 'state')) === 'denied', 15_000, 'the denial');
    expect(await page.$eval('#access-message', (el) => el.textContent)).toContain('Options');
    await page.click('#connect');
    await until(async () => (await dataset(page, '#access', 'state')) === 'denied', 5_000, 'the second denial');
    expect(await panel.$('[data-testid=access-request]')).toBeNull();
  });
});
