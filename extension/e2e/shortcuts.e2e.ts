import type { Page, Target } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { browser as ExtensionApi } from 'wxt/browser';
import {
  CHROME_BUILD,
  freePort,
  launchChromium,
  Observer,
  serveFixtures,
  ServerProcess,
  setServerUrl,
  sleep,
  VirtualDisplay,
  type ChromeSession,
  fixtureState,
  suggestedKeys,
  until,
  type FixtureState,
} from './harness';
import { enableSiteInStorage } from './site-permission';

/**
 * What only a real user's keyboard and toolbar reach: the manifest's keyboard commands and chrome.sidePanel.open.
 *
 * Chromium runs headful on an Xvfb display, and the keys are pressed with xdotool (XTEST, as a keyboard would): CDP key
 * events (page.keyboard) are delivered to the page's renderer and never reach the browser's accelerators, in headless
 * and headful mode alike, so chrome.commands.onCommand never fires for them. The popup is Chrome's real action popup
 * (Extensions.triggerAction, as a toolbar click), and its button is clicked with CDP input, which is a user gesture.
 */
/** What the functions evaluated in the extension's pages and worker see (Chrome's extension API). */
declare const chrome: typeof ExtensionApi;

let display: VirtualDisplay;
let session: ChromeSession;
let server: ServerProcess;
let fixtures: Awaited<ReturnType<typeof serveFixtures>>;
let observer: Observer;
/** An extension page (the first-run welcome tab) to ask the background what it sees. */
let options: Page;
let daw: Page;

const DAW_TITLE = 'Codette demo DAW';
const suggested = suggestedKeys(CHROME_BUILD);
/** "Alt+Shift+K" -> "alt+shift+k" (xdotool's keysym names). */
const xkeys = (command: string) => suggested[command]!.toLowerCase();

const fixture = fixtureState;
const lastEvent = async (p: Page) => (await fixture(p)).log.at(-1)?.event ?? null;

/** Runs `fn` in the service worker once its extension APIs are bound (right after the attach they may not be yet). */
async function inWorker<T>(fn: () => T | Promise<T>): Promise<T> {
  const worker = await session.worker();
  await until(
    () => worker.evaluate(() => typeof chrome !== 'undefined' && !!chrome.sidePanel),
    5_000,
    'the worker to bind chrome.*',
  );
  return worker.evaluate(fn) as Promise<T>;
}

/** The background's own view (the snapshot it sends to every panel): is the active DAW tab playing? */
const backgroundSeesPlaying = () =>
  options.evaluate(async () => {
    const snap = (await chrome.runtime.sendMessage({ type: 'status' })) as {
      daw: { observed: { playing?: boolean } } | null;
    };
    return snap.daw?.observed.playing ?? null;
  });

const sidePanelUrl = () => `chrome-extension://${session.extensionId}/sidepanel.html`;
const sidePanelTarget = (): Target | undefined => session.browser.targets().find((t) => t.url() === sidePanelUrl());

/** The side panel, as Chrome shows it (not a tab), rendered and connected, showing the DAW tab. */
async function openedSidePanel(): Promise<Page> {
  const target = await session.browser.waitForTarget((t) => t.url() === sidePanelUrl(), { timeout: 10_000 });
  const tabs = await inWorker(async () => (await chrome.tabs.query({})).map((t) => t.url ?? ''));
  expect(tabs.filter((u) => u.endsWith('/sidepanel.html'))).toEqual([]);
  const panel = await target.asPage();
  await panel.waitForSelector('[data-testid=transport]', { timeout: 10_000 });
  await until(async () => (await panel.$('[data-testid=banner]')) === null, 15_000, 'the side panel to connect');
  await panel.waitForFunction(
    (site) => document.querySelector('[data-testid=daw-site]')?.textContent?.includes(site) ?? false,
    { timeout: 10_000, polling: 100 },
    DAW_TITLE,
  );
  return panel;
}

async function closeSidePanel(): Promise<void> {
  await inWorker(async () => {
    const w = await chrome.windows.getLastFocused();
    await chrome.sidePanel.close({ windowId: w.id! });
  });
  await until(() => !sidePanelTarget(), 5_000, 'the side panel to close');
}

beforeAll(async () => {
  display = await VirtualDisplay.start();
  fixtures = await serveFixtures();
  server = new ServerProcess(await freePort());
  await server.start();
  observer = new Observer(server.url);
  await observer.open();
  session = await launchChromium({ display: display.display });
  // The extension opens its welcome page in a tab on install: that page talks to the background for the tests.
  const optionsTarget = await session.browser.waitForTarget(
    (t) => t.url() === `chrome-extension://${session.extensionId}/welcome.html`,
    { timeout: 10_000 },
  );
  options = (await optionsTarget.asPage())!;
  await setServerUrl(options, server.url);
  // Codette acts only on sites the user enabled (the panel's answer, recorded as the panel records it).
  await enableSiteInStorage(options, fixtures.url);
  daw = await session.browser.newPage();
  await daw.goto(`${fixtures.url}/labelled.html`);
  await daw.bringToFront();
  await until(
    () =>
      options.evaluate(
        async () =>
          ((await chrome.runtime.sendMessage({ type: 'status' })) as { daw: { title: string } | null }).daw?.title ??
          '',
      ),
    10_000,
    'the background to know the DAW tab',
  );
});

afterAll(async () => {
  observer?.close();
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await fixtures?.close();
  await display?.stop();
});

describe('Chromium (headful, Xvfb): keyboard commands and the popup open the real side panel and drive the DAW', () => {
  it("Chrome assigned every suggested key of the manifest (none of them is one of the browser's own shortcuts)", async () => {
    const assigned = await inWorker(async () =>
      Object.fromEntries((await chrome.commands.getAll()).map((c) => [c.name!, c.shortcut ?? ''])),
    );
    console.log(`[measure] shortcuts Chrome assigned: ${JSON.stringify(assigned)}`);
    expect(Object.keys(suggested).sort()).toEqual(['open-panel', 'play-pause', 'stop']);
    for (const [name, key] of Object.entries(suggested)) expect(assigned[name], name).toBe(key);
  });

  it("the popup's Open side panel button (real toolbar popup, clicked with CDP input) opens the side panel, which renders and connects", async () => {
    expect(sidePanelTarget()).toBeUndefined();
    const extension = (await session.browser.extensions()).get(session.extensionId);
    if (!extension) throw new Error('extension not found');
    await daw.bringToFront();
    await daw.triggerExtensionAction(extension);
    const popupTarget = await session.browser.waitForTarget(
      (t) => t.url() === `chrome-extension://${session.extensionId}/popup.html`,
      { timeout: 10_000 },
    );
    const popup = (await popupTarget.asPage())!;
    // Connected: the popup has been up long enough to know its window (a person cannot click sooner).
    await popup.waitForSelector('[data-testid=popup][data-level=green]', { timeout: 15_000 });
    const closed = new Promise<void>((r) => popup.once('close', () => r()));
    // The popup closes itself inside the click, so the click's own CDP call may see its target go.
    await popup.click('[data-testid=open-panel]').catch((e: Error) => {
      if (!/Target closed|Session closed|detached/i.test(e.message)) throw e;
    });
    await closed;
    const panel = await openedSidePanel();
    expect(await panel.evaluate(() => location.pathname)).toBe('/sidepanel.html');
    await closeSidePanel();
  });

  it('the open-panel key, pressed on the DAW tab, opens the side panel in that window; the key also invokes Codette on the tab (tab capture allowed)', async () => {
    expect(sidePanelTarget()).toBeUndefined();
    // A new DAW tab, which the toolbar click above did not invoke Codette on: capture is refused there until the key.
    const dawTab = () =>
      options.evaluate(
        async () =>
          ((await chrome.runtime.sendMessage({ type: 'status' })) as { daw: { tabId: number } | null }).daw?.tabId ??
          null,
      );
    const invokedTab = await dawTab();
    await daw.close();
    daw = await session.browser.newPage();
    await daw.goto(`${fixtures.url}/labelled.html`);
    await daw.bringToFront();
    const tabId = await until(
      async () => {
        const id = await dawTab();
        return id !== null && id !== invokedTab ? id : null;
      },
      10_000,
      'the background to know the new DAW tab',
    );
    const capture = () =>
      options.evaluate(
        (targetTabId) =>
          chrome.tabCapture.getMediaStreamId({ targetTabId }).then(
            () => 'allowed',
            (e: Error) => `refused: ${e.message}`,
          ),
        tabId,
      );
    expect(await capture()).toMatch(/^refused: .*invoked/);
    display.pressIn(DAW_TITLE, xkeys('open-panel'));
    const panel = await openedSidePanel();
    // The key counts as invoking the extension on the DAW tab, as the toolbar click does (the meters' hint says so).
    await panel.click('[data-testid=meters-start]');
    const state = await until(
      () =>
        panel.$eval('[data-testid=meters]', (el) =>
          ['running', 'error'].includes(el.getAttribute('data-state') ?? '')
            ? `${el.getAttribute('data-state')} ${el.querySelector('[data-testid=meters-error]')?.getAttribute('data-code') ?? ''}`.trim()
            : null,
        ),
      10_000,
      'the meters to start or fail',
    );
    expect(state).toBe('running');
    await panel.click('[data-testid=meters-stop]');
    await sleep(1_000); // what the offscreen document says as it closes arrives after the click
    expect(
      await panel.$eval('[data-testid=meters]', (el) =>
        `${el.getAttribute('data-state')} ${el.querySelector('[data-testid=meters-error]')?.textContent ?? ''}`.trim(),
      ),
    ).toBe('idle');
    await closeSidePanel();
  });

  it("the play/pause and stop keys change the DAW tab's real playback, and reach the server as transport commands", async () => {
    const sent = () =>
      observer.states.filter((s) => s.state.changed_by.source === 'ws' && s.command).map((s) => s.command!.action);
    const before = sent().length;
    await daw.bringToFront();
    expect((await fixture(daw)).playing).toBe(false);
    const press = async (command: string, playing: boolean, event: string) => {
      display.pressIn(DAW_TITLE, xkeys(command));
      await daw.waitForFunction(
        (p) => (window as unknown as { __fixture: FixtureState }).__fixture.playing === p,
        { timeout: 5_000, polling: 50 },
        playing,
      );
      expect(await lastEvent(daw)).toBe(event);
      // The next press toggles from what the background has seen: wait for the page's report to reach it.
      await until(
        async () => (await backgroundSeesPlaying()) === playing,
        5_000,
        `the background to see playing=${playing}`,
      );
    };
    await press('play-pause', true, 'play');
    await press('play-pause', false, 'pause');
    expect((await fixture(daw)).offset).toBeGreaterThan(0); // paused, not stopped: the position is kept
    await press('play-pause', true, 'play');
    await press('stop', false, 'stop');
    expect((await fixture(daw)).offset).toBe(0);
    await until(() => sent().length - before >= 4, 5_000, 'the four commands at the server');
    expect(sent().slice(before)).toEqual(['play', 'pause', 'play', 'stop']);
  });
});
