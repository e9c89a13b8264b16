import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import {
  freePort,
  Gate,
  launchChromium,
  Observer,
  outboxSize,
  serveFixtures,
  ServerProcess,
  setServerUrl,
  sleep,
  type ChromeSession,
  until,
} from './harness';
import { enableSiteOnce } from './site-permission';

/**
 * Real Chromium loading .output/chrome-mv3, the real server (a child process that the tests SIGKILL), and the fixture
 * DAWs served on 127.0.0.1. The side panel and popup are opened as tabs (chrome-extension://<id>/sidepanel.html).
 */
let session: ChromeSession;
let server: ServerProcess;
let fixtures: Awaited<ReturnType<typeof serveFixtures>>;
let panel: Page;
let gate: Gate;

const playingIn = (page: Page) =>
  page.evaluate(() => (window as unknown as { __fixture: { playing: boolean } }).__fixture.playing);
const panelPlaying = (p: Page) => p.$eval('[data-testid=transport]', (el) => el.getAttribute('data-playing'));
const clickIn = (p: Page, selector: string) => p.$eval(selector, (el) => (el as HTMLElement).click());
const setTempo = (p: Page, bpm: number) =>
  p.$eval(
    '[data-testid=bpm]',
    (el, bpm) => {
      const input = el as HTMLInputElement;
      input.value = String(bpm);
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
    },
    bpm,
  );
const tempoCommands = (o: Observer) =>
  o.states
    .filter((s) => s.state.changed_by.source === 'ws' && s.command?.action === 'tempo')
    .map((s) => (s.command as { bpm: number }).bpm);
beforeAll(async () => {
  fixtures = await serveFixtures();
  const [serverPort, gatePort] = [await freePort(), await freePort()];
  server = new ServerProcess(serverPort, { CODETTE_ALLOWED_HOSTS: `127.0.0.1:${gatePort}` });
  await server.start();
  gate = new Gate(serverPort);
  await gate.listen(gatePort);
  session = await launchChromium();
  panel = await session.openExtensionPage('sidepanel.html');
  await setServerUrl(panel, gate.url);
  await until(async () => (await panel.$('[data-testid=banner]')) === null, 15_000, 'the panel to connect');
  // Codette acts only on sites the user enabled: the fixtures' origin is enabled once, from the panel.
  await enableSiteOnce(session.browser, panel, `${fixtures.url}/labelled.html`);
  // The canvas fixture shows no controls: its keys are given as a user would in the options (a site profile).
  await panel.evaluate(async (site) => {
    const c = (
      globalThis as unknown as {
        chrome: {
          storage: {
            local: { get(k: string): Promise<Record<string, { profiles?: unknown[] }>>; set(v: object): Promise<void> };
          };
        };
      }
    ).chrome;
    const key = 'codette.settings.v1';
    const settings = (await c.storage.local.get(key))[key] ?? {};
    await c.storage.local.set({
      [key]: {
        ...settings,
        profiles: [{ match: site, name: 'Canvas Groove', keys: { playpause: 'Space', stop: 'Enter' } }],
      },
    });
  }, fixtures.url);
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await gate?.close();
  await fixtures?.close();
});

describe('Chromium: transport from the side panel drives the fixture DAWs', () => {
  for (const fixture of ['labelled.html', 'iconic.html', 'canvas.html']) {
    it(`${fixture}: play and stop from the panel change the real playback, and the panel shows what the page reports`, async () => {
      const daw = await session.browser.newPage();
      try {
        await daw.goto(`${fixtures.url}/${fixture}`);
        await daw.bringToFront();
        await panel.waitForFunction(
          (site) => document.querySelector('[data-testid=daw-site]')?.textContent?.includes(site) ?? false,
          { timeout: 10_000, polling: 50 },
          fixture === 'labelled.html' ? 'Codette demo DAW' : fixture === 'iconic.html' ? 'Icon Beats' : 'Canvas Groove',
        );
        expect(await playingIn(daw)).toBe(false);

        await clickIn(panel, '[data-testid=play]');
        await daw.waitForFunction(() => (window as unknown as { __fixture: { playing: boolean } }).__fixture.playing, {
          timeout: 5_000,
          polling: 50,
        });
        await panel.waitForFunction(
          () => document.querySelector('[data-testid=transport]')?.getAttribute('data-playing') === 'true',
          { timeout: 5_000, polling: 50 },
        );

        await clickIn(panel, '[data-testid=stop]');
        await daw.waitForFunction(() => !(window as unknown as { __fixture: { playing: boolean } }).__fixture.playing, {
          timeout: 5_000,
          polling: 50,
        });
        await panel.waitForFunction(
          () => document.querySelector('[data-testid=transport]')?.getAttribute('data-playing') === 'false',
          { timeout: 5_000, polling: 50 },
        );
        expect(await panelPlaying(panel)).toBe('false');
      } finally {
        await daw.close();
      }
    });
  }

  it('a change made in the DAW itself shows in the panel within 200 ms (labelled fixture), and a REST command reaches the tab', async () => {
    const daw = await session.browser.newPage();
    try {
      await daw.goto(`${fixtures.url}/labelled.html`);
      await daw.bringToFront();
      await panel.waitForFunction(
        () => document.querySelector('[data-testid=daw-site]')?.textContent?.includes('Codette demo DAW') ?? false,
        { timeout: 10_000, polling: 50 },
      );
      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        const want = i % 2 === 0 ? 'true' : 'false';
        const t0 = Date.now();
        await daw.$eval('#play', (el) => (el as HTMLElement).click());
        await panel.waitForFunction(
          (w) => document.querySelector('[data-testid=transport]')?.getAttribute('data-playing') === w,
          { timeout: 3_000, polling: 'mutation' },
          want,
        );
        delays.push(Date.now() - t0);
      }
      console.log(`[measure] DAW change -> panel: ${delays.join(', ')} ms`);
      expect(Math.max(...delays)).toBeLessThan(200);

      // Another client of the server (REST) plays: the command reaches the tab.
      const res = await fetch(server.url + '/codette/transport', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'play' }),
      });
      expect(res.status).toBe(200);
      await daw.waitForFunction(() => (window as unknown as { __fixture: { playing: boolean } }).__fixture.playing, {
        timeout: 5_000,
        polling: 50,
      });
      await fetch(server.url + '/codette/transport', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'stop' }),
      });
      await daw.waitForFunction(() => !(window as unknown as { __fixture: { playing: boolean } }).__fixture.playing, {
        timeout: 5_000,
        polling: 50,
      });
    } finally {
      await daw.close();
    }
  });
});

describe('Chromium: the outbox', () => {
  it('server killed while the user sends, then restarted: each command arrives exactly once, in order', async () => {
    const first = new Observer(server.url);
    await first.open();
    await setTempo(panel, 101);
    await setTempo(panel, 102);
    await until(() => tempoCommands(first).length === 2, 5_000, 'the first two commands');
    await server.kill();
    first.close();
    await setTempo(panel, 103);
    await setTempo(panel, 104);
    await setTempo(panel, 105);
    await until(async () => (await outboxSize(panel)) === 3, 5_000, 'three stored commands');
    await panel.waitForSelector('[data-testid=queue]', { timeout: 5_000 });

    gate.open = false;
    await server.start();
    const second = new Observer(server.url);
    await second.open();
    gate.open = true;
    await clickIn(panel, '[data-testid=retry]').catch(() => undefined); // Retry at once rather than wait for the backoff
    await until(async () => (await outboxSize(panel)) === 0, 40_000, 'the outbox to drain');
    await sleep(300);
    second.close();
    expect([...tempoCommands(first), ...tempoCommands(second)]).toEqual([101, 102, 103, 104, 105]);
  });

  it('the Chrome service worker stopped (DevTools protocol) keeps its outbox and sends it when it comes back', async () => {
    await server.kill();
    await setTempo(panel, 111);
    await setTempo(panel, 112);
    await until(async () => (await outboxSize(panel)) === 2, 5_000, 'two stored commands');

    const cdp = await panel.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await until(
      () => !session.browser.targets().some((t) => t.type() === 'service_worker'),
      10_000,
      'the worker to stop',
    );
    expect(await outboxSize(panel)).toBe(2);

    gate.open = false;
    await server.start();
    const observer = new Observer(server.url);
    await observer.open();
    gate.open = true;
    // The panel reconnects its port, which starts the worker again; the worker reads the outbox from storage.local.
    await until(async () => (await outboxSize(panel)) === 0, 40_000, 'the outbox to drain after the worker restart');
    await sleep(300);
    observer.close();
    expect(tempoCommands(observer)).toEqual([111, 112]);
    await cdp.detach();
  });
});

describe('Chromium: popup health', () => {
  it('goes red when the server stops and green when it returns', async () => {
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
      const badge = await (
        await session.worker()
      ).evaluate(() =>
        (
          globalThis as unknown as { chrome: { action: { getBadgeBackgroundColor(o: object): Promise<number[]> } } }
        ).chrome.action.getBadgeBackgroundColor({}),
      );
      expect(badge.slice(0, 3)).toEqual([0xd9, 0x30, 0x25]);
      await server.start();
      await popup.waitForSelector('[data-testid=popup][data-level=green]', { timeout: 40_000 });
    } finally {
      await popup.close();
    }
  });
});

describe('Chromium: chat', () => {
  it('a question streams its reply into the panel and ends as a stored answer', async () => {
    await until(
      async () => (await panel.$('[data-testid=banner]')) === null,
      40_000,
      'the panel to be connected with an empty queue',
    );
    await panel.evaluate(() => {
      (window as unknown as { __streamed: boolean }).__streamed = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid=streaming]'))
          (window as unknown as { __streamed: boolean }).__streamed = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await panel.$eval('[data-testid=input]', (el) => {
      const t = el as HTMLTextAreaElement;
      t.value = 'How loud should I master for streaming?';
      t.dispatchEvent(new Event('input'));
    });
    await clickIn(panel, '[data-testid=send]');
    await panel.waitForSelector('li[data-role=assistant]', { timeout: 30_000 });
    const answer = await panel.$eval('li[data-role=assistant]', (el) => el.textContent ?? '');
    expect(answer.length).toBeGreaterThan(20);
    expect(await panel.evaluate(() => (window as unknown as { __streamed: boolean }).__streamed)).toBe(true);
    expect(await outboxSize(panel)).toBe(0);
  });
});
