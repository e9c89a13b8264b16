/**
 * "Start Codette" in Chromium: the host registered by `codette install-browser-host` in a temporary profile (Chromium
 * on Linux reads user-level hosts from <user-data-dir>/NativeMessagingHosts, which for the default profile is
 * ~/.config/chromium/NativeMessagingHosts: the profile here is <temp HOME>/.config/chromium), the server stopped,
 * the popup's button pressed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackedExtensionId } from '../../server/cli/browser-host';
import { CHROME_BUILD, freePort, launchChromium, ROOT, setServerUrl, type ChromeSession } from './harness';

const CLI = join(ROOT, '.output/server/cli.mjs');
const home = mkdtempSync(join(tmpdir(), 'codette-native-home-'));
const dataDir = join(home, 'codette-data');
let port = 0;
let session: ChromeSession;

const codette = (...args: string[]) =>
  execFileSync(process.execPath, [CLI, ...args, '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, HOME: home },
    encoding: 'utf8',
  });
const healthy = () =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.ok,
    () => false,
  );

beforeAll(async () => {
  port = await freePort();
  session = await launchChromium({ userDataDir: join(home, '.config/chromium'), env: { HOME: home } });
});
afterAll(async () => {
  await session?.browser.close();
  if (port) codette('stop');
});

describe('Chromium: Start Codette through the native messaging host', () => {
  it('the unpacked build has the id install-browser-host allows', () => {
    expect(session.extensionId).toBe(unpackedExtensionId(CHROME_BUILD));
    codette('install-browser-host');
    const manifest = JSON.parse(
      readFileSync(join(home, '.config/chromium/NativeMessagingHosts/dev.codette.host.json'), 'utf8'),
    ) as { allowed_origins: string[] };
    expect(manifest.allowed_origins).toContain(`chrome-extension://${session.extensionId}/`);
  });

  it("the popup's button starts the stopped server within 3 s and the popup turns green", async () => {
    expect(await healthy()).toBe(false);
    const popup = await session.openExtensionPage('popup.html');
    await setServerUrl(popup, `http://127.0.0.1:${port}`);
    await popup.reload();
    await popup.waitForSelector('[data-testid=popup][data-level=red]', { timeout: 20_000 });
    const button = await popup.waitForSelector('[data-testid=start-codette]', { timeout: 5000 });
    const clicked = Date.now();
    await button!.click();
    while (!(await healthy())) {
      if (Date.now() - clicked > 10_000)
        throw new Error(`no server after 10 s; popup says: ${await popup.$eval('body', (b) => b.textContent)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const elapsed = Date.now() - clicked;
    expect(elapsed).toBeLessThan(3000);
    await popup.waitForSelector('[data-testid=popup][data-level=green]', { timeout: 20_000 });
    expect(await popup.$('[data-testid=start-codette]')).toBeNull();
    expect(await popup.$('[data-testid=start-error]')).toBeNull();
    await popup.close();
  });

  it("the side panel's banner offers it too once the server is gone, and it starts it again", async () => {
    codette('stop');
    expect(await healthy()).toBe(false);
    const panel = await session.openExtensionPage('sidepanel.html');
    await panel.waitForSelector('[data-testid=banner][data-phase=offline] [data-testid=start-codette]', {
      timeout: 30_000,
    });
    const clicked = Date.now();
    await panel.click('[data-testid=banner] [data-testid=start-codette]');
    while (!(await healthy())) {
      if (Date.now() - clicked > 10_000) throw new Error("no server 10 s after the banner's button");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Date.now() - clicked).toBeLessThan(3000);
    await panel.waitForFunction(() => document.querySelector('[data-testid=banner]') === null, { timeout: 20_000 });
    await panel.close();
  });
});
