import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransportCommandInput } from '../../shared/schemas/transport';
import { codetteStatus, freePort, launchChromium, postTransport, REAL_DAWS, serveFixtures, ServerProcess, setServerUrl, sleep, SOUND_PROBE, type ChromeSession, until } from './harness';
import { AGREE_MS, DawJudge, expectNeverRecording, FOLLOW_MS } from './real-daws-judge';
import { allowSiteInPanel } from './site-permission';

/**
 * Transport on real web DAWs nobody here wrote (fixtures/real/, see its README), in real Chromium with the built
 * extension and the real server. What the DAW does is read only from its own page (its DOM, its globals, its canvas)
 * and from a test-side sound probe on its AudioContexts; what the server believes only from `GET /codette/status`.
 * Never from Codette's panel or adapter. The bounds are issue 11's, written out in real-daws-judge.ts.
 */

let session: ChromeSession;
let server: ServerProcess;
let panel: Page;

beforeAll(async () => {
  // No rate limit: both sides are sampled every ~20-50 ms, far above what one real client sends.
  server = new ServerProcess(await freePort(), { CODETTE_RATE_LIMIT: '0' });
  await server.start();
  // Audible: puppeteer's headless --mute-audio would make every page silent to the probe.
  session = await launchChromium({ audible: true });
  panel = await session.openExtensionPage('sidepanel.html');
  await setServerUrl(panel, server.url);
  await until(async () => (await panel.$('[data-testid=banner]')) === null, 15_000, 'the panel to connect');
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
});

for (const daw of REAL_DAWS) {
  describe(`Chromium, real DAW ${daw.name}`, () => {
    let page: Page;
    /** Each DAW on its own origin, as on the web: site permission and site profiles are per origin. */
    let origin: Awaited<ReturnType<typeof serveFixtures>>;
    let judge: DawJudge;

    const post = (command: TransportCommandInput) => () => postTransport(server.url, command);
    const panelClick = (testid: string) => () => panel.$eval(`[data-testid=${testid}]`, (el) => (el as HTMLElement).click());

    beforeAll(async () => {
      origin = await serveFixtures();
      page = await session.browser.newPage();
      await page.evaluateOnNewDocument(SOUND_PROBE);
      await daw.open(page, origin.url);
      await page.bringToFront();
      // Codette acts only on sites the user enabled: answered in the panel as a user would, then the app is opened afresh.
      await allowSiteInPanel(panel, origin.url);
      await daw.open(page, origin.url);
      await page.bringToFront();
      await sleep(1_000); // the content scripts start at document_idle and connect
      judge = new DawJudge(daw, page, server.url, 'Chromium');
      await judge.measureOwn();
    });

    afterAll(async () => {
      // The next DAW starts from a stopped, unarmed server, whatever this one's failures left behind.
      await postTransport(server.url, { action: 'record', enabled: false }).catch(() => undefined);
      await postTransport(server.url, { action: 'stop' }).catch(() => undefined);
      await sleep(300);
      await page?.close().catch(() => undefined);
      await origin?.close();
    });

    it('the musician presses play in the DAW: /codette/status follows within 500 ms', async () => {
      await judge.ensure(false);
      await judge.judgeMusician(true, 'musician play');
    });

    it('the musician presses stop in the DAW: /codette/status follows within 500 ms', async () => {
      await judge.ensure(true);
      await judge.judgeMusician(false, 'musician stop');
    });

    it('POST /codette/transport play: the DAW plays and sounds', async () => {
      await judge.ensure(false);
      await judge.judgeCommand(true, post({ action: 'play' }), 'REST play');
    });

    it('POST /codette/transport stop: the DAW stops and falls silent', async () => {
      await judge.ensure(true);
      await judge.judgeCommand(false, post({ action: 'stop' }), 'REST stop');
    });

    it('POST /codette/transport pause: the DAW (which has no pause) stops playing', async () => {
      await judge.ensure(true);
      await judge.judgeCommand(false, post({ action: 'pause' }), 'REST pause');
    });

    it('side panel play: the DAW plays and sounds', async () => {
      await judge.ensure(false);
      await judge.judgeCommand(true, panelClick('play'), 'panel play');
    });

    it('side panel pause (the play button while playing): the DAW stops playing', async () => {
      await judge.ensure(true);
      await until(async () => (await panel.$eval('[data-testid=play]', (el) => el.getAttribute('aria-pressed'))) === 'true', 2_000, 'the panel to offer pause').catch(() => undefined);
      await judge.judgeCommand(false, panelClick('play'), 'panel pause');
    });

    it('side panel stop: the DAW stops and falls silent', async () => {
      await judge.ensure(true);
      await judge.judgeCommand(false, panelClick('stop'), 'panel stop');
    });

    it('play twice from the server does not restart or stop the DAW, and a stop while stopped leaves it stopped', async () => {
      await judge.ensure(false);
      await judge.judgeCommand(true, post({ action: 'play' }), 'REST play (first)');
      await sleep(300);
      const f = await judge.flip(true, post({ action: 'play' }), 1_000);
      const { longest, samples } = await judge.settle(f);
      expect(samples.every((s) => s.daw), 'the second play stopped the DAW at some point').toBe(true);
      expect(longest).toBeLessThanOrEqual(AGREE_MS);
      await judge.judgeCommand(false, post({ action: 'stop' }), 'REST stop');
      const g = await judge.flip(false, post({ action: 'stop' }), 1_000);
      const after = await judge.settle(g);
      expect(after.samples.every((s) => !s.daw), 'a stop while stopped started the DAW').toBe(true);
      expect(after.longest).toBeLessThanOrEqual(AGREE_MS);
      expectNeverRecording(after.samples, 'stop while stopped');
    });

    if (daw.bpm) {
      const readBpm = daw.bpm;
      it('tempo: a tempo command sets the DAW\'s own tempo, and its own tempo control reaches /codette/status', async () => {
        await judge.ensure(false);
        const target = (await readBpm(page)) === 120 ? 140 : 120;
        await postTransport(server.url, { action: 'tempo', bpm: target });
        const got = await until(async () => ((await readBpm(page)) === target ? target : null), 2_000, `${daw.name}'s own tempo to become ${target}`).catch(() => null);
        expect(got, `the DAW shows ${await readBpm(page)} BPM after a tempo command of ${target}`).toBe(target);

        const shown = await daw.userTempo!(page);
        const t0 = Date.now();
        const server_ = await until(async () => ((await codetteStatus(server.url)).bpm === shown ? Date.now() - t0 : null), 2_000, 'the server to show the DAW\'s tempo').catch(() => null);
        expect(server_, `/codette/status bpm is ${(await codetteStatus(server.url)).bpm}, the DAW shows ${shown}`).not.toBeNull();
        expect(server_!).toBeLessThanOrEqual(FOLLOW_MS);
      });
    }

    if (daw.userRecord && daw.recording) {
      const readRecording = daw.recording;
      const userRecord = daw.userRecord;
      it('record: a record command arms and disarms the DAW\'s own record mode, and its own record button reaches /codette/status', async () => {
        await judge.ensure(false);
        await postTransport(server.url, { action: 'record', enabled: true });
        const armed = await until(() => readRecording(page), 1_500, 'the DAW to arm record').catch(() => false);
        expect(armed, 'the DAW\'s record mode after record on').toBe(true);
        await postTransport(server.url, { action: 'record', enabled: false });
        const disarmed = await until(async () => !(await readRecording(page)), 1_500, 'the DAW to disarm record').catch(() => false);
        expect(disarmed, 'the DAW\'s record mode after record off').toBe(true);

        await userRecord(page);
        await until(() => readRecording(page), 1_500, 'its own record button to arm it');
        const t0 = Date.now();
        const on = await until(async () => ((await codetteStatus(server.url)).recording ? Date.now() - t0 : null), 2_000, 'the server to show recording').catch(() => null);
        await userRecord(page);
        await until(async () => !(await readRecording(page)), 1_500, 'its own record button to disarm it');
        const t1 = Date.now();
        const off = await until(async () => (!(await codetteStatus(server.url)).recording ? Date.now() - t1 : null), 2_000, 'the server to show not recording').catch(() => null);
        expect(on, 'the DAW\'s own record arming never reached /codette/status').not.toBeNull();
        expect(on!).toBeLessThanOrEqual(FOLLOW_MS);
        expect(off, 'the DAW\'s own record disarming never reached /codette/status').not.toBeNull();
        expect(off!).toBeLessThanOrEqual(FOLLOW_MS);
      });
    }

    if (daw.loop && daw.userLoop) {
      const readLoop = daw.loop;
      const userLoop = daw.userLoop;
      it('loop: a loop command sets the DAW\'s own loop switch, and its own switch reaches /codette/status', async () => {
        await judge.ensure(false);
        for (const enabled of [!(await readLoop(page)), await readLoop(page)]) {
          await postTransport(server.url, { action: 'loop', enabled });
          const ok = await until(async () => (await readLoop(page)) === enabled, 1_500, `the DAW's loop to become ${enabled}`).catch(() => false);
          expect(ok, `the DAW's loop switch after loop ${enabled}`).toBe(true);
        }
        await userLoop(page);
        const want = await readLoop(page);
        const t0 = Date.now();
        const followed = await until(async () => ((await codetteStatus(server.url)).loop.enabled === want ? Date.now() - t0 : null), 2_000, 'the server to show the DAW\'s loop').catch(() => null);
        expect(followed, `/codette/status loop is ${(await codetteStatus(server.url)).loop.enabled}, the DAW's is ${want}`).not.toBeNull();
        expect(followed!).toBeLessThanOrEqual(FOLLOW_MS);
        if (!(await readLoop(page))) await userLoop(page); // leave it looping, as opened
      });
    }
  });
}
