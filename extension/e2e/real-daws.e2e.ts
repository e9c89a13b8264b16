import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe } from 'vitest';
import { freePort, launchChromium, REAL_DAWS, ServerProcess, type ChromeSession, openConnectedPanel } from './harness';
import { closeRealDaw, defineRealDawTests, type OpenedDaw, openRealDaw } from './real-daws-judge';

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
  panel = await openConnectedPanel(session, server.url);
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
});

for (const daw of REAL_DAWS) {
  describe(`Chromium, real DAW ${daw.name}`, () => {
    let opened: OpenedDaw;

    beforeAll(async () => {
      opened = await openRealDaw(session.browser, panel, daw, server.url, 'Chromium');
    });

    afterAll(() => closeRealDaw(opened, server.url));

    defineRealDawTests(daw, { judge: () => opened.judge, panel: () => panel, serverUrl: () => server.url });
  });
}
