import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { browser as ExtensionApi } from 'wxt/browser';
import {
  FIREFOX_BUILD,
  freePort,
  launchFirefox,
  Observer,
  serveFixtures,
  ServerProcess,
  VirtualDisplay,
  type FirefoxSession,
  fixtureState,
  suggestedKeys,
  until,
  type FixtureState,
} from './harness';
import { enableSiteInStorage } from './site-permission';

/**
 * The manifest's keyboard commands in Firefox ESR, pressed as a user would: Firefox runs headful on an Xvfb display and
 * xdotool presses the keys (XTEST), which reach Firefox's own key handling, its menu bar's access keys included. A key
 * that the menu bar takes (Alt+Shift+S opened History) is still listed by commands.getAll(), so only pressing it shows
 * that it works. The extension is the built .output/firefox-mv3, installed as a temporary add-on (see launchFirefox).
 */
/** What the functions evaluated in the extension's pages see. */
declare const browser: typeof ExtensionApi;

let display: VirtualDisplay;
let session: FirefoxSession;
let server: ServerProcess;
let fixtures: Awaited<ReturnType<typeof serveFixtures>>;
let observer: Observer;
/** The first-run options tab: an extension page that asks the background and the sidebar what they see. */
let driver: Page;
let daw: Page;

const DAW_TITLE = 'Codette demo DAW';
const suggested = suggestedKeys(FIREFOX_BUILD);
/** "Alt+Shift+K" -> "alt+shift+k" (xdotool's keysym names). */
const xkeys = (command: string) => suggested[command]!.toLowerCase();
const press = (command: string) => display.pressIn(DAW_TITLE, xkeys(command));

const fixture = fixtureState;

interface Status {
  connection: { phase: string };
  daw: { title: string; observed: { playing?: boolean } } | null;
}
const status = () => driver.evaluate(() => browser.runtime.sendMessage({ type: 'status' }) as Promise<Status>);
/** Firefox-only APIs, which the cross-browser `browser` type does not declare. */
interface FirefoxOnly {
  sidebarAction: { isOpen(details: object): Promise<boolean> };
  extension: { getViews(filter: { type: 'sidebar' }): { document: Document; location: Location }[] };
}
const sidebarOpen = () => driver.evaluate(() => (browser as unknown as FirefoxOnly).sidebarAction.isOpen({}));
/** The sidebar page, if loaded: its path, whether it is connected (no banner), and the DAW it shows. */
const sidebar = () =>
  driver.evaluate(() => {
    const w = (browser as unknown as FirefoxOnly).extension.getViews({ type: 'sidebar' })[0];
    if (!w) return null;
    const doc = w.document;
    return {
      path: w.location.pathname,
      connected: !!doc.querySelector('[data-testid=transport]') && doc.querySelector('[data-testid=banner]') === null,
      site: doc.querySelector('[data-testid=daw-site]')?.textContent ?? '',
    };
  });

beforeAll(async () => {
  display = await VirtualDisplay.start();
  fixtures = await serveFixtures();
  server = new ServerProcess(await freePort());
  await server.start();
  observer = new Observer(server.url);
  await observer.open();
  session = await launchFirefox({ display: display.display });
  driver = session.firstRun;
  await driver.evaluate(
    (serverUrl) => browser.storage.local.set({ 'codette.settings.v1': { serverUrl, sites: [], profiles: [] } }),
    server.url,
  );
  // Codette acts only on sites the user enabled (the panel's answer, recorded as the panel records it).
  await enableSiteInStorage(driver, fixtures.url);
  daw = await session.browser.newPage();
  await daw.goto(`${fixtures.url}/labelled.html`);
  await daw.bringToFront();
  await until(
    async () => {
      const s = await status();
      return s.connection.phase === 'connected' && s.daw?.title.includes(DAW_TITLE);
    },
    15_000,
    'the background to connect and know the DAW tab',
  );
});

afterAll(async () => {
  observer?.close();
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await fixtures?.close();
  await display?.stop();
});

describe('Firefox ESR (headful, Xvfb): keyboard commands pressed with xdotool', () => {
  it("Firefox lists every suggested key of the manifest as the command's shortcut", async () => {
    const assigned = await driver.evaluate(async () =>
      Object.fromEntries((await browser.commands.getAll()).map((c) => [c.name!, c.shortcut ?? ''])),
    );
    console.log(`[measure] shortcuts Firefox assigned: ${JSON.stringify(assigned)}`);
    expect(Object.keys(suggested).sort()).toEqual(['_execute_sidebar_action', 'play-pause', 'stop']);
    for (const [name, key] of Object.entries(suggested)) expect(assigned[name], name).toBe(key);
  });

  it("the play/pause and stop keys change the DAW tab's real playback, and reach the server as transport commands", async () => {
    const t0 = Date.now();
    const sent = () =>
      observer.states.filter((s) => s.state.changed_by.source === 'ws' && s.command).map((s) => s.command!.action);
    const before = sent().length;
    expect((await fixture(daw)).playing).toBe(false);
    const step = async (command: string, playing: boolean, event: string) => {
      press(command);
      await daw.waitForFunction(
        (p) => (window as unknown as { __fixture: FixtureState }).__fixture.playing === p,
        { timeout: 5_000, polling: 50 },
        playing,
      );
      expect((await fixture(daw)).log.at(-1)?.event).toBe(event);
      // The next press toggles from what the background has seen: wait for the page's report to reach it.
      await until(
        async () => (await status()).daw?.observed.playing === playing,
        5_000,
        `the background to see playing=${playing}`,
      );
    };
    await step('play-pause', true, 'play');
    await step('play-pause', false, 'pause');
    expect((await fixture(daw)).offset).toBeGreaterThan(0); // paused, not stopped: the position is kept
    await step('play-pause', true, 'play');
    await step('stop', false, 'stop');
    expect((await fixture(daw)).offset).toBe(0);
    await until(() => sent().length - before >= 4, 5_000, 'the four commands at the server');
    expect(sent().slice(before)).toEqual(['play', 'pause', 'play', 'stop']);
    console.log(
      `[measure] Firefox: four key presses played, paused, played and stopped the DAW in ${Date.now() - t0} ms`,
    );
  });

  it('the open-panel key (_execute_sidebar_action) opens the real sidebar, which connects and shows the DAW tab; pressed again, it closes it', async () => {
    expect(await sidebarOpen()).toBe(false);
    press('_execute_sidebar_action');
    await until(sidebarOpen, 5_000, 'the sidebar to open');
    const shown = await until(
      async () => {
        const s = await sidebar();
        return s?.connected && s.site.includes(DAW_TITLE) ? s : null;
      },
      15_000,
      'the sidebar to connect and show the DAW tab',
    );
    expect(shown.path).toBe('/sidepanel.html');
    press('_execute_sidebar_action');
    await until(async () => !(await sidebarOpen()), 5_000, 'the sidebar to close');
    expect(await sidebar()).toBeNull();
  });
});
