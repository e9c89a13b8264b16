import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import {
  freePort,
  Gate,
  launchFirefox,
  Observer,
  serveFixtures,
  ServerProcess,
  sleep,
  type FirefoxSession,
  until,
} from './harness';
import { enableSiteInStorage } from './site-permission';

/**
 * Real Firefox ESR (WebDriver BiDi) with .output/firefox-mv3 installed as a temporary add-on, the real server (a child
 * process the tests SIGKILL) behind a TCP gate, and the fixture DAWs on 127.0.0.1.
 *
 * BiDi refuses to navigate a tab to moz-extension://, so the extension opens its own pages: its first-run options tab
 * (runtime.onInstalled), then tabs.create from there. The real sidebar (sidebar_action) is opened by a trusted click on
 * the popup's "Open panel" button (sidebarAction.open needs a user action), and driven through
 * extension.getViews({ type: 'sidebar' }) from another extension page: BiDi does not expose the sidebar itself.
 */
let session: FirefoxSession;
let server: ServerProcess;
let fixtures: Awaited<ReturnType<typeof serveFixtures>>;
let gate: Gate;
/** An extension page that stays open: it reads the sidebar, storage.local and the toolbar badge. */
let driver: Page;
/** Firefox suspends an idle event page after 30 s; shortened so that a test can wait past it. */
const IDLE_MS = 6_000;

/** Runs fn against the real sidebar's document and window (same origin as the driver page). */
function inSidebar<T, A = null>(
  fn: (doc: Document, arg: A, win: Window & typeof globalThis) => T,
  arg?: A,
): Promise<Awaited<T>> {
  return driver.evaluate(
    `(async () => {
      const w = browser.extension.getViews({ type: 'sidebar' })[0];
      if (!w) throw new Error('the sidebar is not open');
      return (${fn.toString()})(w.document, ${JSON.stringify(arg ?? null)}, w);
    })()`,
  ) as Promise<Awaited<T>>;
}

const sidebarClick = (selector: string) =>
  inSidebar((doc, sel) => {
    const el = doc.querySelector<HTMLElement>(sel);
    if (!el) throw new Error(`no ${sel} in the sidebar`);
    el.click();
  }, selector);
const sidebarAttr = (selector: string, attr: string) =>
  inSidebar((doc, a) => doc.querySelector(a.selector)?.getAttribute(a.attr) ?? null, { selector, attr });
const sidebarText = (selector: string) =>
  inSidebar((doc, sel) => doc.querySelector(sel)?.textContent ?? null, selector);
const sidebarConnected = () =>
  inSidebar(
    (doc) => !!doc.querySelector('[data-testid=transport]') && doc.querySelector('[data-testid=banner]') === null,
  );
const setTempo = (bpm: number) =>
  inSidebar((doc, value, win) => {
    const input = doc.querySelector<HTMLInputElement>('[data-testid=bpm]');
    if (!input) throw new Error('no tempo field');
    input.value = String(value);
    input.dispatchEvent(new win.Event('input'));
    input.dispatchEvent(new win.Event('change'));
  }, bpm);
const outboxSize = () =>
  driver.evaluate(async () => {
    const b = (
      globalThis as unknown as {
        browser: { storage: { local: { get(k: string): Promise<Record<string, unknown[]>> } } };
      }
    ).browser;
    return ((await b.storage.local.get('codette.outbox.v1'))['codette.outbox.v1'] ?? []).length;
  });
/** The background's own connection phase (its answer to a runtime message). */
const backgroundPhase = () =>
  driver.evaluate(async () => {
    const b = (
      globalThis as unknown as {
        browser: { runtime: { sendMessage(m: object): Promise<{ connection: { phase: string } }> } };
      }
    ).browser;
    return (await b.runtime.sendMessage({ type: 'status' })).connection.phase;
  });
const sidebarOpen = () =>
  driver.evaluate(() =>
    (
      globalThis as unknown as { browser: { sidebarAction: { isOpen(o: object): Promise<boolean> } } }
    ).browser.sidebarAction.isOpen({}),
  );
/** Whether Firefox's event page is loaded (it lists itself among the extension's views; asking does not wake it). */
const backgroundAlive = () =>
  driver.evaluate(() =>
    (globalThis as unknown as { browser: { extension: { getViews(): Window[] } } }).browser.extension
      .getViews()
      .some((w) => w.location.pathname === '/_generated_background_page.html'),
  );
const playingIn = (page: Page) =>
  page.evaluate(() => (window as unknown as { __fixture: { playing: boolean } }).__fixture.playing);
const tempoCommands = (o: Observer) =>
  o.states
    .filter((s) => s.state.changed_by.source === 'ws' && s.command?.action === 'tempo')
    .map((s) => (s.command as { bpm: number }).bpm);

/** Server killed and restarted behind a closed gate, an observer connected first, then the gate opened. */
async function restartBehindGate(): Promise<Observer> {
  gate.open = false;
  await server.start();
  const observer = new Observer(server.url);
  await observer.open();
  gate.open = true;
  return observer;
}

beforeAll(async () => {
  fixtures = await serveFixtures();
  const [serverPort, gatePort] = [await freePort(), await freePort()];
  server = new ServerProcess(serverPort, { CODETTE_ALLOWED_HOSTS: `127.0.0.1:${gatePort}` });
  await server.start();
  gate = new Gate(serverPort);
  await gate.listen(gatePort);
  session = await launchFirefox({ prefs: { 'extensions.background.idle.timeout': IDLE_MS } });
  driver = session.firstRun;
  // Codette acts only on sites the user enabled (the sidebar's answer, recorded as the sidebar records it).
  await enableSiteInStorage(driver, fixtures.url);
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await gate?.close();
  await fixtures?.close();
});

describe('Firefox ESR: first run, options, the real sidebar', () => {
  it('the extension opens its welcome page on install; saving the server URL in the options is what the background uses', async () => {
    await driver.waitForSelector('[data-testid=step-server]', { timeout: 10_000 });
    expect(await driver.$('[data-testid=open-demo]')).not.toBeNull();
    // The first-run tab goes on to the options: a page without a port to the background, so that the event page can
    // be suspended in the tests below (the welcome page, like the sidebar, holds one while it is open).
    await driver.evaluate(() => location.assign('/options.html'));
    const options = driver;
    await options.waitForSelector('[data-testid=server-url]', { timeout: 10_000 });
    expect(await options.$eval('[data-testid=server-url]', (el) => (el as HTMLInputElement).value)).toBe(
      'http://127.0.0.1:8000',
    );
    await options.$eval(
      '[data-testid=server-url]',
      (el, url) => {
        const input = el as HTMLInputElement;
        input.value = url;
        input.dispatchEvent(new Event('input'));
      },
      gate.url,
    );
    await options.click('[data-testid=save]');
    await options.waitForSelector('[role=status]', { timeout: 5_000 });
    const stored = await options.evaluate(async () => {
      const b = (
        globalThis as unknown as {
          browser: { storage: { local: { get(k: string): Promise<Record<string, { serverUrl: string }>> } } };
        }
      ).browser;
      return (await b.storage.local.get('codette.settings.v1'))['codette.settings.v1']?.serverUrl;
    });
    expect(stored).toBe(gate.url);
    await until(
      async () => gate.connections > 0 && (await backgroundPhase()) === 'connected',
      15_000,
      'the background to connect through the gate',
    );
  });

  it("the popup's Open panel button opens the real sidebar (sidebar_action), which connects to the server", async () => {
    const popup = await session.openExtensionPage('popup.html');
    await popup.bringToFront();
    await popup.waitForSelector('[data-testid=popup][data-level=green]', { timeout: 15_000 });
    // A trusted click (BiDi input actions): sidebarAction.open() runs inside the user action, then the popup closes itself.
    await popup.click('[data-testid=open-panel]');
    await until(sidebarOpen, 5_000, 'the sidebar to open');
    const sidebarPath = () =>
      driver.evaluate(
        () =>
          (
            globalThis as unknown as { browser: { extension: { getViews(o: object): Window[] } } }
          ).browser.extension.getViews({ type: 'sidebar' })[0]?.location.pathname ?? null,
      );
    await until(async () => (await sidebarPath()) !== null, 5_000, 'the sidebar page to load');
    expect(await sidebarPath()).toBe('/sidepanel.html');
    await until(sidebarConnected, 15_000, 'the sidebar to show connected (no banner)');
    await driver.bringToFront();
  });
});

describe('Firefox ESR: transport from the sidebar drives a fixture DAW', () => {
  it('labelled.html: play and stop from the sidebar change the real playback, and the sidebar shows what the page reports', async () => {
    const daw = await session.browser.newPage();
    try {
      await daw.goto(`${fixtures.url}/labelled.html`);
      await daw.bringToFront();
      await until(
        async () => (await sidebarText('[data-testid=daw-site]'))?.includes('Codette demo DAW') ?? false,
        10_000,
        'the sidebar to show the fixture DAW',
      );
      expect(await playingIn(daw)).toBe(false);
      expect(await sidebarAttr('[data-testid=transport]', 'data-playing')).toBe('false');

      await sidebarClick('[data-testid=play]');
      await daw.waitForFunction(() => (window as unknown as { __fixture: { playing: boolean } }).__fixture.playing, {
        timeout: 5_000,
        polling: 50,
      });
      await until(
        async () => (await sidebarAttr('[data-testid=transport]', 'data-playing')) === 'true',
        5_000,
        'the sidebar to show playing',
      );

      await sidebarClick('[data-testid=stop]');
      await daw.waitForFunction(() => !(window as unknown as { __fixture: { playing: boolean } }).__fixture.playing, {
        timeout: 5_000,
        polling: 50,
      });
      await until(
        async () => (await sidebarAttr('[data-testid=transport]', 'data-playing')) === 'false',
        5_000,
        'the sidebar to show stopped',
      );

      // Played in the page itself: the sidebar follows what the page reports.
      await daw.$eval('#play', (el) => (el as HTMLElement).click());
      await until(
        async () => (await sidebarAttr('[data-testid=transport]', 'data-playing')) === 'true',
        2_000,
        'the sidebar to follow the page',
      );
      await daw.$eval('#play', (el) => (el as HTMLElement).click());
      await until(
        async () => (await sidebarAttr('[data-testid=transport]', 'data-playing')) === 'false',
        2_000,
        'the sidebar to follow the page',
      );
    } finally {
      await daw.close();
    }
  });
});

describe('Firefox ESR: the outbox', () => {
  it('server killed while the user sends from the sidebar, then restarted: each command arrives exactly once, in order', async () => {
    await until(sidebarConnected, 15_000, 'a connected sidebar');
    const first = new Observer(server.url);
    await first.open();
    await setTempo(101);
    await setTempo(102);
    await until(() => tempoCommands(first).length === 2, 5_000, 'the first two commands');
    await server.kill();
    first.close();
    await setTempo(103);
    await setTempo(104);
    await setTempo(105);
    await until(async () => (await outboxSize()) === 3, 5_000, 'three stored commands');
    await until(
      async () => (await sidebarText('[data-testid=queue]')) !== null,
      5_000,
      'the sidebar to show the queue',
    );

    const second = await restartBehindGate();
    await sidebarClick('[data-testid=retry]').catch(() => undefined); // Retry at once rather than wait for the backoff
    await until(async () => (await outboxSize()) === 0, 40_000, 'the outbox to drain');
    await sleep(300);
    second.close();
    expect([...tempoCommands(first), ...tempoCommands(second)]).toEqual([101, 102, 103, 104, 105]);
  });
});

describe('Firefox ESR: popup health', () => {
  it('goes red (and the toolbar badge) when the server stops, green when it returns', async () => {
    const popup = await session.openExtensionPage('popup.html');
    try {
      await popup.waitForSelector('[data-testid=popup][data-level=green]', { timeout: 20_000 });
      // Green comes with the socket's hello; the database kind with the /health answer, which may land a moment later.
      await popup.waitForFunction(
        () =>
          /sqlite|memory|supabase|pglite/i.test(document.querySelector('[data-testid=database]')?.textContent ?? ''),
        { timeout: 10_000, polling: 50 },
      );
      await server.kill();
      await popup.waitForSelector('[data-testid=popup][data-level=red]', { timeout: 10_000 });
      const badge = await driver.evaluate(() =>
        (
          globalThis as unknown as { browser: { action: { getBadgeBackgroundColor(o: object): Promise<number[]> } } }
        ).browser.action.getBadgeBackgroundColor({}),
      );
      expect(badge.slice(0, 3)).toEqual([0xd9, 0x30, 0x25]);
      await server.start();
      await popup.waitForSelector('[data-testid=popup][data-level=green]', { timeout: 40_000 });
    } finally {
      await popup.close();
    }
  });
});

describe('Firefox ESR: the event page while a DAW tab is open', () => {
  it('with the sidebar closed, the event page and its socket outlive the idle limit, so a REST command reaches the DAW tab; with no DAW tab left it is suspended', async () => {
    const daw = await session.browser.newPage();
    const openSockets = () => gate.log.filter((c) => c.request.startsWith('GET /ws') && c.closedAt === null);
    let socket: (typeof gate.log)[number] | undefined;
    try {
      await daw.goto(`${fixtures.url}/labelled.html`);
      // sidebarAction.close() too needs a user action: a trusted click on a button added to the driver page.
      await driver.bringToFront();
      await driver.evaluate(() => {
        const b = (globalThis as unknown as { browser: { sidebarAction: { close(): Promise<void> } } }).browser;
        const button = document.createElement('button');
        button.id = 'close-sidebar';
        button.textContent = 'close the sidebar';
        button.addEventListener('click', () => void b.sidebarAction.close());
        document.body.append(button);
      });
      await driver.click('#close-sidebar');
      await until(async () => !(await sidebarOpen()), 5_000, 'the sidebar to close');
      await daw.bringToFront();
      await until(() => openSockets().length === 1, 10_000, 'one open socket');
      socket = openSockets()[0]!;

      await sleep(IDLE_MS + 3_000);
      expect(await backgroundAlive()).toBe(true);
      expect(socket.closedAt).toBeNull();
      expect(openSockets()).toEqual([socket]);

      const rest = (action: string) =>
        fetch(server.url + '/codette/transport', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action }),
        });
      expect((await rest('play')).status).toBe(200);
      await daw.waitForFunction(() => (window as unknown as { __fixture: { playing: boolean } }).__fixture.playing, {
        timeout: 5_000,
        polling: 50,
      });
      expect((await rest('stop')).status).toBe(200);
      await daw.waitForFunction(() => !(window as unknown as { __fixture: { playing: boolean } }).__fixture.playing, {
        timeout: 5_000,
        polling: 50,
      });
    } finally {
      await daw.close();
    }
    // The control: with no DAW tab (and no sidebar) Firefox does suspend the event page, which closes the socket.
    const t0 = Date.now();
    await until(() => socket?.closedAt !== null, IDLE_MS + 6_000, 'the event page to be suspended');
    console.log(`[measure] Firefox event page suspended ${Date.now() - t0} ms after the last DAW tab closed`);
    expect(await backgroundAlive()).toBe(false);
  });

  it('commands queued while the server is down survive the event page being suspended, and are sent once, in order, when a view wakes it', async () => {
    await server.kill();
    const panel = await session.openExtensionPage('sidepanel.html');
    try {
      await panel.waitForSelector('[data-testid=bpm]', { timeout: 10_000 });
      // No live meters in Firefox yet: one short line says so, no empty meter block.
      const meters = await panel.$eval('[data-testid=meters]', (el) => ({
        height: el.getBoundingClientRect().height,
        text: (el.textContent ?? '').trim(),
      }));
      expect(meters.text).toBe('Live meters work in Chrome for now.');
      expect(meters.height).toBeLessThan(48);
      for (const bpm of [121, 122]) {
        await panel.$eval(
          '[data-testid=bpm]',
          (el, value) => {
            const input = el as HTMLInputElement;
            input.value = String(value);
            input.dispatchEvent(new Event('input'));
            input.dispatchEvent(new Event('change'));
          },
          bpm,
        );
      }
      await until(async () => (await outboxSize()) === 2, 5_000, 'two stored commands');
    } finally {
      await panel.close();
    }
    await until(async () => !(await backgroundAlive()), IDLE_MS + 6_000, 'the event page to be suspended');
    expect(await outboxSize()).toBe(2);

    const observer = await restartBehindGate();
    // Opening the popup connects its port, which loads the event page again; it reads the outbox from storage.local.
    const popup = await session.openExtensionPage('popup.html');
    try {
      await until(async () => (await outboxSize()) === 0, 20_000, 'the outbox to drain after the event page came back');
      await sleep(300);
      observer.close();
      expect(tempoCommands(observer)).toEqual([121, 122]);
      await popup.waitForSelector('[data-testid=popup][data-level=green]', { timeout: 10_000 });
    } finally {
      await popup.close();
    }
  });
});
