import { createServer } from 'node:http';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUESTIONS } from '../lib/questions';
import {
  freePort,
  launchChromium,
  Observer,
  ServerProcess,
  setServerUrl,
  sleep,
  type ChromeSession,
  until,
} from './harness';
import { allowSiteInPanel } from './site-permission';
import { axeViolations, layoutFacts, screenshot, useTheme, type Theme } from './ui-check';

/**
 * The side panel as a musician uses it, in real Chromium with the built extension, the real server and its /demo DAW
 * (a Web Audio step sequencer that really plays): the transport equals the DAW's, loops read in bars, tap tempo, the
 * mix review, the keyboard alone; then each view's look (axe-core, layout facts, screenshots in light and dark).
 */
let session: ChromeSession;
let server: ServerProcess;
let panel: Page;
let daw: Page;

const text = (p: Page, testid: string) =>
  p.$eval(`[data-testid=${testid}]`, (el) => (el.textContent ?? '').trim()).catch(() => null);
const dawClock = (p: Page) =>
  p.evaluate(() => ({
    bars: document.getElementById('bars')!.textContent!,
    time: document.getElementById('time')!.textContent!,
  }));
const dawPlaying = (p: Page) =>
  p.evaluate(() => (window as unknown as { __fixture: { playing: boolean } }).__fixture.playing);
const clickIn = (p: Page, selector: string) => p.$eval(selector, (el) => (el as HTMLElement).click());
const panelClock = async (p: Page) => ({ bars: await text(p, 'bars'), time: await text(p, 'time') });
const tempoCommands = (o: Observer) =>
  o.states.filter((s) => s.command?.action === 'tempo').map((s) => (s.command as { bpm: number }).bpm);
/** The server the background is connected to now (its status, as the background reports it). */
const connectedTo = (p: Page) =>
  p.evaluate(async () => {
    const c = (
      globalThis as unknown as {
        chrome: { runtime: { sendMessage(m: object): Promise<{ connection: { phase: string; serverUrl: string } }> } };
      }
    ).chrome;
    const s = await c.runtime.sendMessage({ type: 'status' });
    return s.connection.phase === 'connected' ? s.connection.serverUrl : null;
  });
/** New chat, and wait until the panel shows it (the background makes the session). */
async function newChat(p: Page) {
  await clickIn(p, '[data-testid=new-chat]');
  await p.waitForSelector('[data-testid=empty]', { timeout: 5_000 });
}
const answers = (p: Page) => p.$$eval('li[data-role=assistant]', (els) => els.map((el) => el.textContent ?? ''));

beforeAll(async () => {
  server = new ServerProcess(await freePort());
  await server.start();
  session = await launchChromium({ audible: true });
  panel = await session.openExtensionPage('sidepanel.html');
  await panel.setViewport({ width: 400, height: 800 });
  await setServerUrl(panel, server.url);
  await until(async () => (await panel.$('[data-testid=banner]')) === null, 15_000, 'the panel to connect');
  daw = await session.browser.newPage();
  await daw.goto(`${server.url}/demo`);
  await daw.bringToFront();
  // Codette acts only on sites the user enabled: answered in the panel as a user would.
  await allowSiteInPanel(panel, server.url);
  await panel.waitForFunction(
    () => document.querySelector('[data-testid=daw-site]')?.textContent?.includes('Codette demo DAW') ?? false,
    { timeout: 10_000, polling: 50 },
  );
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
});

describe('the transport bar equals the DAW', () => {
  it('Stop from the panel returns the panel to 1.1 and 0:00.0 with the DAW; the next Play starts from there', async () => {
    await clickIn(panel, '[data-testid=play]');
    await until(() => dawPlaying(daw), 5_000, 'the DAW to play');
    await sleep(1_500);
    await clickIn(panel, '[data-testid=stop]');
    await until(async () => !(await dawPlaying(daw)), 5_000, 'the DAW to stop');
    expect(await dawClock(daw)).toEqual({ bars: '1.1.1', time: '0:00.0' });
    const after = await until(
      async () => {
        const c = await panelClock(panel);
        return c.time === '0:00.0' && c.bars?.startsWith('1.1.') ? c : null;
      },
      3_000,
      'the panel to show 1.1 and 0:00.0 after Stop',
    ).catch(async () => panelClock(panel));
    expect(after).toMatchObject({ time: '0:00.0', bars: expect.stringMatching(/^1\.1\./) });

    // The next Play counts from the start, as the DAW does.
    await clickIn(panel, '[data-testid=play]');
    await until(() => dawPlaying(daw), 5_000, 'the DAW to play again');
    await sleep(700);
    const seconds = Number((await text(panel, 'time'))!.split(':')[1]);
    expect(seconds).toBeLessThan(1.5);
  });

  it('a pause in the DAW shows its own clock; Stop in the DAW (its Enter key) and a reload of the DAW bring the panel back to 0:00.0', async () => {
    await daw.bringToFront();
    if (!(await dawPlaying(daw))) await clickIn(daw, '#play');
    await sleep(800);
    await clickIn(daw, '#play'); // pause
    await until(async () => !(await dawPlaying(daw)), 5_000, 'the DAW to pause');
    const shown = (await dawClock(daw)).time;
    expect(shown).not.toBe('0:00.0');
    await until(async () => (await text(panel, 'time')) === shown, 3_000, `the panel to show the DAW's ${shown}`);

    // Enter on the play button just clicked (it has the focus) would also click it again: the DAW's page, not Codette.
    await daw.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await daw.keyboard.press('Enter');
    await until(
      async () => (await text(panel, 'time')) === '0:00.0',
      3_000,
      'the panel to follow the DAW back to 0:00.0',
    );

    await clickIn(daw, '#play');
    await sleep(1_200);
    await clickIn(daw, '#play');
    await until(async () => (await text(panel, 'time')) !== '0:00.0', 3_000, 'the paused position');
    await daw.reload();
    await until(
      async () => (await text(panel, 'time')) === '0:00.0' && (await text(panel, 'bars'))?.startsWith('1.1.'),
      5_000,
      'a freshly loaded DAW to show 1.1 and 0:00.0',
    );
  });
});

describe('the chat', () => {
  it('every example question of the empty chat gets a confident, grounded answer from the real server', async () => {
    for (const message of EXAMPLE_QUESTIONS.en) {
      const res = await fetch(`${server.url}/codette/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message }),
      });
      const reply = (await res.json()) as { response: string; confidence: number };
      expect(res.status).toBe(200);
      expect(reply.response, message).not.toMatch(/grounded answer|couldn't turn that/);
      expect(reply.confidence, message).toBeGreaterThanOrEqual(0.8);
    }
    await fetch(`${server.url}/codette/transport`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'loop', enabled: false }),
    });
  });

  it('"Loop bars 5 to 8": the answer and the transport bar say 5.1 – 9.1, in bars, not seconds', async () => {
    await panel.bringToFront();
    await panel.type('[data-testid=input]', 'Loop bars 5 to 8');
    await panel.keyboard.press('Enter');
    await until(
      async () => (await answers(panel)).some((a) => a.includes('Done: looping bars 5-8')),
      10_000,
      'the loop answer in bars',
    );
    await until(async () => (await text(panel, 'loop-range')) === '5.1 – 9.1', 5_000, 'the loop range in bars.beats');
    expect(await text(panel, 'loop-range')).not.toMatch(/\ds|:/);
  });

  it('a question shows the typing indicator at once, then the answer in its own bubble; the banner never flashes while connected', async () => {
    await panel.evaluate(() => {
      const w = window as unknown as { __seen: { typing: boolean; banner: boolean; streamInUser: boolean } };
      w.__seen = { typing: false, banner: false, streamInUser: false };
      new MutationObserver(() => {
        if (document.querySelector('[data-testid=typing]')) w.__seen.typing = true;
        if (document.querySelector('[data-testid=banner]')) w.__seen.banner = true;
        if (document.querySelector('li[data-role=user] [data-testid=streaming]')) w.__seen.streamInUser = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const before = (await answers(panel)).length;
    await panel.type('[data-testid=input]', 'How do I de-ess a vocal?');
    await panel.keyboard.press('Enter');
    await until(async () => (await answers(panel)).length > before, 15_000, 'the answer');
    const seen = await panel.evaluate(() => (window as unknown as { __seen: object }).__seen);
    expect(seen).toEqual({ typing: true, banner: false, streamInUser: false });
    expect((await answers(panel)).at(-1)).toContain('sibilance');
    // Shift+Enter breaks the line and sends nothing.
    await panel.type('[data-testid=input]', 'kick');
    await panel.keyboard.down('Shift');
    await panel.keyboard.press('Enter');
    await panel.keyboard.up('Shift');
    await panel.type('[data-testid=input]', 'bass');
    expect(await panel.$eval('[data-testid=input]', (el) => (el as HTMLTextAreaElement).value)).toBe('kick\nbass');
    await panel.$eval('[data-testid=input]', (el) => {
      (el as HTMLTextAreaElement).value = '';
      el.dispatchEvent(new Event('input'));
    });
  });

  it('scrolled up while an answer streams, the reader is not dragged down: "Jump to latest" appears and goes there', async () => {
    // A second server whose answers come from a slow stand-in of a local model: the reply streams for about 3 s.
    const llm = createServer((req, res) => {
      req.resume();
      req.on('end', async () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let i = 1; i <= 40; i++) {
          res.write(
            `data: ${JSON.stringify({ choices: [{ delta: { content: `Step ${i}: listen again at a lower volume.\n\n` } }] })}\n\n`,
          );
          await sleep(75);
        }
        res.end('data: [DONE]\n\n');
      });
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    const slow = new ServerProcess(await freePort(), {
      CODETTE_LLM_URL: `http://127.0.0.1:${(llm.address() as { port: number }).port}/v1`,
      CODETTE_LLM_TIMEOUT_MS: '20000',
    });
    await slow.start();
    try {
      await panel.bringToFront();
      await panel.setViewport({ width: 400, height: 600 });
      await setServerUrl(panel, slow.url);
      await until(async () => (await connectedTo(panel)) === slow.url, 15_000, 'the panel on the slow server');
      // A new chat: the current one's session lives on the other server.
      await newChat(panel);
      const n = (await answers(panel)).length;
      await panel.type('[data-testid=input]', 'How should I compress a vocal?');
      await panel.keyboard.press('Enter');
      await panel.waitForSelector('[data-testid=streaming]', { timeout: 10_000 });
      await until(
        () => panel.$eval('[data-testid=messages]', (el) => el.scrollHeight > el.clientHeight + 200),
        10_000,
        'a reply longer than the panel',
      );
      await panel.$eval('[data-testid=messages]', (el) => {
        el.scrollTop = 0;
        el.dispatchEvent(new Event('scroll'));
      });
      await panel.waitForSelector('[data-testid=jump]', { timeout: 5_000 });
      await until(async () => (await answers(panel)).length > n, 20_000, 'the whole answer');
      expect(await panel.$eval('[data-testid=messages]', (el) => el.scrollTop)).toBeLessThan(50);
      await clickIn(panel, '[data-testid=jump]');
      await until(
        () => panel.$eval('[data-testid=messages]', (el) => el.scrollHeight - el.scrollTop - el.clientHeight < 30),
        3_000,
        'the list at the bottom',
      );
      expect(await panel.$('[data-testid=jump]')).toBeNull();
    } finally {
      await setServerUrl(panel, server.url);
      await until(async () => (await connectedTo(panel)) === server.url, 15_000, 'the panel back on the main server');
      await panel.setViewport({ width: 400, height: 800 });
      await slow.kill();
      await new Promise<void>((r) => llm.close(() => r()));
    }
  });
});

describe('tap tempo', () => {
  it('taps at 500 ms read 120.0 (averaged over the taps) and change nothing until confirmed; confirming sends one tempo command', async () => {
    const observer = new Observer(server.url);
    await observer.open();
    try {
      await panel.bringToFront();
      await panel.$eval('[data-testid=bpm]', (el) => {
        const input = el as HTMLInputElement;
        input.value = '100';
        input.dispatchEvent(new Event('input'));
        input.dispatchEvent(new Event('change'));
      });
      await until(
        async () => (await daw.$eval('#tempo', (el) => (el as HTMLInputElement).value)) === '100',
        5_000,
        'the DAW at 100 BPM',
      );
      // Nine taps half a second apart, timed in the page (as a hand on the button would be).
      await panel.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const button = document.querySelector('[data-testid=tap]') as HTMLElement;
            let n = 0;
            const start = performance.now();
            const next = () => {
              button.click();
              if (++n === 9) return resolve();
              setTimeout(next, Math.max(0, start + n * 500 - performance.now()));
            };
            next();
          }),
      );
      expect(await panel.$eval('[data-testid=bpm]', (el) => (el as HTMLInputElement).value)).toBe('120.0');
      await sleep(500);
      expect(tempoCommands(observer)).toEqual([100]);
      expect(await daw.$eval('#tempo', (el) => (el as HTMLInputElement).value)).toBe('100');

      await clickIn(panel, '[data-testid=tap-apply]');
      await until(
        async () => (await daw.$eval('#tempo', (el) => (el as HTMLInputElement).value)) === '120',
        5_000,
        'the DAW at 120 BPM',
      );
      await sleep(500);
      expect(tempoCommands(observer)).toEqual([100, 120]);
      expect(await panel.$eval('[data-testid=bpm]', (el) => (el as HTMLInputElement).value)).toBe('120');
    } finally {
      observer.close();
    }
  });
});

describe('the meters', () => {
  it('fold to a strip, unfold on one click, and the choice survives reopening the panel', async () => {
    await panel.bringToFront();
    expect(await panel.$eval('[data-testid=meters-toggle]', (el) => el.getAttribute('aria-expanded'))).toBe('false');
    expect(await panel.$('[data-testid=s-integrated]')).not.toBeNull();
    await clickIn(panel, '[data-testid=meters-toggle]');
    await panel.waitForSelector('[data-testid=loudness-history]');
    await panel.reload();
    await panel.waitForSelector('[data-testid=loudness-history]', { timeout: 5_000 });
    await clickIn(panel, '[data-testid=meters-toggle]');
    await panel.reload();
    await panel.waitForSelector('[data-testid=s-integrated]', { timeout: 5_000 });
    expect(await panel.$('[data-testid=loudness-history]')).toBeNull();
  });

  it('"Ask Codette about this mix" with live figures of the playing demo: the review alone, confident, no ungrounded answer appended', async () => {
    const extension = (await session.browser.extensions()).get(session.extensionId);
    if (!extension) throw new Error('extension not found');
    await newChat(panel);
    await daw.bringToFront();
    if (!(await dawPlaying(daw))) await clickIn(daw, '#play');
    await until(() => dawPlaying(daw), 5_000, 'the demo to play');
    await daw.triggerExtensionAction(extension);
    await panel.bringToFront();
    await panel.waitForFunction(
      () => document.querySelector('[data-testid=daw-site]')?.textContent?.includes('Codette demo DAW') ?? false,
      { timeout: 10_000, polling: 50 },
    );
    if (await panel.$('[data-testid=meters-toggle]')) await panel.click('[data-testid=meters-toggle]');
    await panel.click('[data-testid=meters-start]');
    // Three seconds of sound: integrated loudness, loudness range and correlation all have a value to review.
    await until(async () => /\d/.test((await text(panel, 'm-lra')) ?? ''), 15_000, 'a loudness range');
    const n = (await answers(panel)).length;
    await panel.click('[data-testid=ask-mix]').finally(() => clickIn(daw, '#stop'));
    await until(async () => (await answers(panel)).length > n, 15_000, 'the review');
    const review = (await answers(panel)).at(-1)!;
    expect(review).toMatch(/Your mix against Spotify/);
    expect(review).toMatch(/LUFS/);
    expect(review).not.toMatch(/grounded answer|Drum panning/);
    const confidence = Number(/(\d+)\s?%/.exec(review)?.[1]);
    // From the share of the four figures the review had (the old build said 28 %).
    expect(confidence).toBeGreaterThanOrEqual(70);
    // The figures first, as a reader opening the meters sees them.
    await panel.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      document.querySelector('[data-testid=meters] .body')?.scrollTo(0, 0);
    });
    await checkView(panel, 'panel-meters', { widths: [320, 400], lang: 'en' });
    await useTheme(panel, 'light');
    await clickIn(panel, '[data-testid=meters-stop]');
    await clickIn(panel, '[data-testid=meters-toggle]');
  });
});

describe('keyboard only', () => {
  it('Tab and Enter/Space alone: play and stop the DAW, fold the meters, ask a question', async () => {
    await panel.bringToFront();
    await panel.reload();
    await panel.waitForSelector('[data-testid=play]');
    expect(await dawPlaying(daw)).toBe(false);
    const focused = () =>
      panel.evaluate(
        () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? '',
      );
    const tabTo = async (testid: string) => {
      for (let i = 0; i < 30; i++) {
        if ((await focused()) === testid) return;
        await panel.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${testid}`);
    };
    await newChat(panel);
    await panel.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo('play');
    await panel.keyboard.press('Enter');
    await until(() => dawPlaying(daw), 5_000, 'the DAW to play from the keyboard');
    await tabTo('stop');
    await panel.keyboard.press('Space');
    await until(async () => !(await dawPlaying(daw)), 5_000, 'the DAW to stop from the keyboard');
    await tabTo('meters-toggle');
    const expanded = () => panel.$eval('[data-testid=meters-toggle]', (el) => el.getAttribute('aria-expanded'));
    const before = await expanded();
    await panel.keyboard.press('Enter');
    await until(async () => (await expanded()) !== before, 2_000, 'the meters to unfold or fold');
    await panel.keyboard.press('Space');
    await until(async () => (await expanded()) === before, 2_000, 'the meters back as they were');
    await tabTo('input');
    const n = (await answers(panel)).length;
    await panel.keyboard.type('Delay times at 120 BPM');
    await panel.keyboard.press('Enter');
    await until(async () => (await answers(panel)).length > n, 15_000, 'the answer');
    expect((await answers(panel)).at(-1)).toContain('500 ms');
    await tabTo('new-chat');
    await panel.keyboard.press('Enter');
    await panel.waitForSelector('[data-testid=empty]', { timeout: 5_000 });
  });
});

/** Every view in light and dark at 320 and 400 px: axe (no serious or critical), layout facts, a screenshot. */
async function checkView(page: Page, name: string, opts: { widths: number[]; height?: number; lang: string }) {
  await page.bringToFront(); // a background tab paints no frame to screenshot
  for (const theme of ['light', 'dark'] as Theme[]) {
    for (const width of opts.widths) {
      await page.setViewport({ width, height: opts.height ?? 800 });
      await useTheme(page, theme);
      await sleep(150);
      const facts = await layoutFacts(page);
      expect(facts.overflowX, `${name} ${theme} ${width}: horizontal overflow`).toBeLessThanOrEqual(0);
      expect(facts.overlaps, `${name} ${theme} ${width}: text over text`).toEqual([]);
      expect(facts.smallTargets, `${name} ${theme} ${width}: targets under 32 x 32 px`).toEqual([]);
      expect(await axeViolations(page), `${name} ${theme} ${width}: axe`).toEqual([]);
      await screenshot(page, `${name}-${theme}-${width}-${opts.lang}`);
    }
  }
}

describe('the views: accessible, no overflow, no text over text, the chat owns the panel', { timeout: 300_000 }, () => {
  it('the panel (empty chat, meters folded): chat >= 60 % of 800 px', async () => {
    await panel.bringToFront();
    await panel.setViewport({ width: 400, height: 800 });
    await newChat(panel);
    if ((await panel.$eval('[data-testid=meters-toggle]', (el) => el.getAttribute('aria-expanded'))) === 'true')
      await clickIn(panel, '[data-testid=meters-toggle]');
    await panel.waitForSelector('[data-testid=empty]');
    expect(await panel.$$eval('[data-testid=example]', (els) => els.map((el) => el.textContent?.trim()))).toEqual([
      ...EXAMPLE_QUESTIONS.en,
    ]);
    const share = await panel.evaluate(
      () => document.querySelector('[data-testid=chat]')!.getBoundingClientRect().height / window.innerHeight,
    );
    console.log(`[measure] chat share of the panel at 400x800, meters folded: ${(share * 100).toFixed(0)} %`);
    expect(share).toBeGreaterThanOrEqual(0.6);
    await panel.setViewport({ width: 320, height: 800 });
    const narrow = await panel.evaluate(
      () => document.querySelector('[data-testid=chat]')!.getBoundingClientRect().height / window.innerHeight,
    );
    console.log(`[measure] chat share at 320x800: ${(narrow * 100).toFixed(0)} %`);
    expect(narrow).toBeGreaterThanOrEqual(0.6);
    await checkView(panel, 'panel', { widths: [320, 400], lang: 'en' });
  });

  it('the panel with a conversation', async () => {
    await panel.type('[data-testid=input]', 'How loud should I master for Spotify?');
    await panel.keyboard.press('Enter');
    await until(async () => (await answers(panel)).length > 0, 15_000, 'the answer');
    await checkView(panel, 'panel-chat', { widths: [320, 400], lang: 'en' });
  });

  it('popup, options and welcome page', async () => {
    const popup = await session.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-testid=popup][data-level=green]', { timeout: 10_000 });
    await checkView(popup, 'popup', { widths: [300], height: 220, lang: 'en' });
    const options = await session.openExtensionPage('options.html');
    await options.waitForSelector('[data-testid=server-url]');
    await checkView(options, 'options', { widths: [400], lang: 'en' });
    // Validation: each bad field says what is wrong under itself, and nothing is saved.
    const field = (selector: string, value: string) =>
      options.$eval(
        selector,
        (el, v) => {
          (el as HTMLInputElement).value = v;
          el.dispatchEvent(new Event('input'));
        },
        value,
      );
    await field('[data-testid=server-url]', 'studio');
    await field('[data-testid=profiles]', '[{"match": 3}]');
    await options.click('[data-testid=save]');
    await options.waitForSelector('#server-url[aria-invalid=true]');
    expect(await text(options, 'error')).toMatch(/starts with http:\/\/ or https:\/\//);
    expect(await options.$eval('details.advanced', (el) => (el as HTMLDetailsElement).open)).toBe(true);
    expect(await options.$eval('#profiles-help', (el) => el.textContent)).toMatch(/site profiles are not valid/);
    await checkView(options, 'options-invalid', { widths: [400], lang: 'en' });
    const welcome = await session.openExtensionPage('welcome.html');
    await welcome.waitForSelector('[data-testid=server-running]', { timeout: 10_000 });
    await checkView(welcome, 'welcome', { widths: [400], lang: 'en' });
    // Its demo button opens the server's /demo DAW in a tab.
    await welcome.click('[data-testid=open-demo]');
    const demo = await until(
      async () => (await session.browser.pages()).filter((p) => p.url() === `${server.url}/demo`).length > 1,
      10_000,
      'the demo tab',
    );
    expect(demo).toBe(true);
    for (const p of (await session.browser.pages()).filter((p) => p.url() === `${server.url}/demo` && p !== daw))
      await p.close();
    for (const p of [popup, options, welcome]) await p.close();
  });

  it('offline, in words: the popup and the welcome page say the server is not running and how to start it, no code', async () => {
    await server.kill();
    const popup = await session.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-testid=popup][data-level=red]', { timeout: 15_000 });
    const offline = await text(popup, 'offline');
    expect(offline).toContain('start it with npm start');
    expect(await popup.evaluate(() => document.body.textContent)).not.toMatch(/server_down|sqlite|0\.1\.0/);
    await checkView(popup, 'popup-offline', { widths: [300], height: 220, lang: 'en' });
    const welcome = await session.openExtensionPage('welcome.html');
    await welcome.waitForSelector('[data-testid=server-missing]', { timeout: 10_000 });
    await until(
      async () => (await text(welcome, 'server-missing'))?.includes('Nothing answers'),
      15_000,
      'the not-running text',
    );
    expect(await text(welcome, 'start-command')).toBe('npm start');
    await checkView(welcome, 'welcome-offline', { widths: [400], lang: 'en' });
    await server.start();
    await welcome.waitForSelector('[data-testid=server-running]', { timeout: 40_000 });
    for (const p of [popup, welcome]) await p.close();
  });
});

describe('in French (--lang=fr)', () => {
  it(
    'the panel, options and welcome page in French: accessible, no overflow, a placeholder command that works',
    { timeout: 300_000 },
    async () => {
      const fr = await launchChromium({ args: ['--lang=fr'], env: { LANGUAGE: 'fr', LANG: 'fr_FR.UTF-8' } });
      try {
        const p = await fr.openExtensionPage('sidepanel.html');
        await setServerUrl(p, server.url);
        await until(async () => (await p.$('[data-testid=banner]')) === null, 15_000, 'the French panel to connect');
        expect(await p.evaluate(() => document.documentElement.lang)).toMatch(/^fr/);
        const placeholder = await p.$eval('[data-testid=input]', (el) => el.getAttribute('placeholder'));
        const command = /«\s*(.+?)\s*»/.exec(placeholder ?? '')?.[1];
        expect(command).toBeTruthy();
        const res = await fetch(`${server.url}/codette/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: command }),
        });
        expect(
          ((await res.json()) as { actions: unknown[] }).actions.length,
          `the placeholder's command "${command}"`,
        ).toBe(1);
        await checkView(p, 'panel', { widths: [320, 400], lang: 'fr' });
        const welcome = await fr.openExtensionPage('welcome.html');
        await welcome.waitForSelector('[data-testid=server-running]', { timeout: 10_000 });
        await checkView(welcome, 'welcome', { widths: [400], lang: 'fr' });
        const options = await fr.openExtensionPage('options.html');
        await options.waitForSelector('[data-testid=server-url]');
        await checkView(options, 'options', { widths: [400], lang: 'fr' });
      } finally {
        await fr.browser.close().catch(() => undefined);
      }
    },
  );
});
