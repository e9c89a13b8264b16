import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe } from 'vitest';
import { freePort, launchFirefox, REAL_DAWS, ServerProcess, type FirefoxSession, until } from './harness';
import { closeRealDaw, defineRealDawTests, type OpenedDaw, openRealDaw } from './real-daws-judge';

/**
 * The real-DAW cases (real-daws-judge.ts) in Firefox ESR, with the built Firefox extension installed as a temporary
 * add-on and its side panel page open in a tab. Firefox plays Web Audio only through an audio backend: without one
 * (a machine with no sound server) every AudioContext stays suspended and no DAW makes a sound. So the test runs its
 * own PulseAudio server with a null sink (sound goes nowhere, in real time) and points Firefox at it; an already
 * running server named by PULSE_SERVER is used as it is. `extension/e2e/require-browsers.mjs` installs PulseAudio.
 */

let session: FirefoxSession;
let server: ServerProcess;
let panel: Page;
/** The runtime folder of the PulseAudio server this file started (null: it used one that was running). */
let pulseDir: string | null = null;

const pulseUp = (env: NodeJS.ProcessEnv) => spawnSync('pactl', ['info'], { env, stdio: 'ignore' }).status === 0;

function startPulse(): void {
  if (process.env.PULSE_SERVER && pulseUp(process.env)) return;
  if (!existsSync('/usr/bin/pulseaudio'))
    throw new Error(
      'Firefox needs an audio backend to play Web Audio: install PulseAudio (apt-get install -y pulseaudio; ' +
        'node extension/e2e/require-browsers.mjs does it), or set PULSE_SERVER to a running server',
    );
  pulseDir = mkdtempSync(join(tmpdir(), 'codette-pulse-'));
  const env = { ...process.env, XDG_RUNTIME_DIR: pulseDir, HOME: pulseDir };
  execFileSync(
    'pulseaudio',
    [
      '--start',
      '-n', // no default.pa: only what is listed here
      '--exit-idle-time=-1',
      '--load=module-native-protocol-unix',
      '--load=module-null-sink sink_name=codette_null',
      '--load=module-always-sink',
    ],
    { env, stdio: 'ignore' },
  );
  process.env.PULSE_SERVER = `unix:${join(pulseDir, 'pulse', 'native')}`;
  process.env.PULSE_COOKIE = join(pulseDir, '.config', 'pulse', 'cookie');
  if (!pulseUp(process.env)) throw new Error(`PulseAudio did not start (runtime folder ${pulseDir})`);
}

function stopPulse(): void {
  if (!pulseDir) return;
  spawnSync('pulseaudio', ['--kill'], {
    env: { ...process.env, XDG_RUNTIME_DIR: pulseDir, HOME: pulseDir },
    stdio: 'ignore',
  });
}

beforeAll(async () => {
  startPulse();
  server = new ServerProcess(await freePort(), { CODETTE_RATE_LIMIT: '0' });
  await server.start();
  session = await launchFirefox({ prefs: { 'media.autoplay.default': 0 } });
  panel = await session.openExtensionPage('sidepanel.html');
  await panel.evaluate(async (url) => {
    const b = (globalThis as unknown as { browser: { storage: { local: { set(v: object): Promise<void> } } } }).browser;
    await b.storage.local.set({ 'codette.settings.v1': { serverUrl: url, sites: [], profiles: [] } });
  }, server.url);
  await until(async () => (await panel.$('[data-testid=banner]')) === null, 15_000, 'the panel to connect');
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  stopPulse();
});

for (const daw of REAL_DAWS) {
  describe(`Firefox ESR, real DAW ${daw.name}`, () => {
    let opened: OpenedDaw;

    beforeAll(async () => {
      opened = await openRealDaw(session.browser, panel, daw, server.url, 'Firefox');
    });

    afterAll(() => closeRealDaw(opened, server.url));

    defineRealDawTests(daw, { judge: () => opened.judge, panel: () => panel, serverUrl: () => server.url });
  });
}
