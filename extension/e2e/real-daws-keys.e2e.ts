import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  CHROME_BUILD,
  freePort,
  launchChromium,
  REAL_DAWS,
  ServerProcess,
  suggestedKeys,
  type ChromeSession,
  VirtualDisplay,
  openConnectedPanel,
} from './harness';
import { closeRealDaw, type OpenedDaw, openRealDaw } from './real-daws-judge';

/**
 * The extension's keyboard commands (play/pause, stop) on the real DAW fixtures: Chromium headful on an Xvfb display,
 * the keys pressed at the X level with xdotool as a keyboard would (CDP key events never reach the browser's
 * accelerators; see shortcuts.e2e.ts). Judged like the other commands, from the DAW's own page and
 * `GET /codette/status` only (real-daws-judge.ts).
 */

let display: VirtualDisplay;
let session: ChromeSession;
let server: ServerProcess;
let panel: Page;

const suggested = suggestedKeys(CHROME_BUILD);
/** "Alt+Shift+K" -> "alt+shift+k" (xdotool's keysym names). */
const xkeys = (command: string) => suggested[command]!.toLowerCase();

beforeAll(async () => {
  display = await VirtualDisplay.start();
  server = new ServerProcess(await freePort(), { CODETTE_RATE_LIMIT: '0' });
  await server.start();
  session = await launchChromium({ display: display.display, audible: true });
  panel = await openConnectedPanel(session, server.url);
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await display?.stop();
});

for (const daw of REAL_DAWS) {
  describe(`Chromium (headful, Xvfb), keyboard commands on the real DAW ${daw.name}`, () => {
    let opened: OpenedDaw;
    /** Presses a command's key in the browser window showing the DAW tab (its title is the tab's). */
    const press = (command: string) => async () => display.pressIn(await opened.page.title(), xkeys(command));

    beforeAll(async () => {
      opened = await openRealDaw(session.browser, panel, daw, server.url, 'Chromium keys');
    });

    afterAll(() => closeRealDaw(opened, server.url));

    it('the play/pause key plays the DAW, and pressed again stops it (it has no pause of its own)', async () => {
      await opened.judge.ensure(false);
      await opened.judge.judgeCommand(true, press('play-pause'), 'key play');
      await opened.judge.judgeCommand(false, press('play-pause'), 'key pause');
    });

    it('the stop key stops the DAW and it falls silent', async () => {
      await opened.judge.ensure(true);
      await opened.judge.judgeCommand(false, press('stop'), 'key stop');
    });
  });
}
