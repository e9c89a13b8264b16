import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe } from 'vitest';
import { freePort, launchChromium, postTransport, REAL_DAWS, serveFixtures, ServerProcess, setServerUrl, sleep, SOUND_PROBE, type ChromeSession, until } from './harness';
import { DawJudge, defineRealDawTests } from './real-daws-judge';
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

    defineRealDawTests(daw, { judge: () => judge, panel: () => panel, serverUrl: () => server.url });
  });
}
