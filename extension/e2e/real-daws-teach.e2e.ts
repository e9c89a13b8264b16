import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codetteStatus,
  freePort,
  launchChromium,
  openConnectedPanel,
  postTransport,
  serveFixtures,
  ServerProcess,
  silentForMs,
  sleep,
  SOUND_PROBE,
  until,
  type ChromeSession,
} from './harness';
import { allowSiteInPanel } from './site-permission';
import { SETTINGS_KEY } from '../lib/settings-key';
import type { SiteProfile } from '../content/profiles';

/**
 * Teach mode on a real DAW, SoundBox, with its empty song: it plays (its row marker runs) but makes no sound, so the
 * audio hook cannot tell, and its play button shows nothing either. Taught in the panel and the page as a user would,
 * Codette learns how SoundBox shows that it plays (from what flipped when it pressed the taught play, and flipped back
 * on stop) and reads that from then on: commands are confirmed, the musician's own presses reach the server.
 * The DAW's state is read from its own page only (`.playpos`, see fixtures/real/README.md).
 */

let session: ChromeSession;
let server: ServerProcess;
let panel: Page;
let origin: Awaited<ReturnType<typeof serveFixtures>>;
let daw: Page;

const playing = () => daw.evaluate(() => document.querySelector('.playpos') !== null);
const status = () => codetteStatus(server.url);
const panelClick = (testid: string) => panel.$eval(`[data-testid=${testid}]`, (el) => (el as HTMLElement).click());

beforeAll(async () => {
  server = new ServerProcess(await freePort(), { CODETTE_RATE_LIMIT: '0' });
  await server.start();
  session = await launchChromium({ audible: true });
  panel = await openConnectedPanel(session, server.url);
  origin = await serveFixtures();
  daw = await session.browser.newPage();
  await daw.evaluateOnNewDocument(SOUND_PROBE);
  const open = async () => {
    await daw.goto(`${origin.url}/real/soundbox/index.html`); // no ?data=: the empty song
    await daw.waitForFunction(() => typeof document.getElementById('playSong')?.onmousedown === 'function', {
      timeout: 15_000,
    });
    // Without a song it greets with its about dialog over the page: closed as a user would.
    await daw.click('#dialog input[type=submit]');
    await daw.waitForFunction(() => getComputedStyle(document.getElementById('cover')!).visibility === 'hidden');
    await daw.bringToFront();
  };
  await open();
  await allowSiteInPanel(panel, origin.url);
  await open();
  await sleep(1_000);
});

afterAll(async () => {
  await postTransport(server.url, { action: 'stop' }).catch(() => undefined);
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await origin?.close();
});

describe('Chromium: teach mode learns how a real DAW shows that it plays (SoundBox, silent song)', () => {
  it('taught in the page, the profile holds its playing marker; commands and its own buttons then agree', async () => {
    await panelClick('teach-start');
    await panel.waitForSelector('[data-testid=teach][data-step=play]', { timeout: 5_000 });
    await daw.bringToFront();
    await daw.click('#playSong');
    await panel.waitForSelector('[data-testid=teach][data-step=stop]', { timeout: 5_000 });
    expect(await playing(), 'the teaching click reached SoundBox').toBe(false);
    await daw.click('#stopPlaying');
    await panel.waitForSelector('[data-testid=teach][data-step=record]', { timeout: 5_000 });
    await panelClick('teach-save');
    const result = await panel.waitForSelector('[data-testid=teach-result]', { timeout: 40_000 });
    const teachText = await panel.$eval('[data-testid=teach]', (el) => el.textContent ?? '');
    expect(await result!.evaluate((el) => el.getAttribute('data-verified')), teachText).toBe('true');

    const stored = await panel.evaluate(async (key) => {
      const c = (
        globalThis as unknown as {
          chrome: { storage: { local: { get(k: string): Promise<Record<string, { profiles?: unknown[] }>> } } };
        }
      ).chrome;
      return (await c.storage.local.get(key))[key]?.profiles ?? [];
    }, SETTINGS_KEY);
    const profile = (stored as SiteProfile[]).find((p) => p.match === origin.url);
    console.log(`[real-daws teach] SoundBox profile: ${JSON.stringify(profile)}`);
    expect(profile?.selectors).toMatchObject({ play: '#playSong', stop: '#stopPlaying' });
    expect(profile?.state?.playing, 'no playing state learnt').toBeDefined();
    expect(profile!.reactMs).toBeGreaterThan(0);
    expect(await playing(), 'the verification left SoundBox playing').toBe(false);

    // A command: SoundBox renders, then plays without a sound; the server confirms from the taught marker.
    await postTransport(server.url, { action: 'play' });
    const confirmed = await until(
      async () => {
        const s = await status();
        return s.playing && s.pending === null && s.daw?.outcome?.action === 'play' ? s : null;
      },
      20_000,
      'the server to confirm play',
    );
    expect(confirmed.daw?.outcome?.ok).toBe(true);
    expect(await playing()).toBe(true);
    expect(await silentForMs(daw), 'the song is not silent: the sound could have told').toBeGreaterThan(1_000);

    await postTransport(server.url, { action: 'stop' });
    await until(async () => !(await playing()), 5_000, 'SoundBox to stop');
    await until(async () => !(await status()).playing, 2_000, 'the server to show stopped');

    // Its own buttons: the server follows the marker within 500 ms of SoundBox's own change.
    for (const [button, want] of [
      ['#playSong', true],
      ['#stopPlaying', false],
    ] as const) {
      await daw.click(button);
      await until(async () => (await playing()) === want, 15_000, `SoundBox to ${want ? 'play' : 'stop'}`);
      const t0 = Date.now();
      await until(async () => (await status()).playing === want, 2_000, `the server to follow ${button}`);
      expect(Date.now() - t0, `the server followed ${button} late`).toBeLessThanOrEqual(500);
    }
  }, 120_000);
});
