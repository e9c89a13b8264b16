import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect as netConnect, createServer as netServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer';
import WebSocket from 'ws';
import { ServerMessage } from '../../shared/schemas/ws';
import { TransportState, type TransportCommandInput } from '../../shared/schemas/transport';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROME_BUILD = join(ROOT, '.output/chrome-mv3');
export const FIREFOX_BUILD = join(ROOT, '.output/firefox-mv3');
const FIXTURES = join(import.meta.dirname, 'fixtures');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = netServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** Serves the fixture DAW pages on 127.0.0.1 (where the content script runs). */
export async function serveFixtures(): Promise<{ url: string; close(): Promise<void> }> {
  // The real DAWs under fixtures/real/ also need their stylesheets (refused under another type), images, data and sounds.
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
    '.png': 'image/png',
    '.gif': 'image/gif',
    '.jpg': 'image/jpeg',
    '.ico': 'image/x-icon',
    '.wav': 'audio/wav',
    '.mp3': 'audio/mpeg',
  };
  const server: Server = createServer((req, res) => {
    const path = join(FIXTURES, (req.url ?? '/').split('?')[0]!.replace(/\.\.+/g, ''));
    if (!existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** The real server as a child process (so that it can be killed with SIGKILL), on a fixed port and data dir. */
export class ServerProcess {
  child: ChildProcess | null = null;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'codette-e2e-'));
  log = '';
  constructor(
    readonly port: number,
    readonly env: Record<string, string> = {},
  ) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn(
      process.execPath,
      [join(ROOT, '.output/server/cli.mjs'), '--port', String(this.port), '--data-dir', this.dataDir],
      {
        env: { ...process.env, CODETTE_LOG_LEVEL: 'warn', ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.on('data', (d) => (this.log += String(d)));
    this.child.stderr?.on('data', (d) => (this.log += String(d)));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const headers: Record<string, string> = this.env.CODETTE_TOKEN
        ? { authorization: `Bearer ${this.env.CODETTE_TOKEN}` }
        : {};
      if (
        await fetch(this.url + '/health', { headers }).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await sleep(100);
    }
    throw new Error(`server did not start: ${this.log}`);
  }
  kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((r) => {
      child.once('exit', () => r());
      child.kill('SIGKILL');
    });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it gives something truthy (returned), or throws after `timeoutMs` naming `what`. */
export async function until<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs: number,
  what: string,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** What a fixture DAW page shows of itself as `window.__fixture` (fixtures/engine.js, labelled.html). */
export interface FixtureState {
  playing: boolean;
  offset: number;
  log: { event: string }[];
}
export const fixtureState = (page: Page) =>
  page.evaluate(() => (window as unknown as { __fixture: FixtureState }).__fixture);

/** The built manifest's suggested key per command, as written there ("Alt+Shift+K"). */
export function suggestedKeys(buildDir: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(buildDir, 'manifest.json'), 'utf8')) as {
    commands: Record<string, { suggested_key: { default: string } }>;
  };
  return Object.fromEntries(Object.entries(manifest.commands).map(([name, c]) => [name, c.suggested_key.default]));
}

/** A plain WebSocket client of the server that records every transport change. */
export class Observer {
  ws: WebSocket | null = null;
  readonly states: Extract<ServerMessage, { type: 'transport_state' }>[] = [];
  constructor(readonly url: string) {}
  open(): Promise<void> {
    const ws = new WebSocket(this.url.replace(/^http/, 'ws') + '/ws');
    this.ws = ws;
    ws.on('message', (data) => {
      const msg = ServerMessage.safeParse(JSON.parse(String(data)));
      if (msg.success && msg.data.type === 'transport_state') this.states.push(msg.data);
    });
    return new Promise((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
  }
  close() {
    this.ws?.terminate();
    this.ws = null;
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

export interface ChromeSession {
  browser: Browser;
  extensionId: string;
  worker(): Promise<WebWorker>;
  openExtensionPage(path: string): Promise<Page>;
}

/**
 * `args` are added to CHROMIUM_ARGS, `env` to the browser's environment (e.g. `--lang=fr` with `LANGUAGE=fr`).
 * `display`: a headful browser on that X display (see VirtualDisplay), for what headless Chromium does not do: browser
 * accelerators such as the extension's keyboard commands.
 * `audible`: without puppeteer's default `--mute-audio` (added in headless mode): a muted tab is captured as silence.
 * `userDataDir`: the profile folder (default: a fresh temporary one); Chromium reads user-level native messaging
 * hosts from its NativeMessagingHosts subfolder.
 */
export async function launchChromium(
  opts: {
    args?: string[];
    env?: Record<string, string>;
    display?: string;
    audible?: boolean;
    userDataDir?: string;
  } = {},
): Promise<ChromeSession> {
  const executablePath = existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium';
  const env = { ...opts.env, ...(opts.display ? { DISPLAY: opts.display } : {}) };
  const browser = await puppeteer.launch({
    executablePath,
    headless: !opts.display,
    pipe: true,
    enableExtensions: [CHROME_BUILD],
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    ...(Object.keys(env).length ? { env: { ...process.env, ...env } } : {}),
    ...(opts.audible ? { ignoreDefaultArgs: ['--mute-audio'] } : {}),
    userDataDir: opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'codette-chromium-')),
  });
  const target = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'),
    { timeout: 20_000 },
  );
  const extensionId = new URL(target.url()).host;
  return {
    browser,
    extensionId,
    async worker() {
      const t = await browser.waitForTarget(
        (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
        { timeout: 20_000 },
      );
      const w = await t.worker();
      if (!w) throw new Error('no worker');
      return w;
    },
    async openExtensionPage(path: string) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
  };
}

/**
 * An X server without a screen (Xvfb) for a headful browser, and xdotool to press keys on it. The keys go through
 * XTEST like a real keyboard's, so that they reach the browser's own accelerators (extension commands included),
 * which CDP key events (page.keyboard) never do: those are delivered to the page's renderer only.
 */
export class VirtualDisplay {
  private constructor(
    private readonly child: ChildProcess,
    readonly display: string,
  ) {}

  /** Xvfb picks a free display number itself (-displayfd) and writes it once it accepts connections. */
  static async start(): Promise<VirtualDisplay> {
    const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr?.on('data', (d) => (errors += String(d)));
    const number = await new Promise<string>((res, rej) => {
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        rej(new Error(`Xvfb did not start: ${errors}`));
      }, 10_000);
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (d) => {
        out += String(d);
        if (out.includes('\n')) {
          clearTimeout(timer);
          res(out.trim());
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`Xvfb exited (${code}): ${errors}`));
      });
    });
    return new VirtualDisplay(child, `:${number}`);
  }

  xdotool(...args: string[]): string {
    return execFileSync('xdotool', args, {
      env: { ...process.env, DISPLAY: this.display },
      encoding: 'utf8',
      timeout: 10_000,
    }).trim();
  }

  /**
   * Gives the keyboard focus to the visible top-level window whose title contains `title` (Chromium's window title is
   * the active tab's) and presses `keys` there, e.g. "alt+shift+k". No window manager runs: XSetInputFocus does it.
   */
  pressIn(title: string, keys: string): void {
    const ids = this.xdotool('search', '--onlyvisible', '--name', title).split('\n').filter(Boolean);
    if (ids.length === 0) throw new Error(`no window titled "${title}" on ${this.display}`);
    this.xdotool('windowfocus', '--sync', ids[0]!);
    this.xdotool('key', '--clearmodifiers', keys);
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((r) => {
      this.child.once('exit', () => r());
      this.child.kill('SIGTERM');
    });
  }
}

/** Points the extension at the test server (the options page does the same through storage.local). */
export async function setServerUrl(page: Page, serverUrl: string): Promise<void> {
  await page.evaluate(async (url) => {
    const c = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome;
    await c.storage.local.set({ 'codette.settings.v1': { serverUrl: url, sites: [], profiles: [] } });
  }, serverUrl);
}

/** The side panel as a tab, pointed at `serverUrl`, once it is connected (its offline banner gone). */
export async function openConnectedPanel(session: ChromeSession, serverUrl: string): Promise<Page> {
  const panel = await session.openExtensionPage('sidepanel.html');
  await setServerUrl(panel, serverUrl);
  await until(async () => (await panel.$('[data-testid=banner]')) === null, 15_000, 'the panel to connect');
  return panel;
}

export async function outboxSize(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const c = (
      globalThis as unknown as {
        chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown[]>> } } };
      }
    ).chrome;
    return ((await c.storage.local.get('codette.outbox.v1'))['codette.outbox.v1'] ?? []).length;
  });
}

/**
 * A TCP gate between the extension and the server: closed, it refuses the extension's connections, so that a test's
 * own observer can be connected to a restarted server before the extension reconnects and sends its outbox.
 */
export class Gate {
  open = true;
  readonly #sockets = new Set<Socket>();
  readonly #server = netServer((down) => {
    if (!this.open) {
      down.destroy();
      return;
    }
    const up = netConnect(this.target, '127.0.0.1');
    for (const s of [down, up]) {
      this.#sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.#sockets.delete(s);
        down.destroy();
        up.destroy();
      });
    }
    const entry: { at: number; request: string; closedAt: number | null } = {
      at: Date.now(),
      request: '',
      closedAt: null,
    };
    this.log.push(entry);
    down.once('data', (d) => (entry.request = String(d).split('\r\n', 1)[0] ?? ''));
    down.once('close', () => (entry.closedAt = Date.now()));
    down.pipe(up).pipe(down);
  });
  /** Every connection let through: its request line (e.g. "GET /ws HTTP/1.1"), when it opened and closed. */
  readonly log: { at: number; request: string; closedAt: number | null }[] = [];
  port = 0;
  constructor(readonly target: number) {}
  /** Client connections passing through now (a live extension socket is one). */
  get connections(): number {
    return this.#sockets.size / 2;
  }
  async listen(port: number): Promise<void> {
    this.port = port;
    await new Promise<void>((r) => this.#server.listen(port, '127.0.0.1', r));
  }
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

// ---- Firefox ESR through WebDriver BiDi ----

export const FIREFOX_GECKO_ID = 'codette@codette.local';
/** Fixed with the pref extensions.webextensions.uuids, so that the tests know the extension's moz-extension:// origin. */
export const FIREFOX_UUID = '6c0d7f1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f';

export interface FirefoxSession {
  browser: Browser;
  origin: string;
  /** The first-run page the extension opened itself on install (welcome.html): any extension page can open the others. */
  firstRun: Page;
  /** Asks the extension to open one of its pages in a tab (BiDi refuses to navigate to moz-extension://) and returns it. */
  openExtensionPage(path: string, from?: Page): Promise<Page>;
}

/** Where a page really is: for a tab that the extension opened, puppeteer's page.url() can stay at about:blank. */
const hrefOf = (p: Page) => p.evaluate(() => location.href).catch(() => '');

async function waitForNewPage(browser: Browser, known: Set<Page>, url: string, timeoutMs = 15_000): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const p of await browser.pages()) if (!known.has(p) && (await hrefOf(p)).startsWith(url)) return p;
    await sleep(100);
  }
  throw new Error(`no tab opened at ${url}`);
}

/**
 * `display`: a headful Firefox on that X display (see VirtualDisplay), for what only a real keyboard reaches: the
 * manifest's keyboard commands.
 */
export async function launchFirefox(
  opts: { prefs?: Record<string, unknown>; display?: string } = {},
): Promise<FirefoxSession> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: !opts.display,
    ...(opts.display ? { env: { ...process.env, DISPLAY: opts.display } } : {}),
    userDataDir: mkdtempSync(join(tmpdir(), 'codette-firefox-')),
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_GECKO_ID]: FIREFOX_UUID }),
      // A closed network: nothing to update or fetch.
      'app.update.enabled': false,
      'browser.region.network.url': '',
      'browser.safebrowsing.downloads.remote.enabled': false,
      'messaging-system.rsexperimentloader.enabled': false,
      ...opts.prefs,
    },
  });
  try {
    const origin = `moz-extension://${FIREFOX_UUID}`;
    const id = await browser.installExtension(FIREFOX_BUILD);
    if (id !== FIREFOX_GECKO_ID) throw new Error(`installed ${id}, expected ${FIREFOX_GECKO_ID}`);
    // The welcome page the extension opens on install.
    const firstRun = await waitForNewPage(browser, new Set(), `${origin}/welcome.html`);
    return {
      browser,
      origin,
      firstRun,
      async openExtensionPage(path: string, from: Page = firstRun) {
        const before = new Set(await browser.pages());
        await from.evaluate((p) => {
          const b = (
            globalThis as unknown as {
              browser: { tabs: { create(o: object): Promise<unknown> }; runtime: { getURL(p: string): string } };
            }
          ).browser;
          return b.tabs.create({ url: b.runtime.getURL(p) }).then(() => undefined);
        }, `/${path}`);
        return waitForNewPage(browser, before, `${origin}/${path}`);
      },
    };
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
}

// ---- Real web DAWs (fixtures/real/, see its README): how a musician operates each, and where its own state is read ----

/**
 * What the test-side sound probe saw in the page: every node connected to an AudioContext's destination is also
 * connected to an AnalyserNode of that context, polled every 20 ms. Independent of Codette's own audio hook.
 */
export interface SoundProbeState {
  /** Realtime contexts seen, and how many of them were running at the last poll. */
  contexts: number;
  running: number;
  /** Connections made to a destination so far. */
  connections: number;
  /** performance.now() of the last poll that found a sample above about -80 dBFS (-1 before any). */
  lastLoudAt: number;
}

/**
 * The probe's source, run in the page before its own scripts: `page.evaluateOnNewDocument(SOUND_PROBE)`. Plain
 * JavaScript in a string, so that no helper of the test's own compiler (esbuild's __name) ends up in the page.
 */
export const SOUND_PROBE = `(() => {
  if (window.__soundProbe || typeof AudioNode !== 'function') return;
  const state = { contexts: 0, running: 0, connections: 0, lastLoudAt: -1 };
  window.__soundProbe = state;
  const connect = AudioNode.prototype.connect;
  const taps = new Map();
  function tapOf(ctx) {
    let tap = taps.get(ctx);
    if (!tap) {
      tap = ctx.createAnalyser();
      tap.fftSize = 1024;
      const sink = ctx.createGain();
      sink.gain.value = 0; // pulls the analyser without adding anything to what the page plays
      connect.call(tap, sink);
      connect.call(sink, ctx.destination);
      taps.set(ctx, tap);
      state.contexts = taps.size;
    }
    return tap;
  }
  AudioNode.prototype.connect = function (destination, output, input) {
    const result = connect.apply(this, arguments);
    const offline = typeof OfflineAudioContext === 'function' && this.context instanceof OfflineAudioContext;
    if (destination instanceof AudioDestinationNode && !offline) {
      try {
        connect.call(this, tapOf(this.context), output || 0);
        state.connections++;
      } catch (e) {
        // a node whose output cannot be tapped: the probe simply does not hear it
      }
    }
    return result;
  };
  const buffer = new Float32Array(1024);
  setInterval(function () {
    let running = 0;
    let loud = false;
    for (const [ctx, tap] of taps) {
      if (ctx.state !== 'running') continue;
      running++;
      tap.getFloatTimeDomainData(buffer);
      for (let i = 0; i < buffer.length && !loud; i++) loud = Math.abs(buffer[i]) > 1e-4;
    }
    state.running = running;
    if (loud) state.lastLoudAt = performance.now();
  }, 20);
})();`;

/** How long ago (ms) the probe last heard sound in the page; Infinity if never. */
export const silentForMs = (page: Page) =>
  page.evaluate(() => {
    const p = (window as unknown as { __soundProbe?: SoundProbeState }).__soundProbe;
    return !p || p.lastLoudAt < 0 ? Number.POSITIVE_INFINITY : performance.now() - p.lastLoudAt;
  });

/** One real DAW fixture: how to load it, read its own state, and operate it as a musician (real mouse and keys). */
export interface RealDaw {
  name: string;
  /** Folder under fixtures/real/. */
  folder: string;
  /** Opens the app and waits until it can play (song loaded, pads set): what a musician does before pressing play. */
  open(page: Page, fixturesUrl: string): Promise<void>;
  playing(page: Page): Promise<boolean>;
  /** Its record mode, where it has one. */
  recording?(page: Page): Promise<boolean>;
  bpm?(page: Page): Promise<number>;
  loop?(page: Page): Promise<boolean>;
  userPlay(page: Page): Promise<void>;
  userStop(page: Page): Promise<void>;
  userRecord?(page: Page): Promise<void>;
  /** Changes the tempo with its own control; returns the tempo the app shows afterwards. */
  userTempo?(page: Page): Promise<number>;
  userLoop?(page: Page): Promise<void>;
  /**
   * Controls the DAW has that Codette does not reach yet, with why (the README's table says "no" for them): instead of
   * working, a command for them must end reported as failed, undone on the server, and the DAW left as it was.
   */
  unreachable?: Partial<Record<'tempo' | 'record', string>>;
  /**
   * The longest its sound rings on after its own stop, from its code (notes already scheduled, their length, a reverb),
   * where that is more than a few ms: how long after a stop the test-side probe may still hear it.
   */
  tailMs?: number;
}

const SOUNDBOX_DIR = join(FIXTURES, 'real/soundbox');
/** SoundBox's demo song "zebrain", as the app's own share link carries it (?data=, + as - and / as _). */
function soundboxSongParam(name = 'zebrain'): string {
  const src = readFileSync(join(SOUNDBOX_DIR, 'demo-songs.js'), 'utf8');
  const m = new RegExp(`name:\\s*"${name}"[\\s\\S]*?base64:\\s*"([^"]+)"`).exec(src);
  if (!m) throw new Error(`no demo song ${name} in SoundBox's demo-songs.js`);
  return m[1]!.replace(/\+/g, '-').replace(/\//g, '_');
}

/** A point of BassoonTracker's canvas, in the canvas's own 800x600 layout, clicked with the real mouse. */
async function clickCanvas(page: Page, x: number, y: number): Promise<void> {
  const box = await page.$eval('#canvas', (c) => {
    const r = c.getBoundingClientRect();
    return {
      left: r.left,
      top: r.top,
      sx: r.width / (c as HTMLCanvasElement).width,
      sy: r.height / (c as HTMLCanvasElement).height,
    };
  });
  await page.mouse.click(box.left + x * box.sx, box.top + y * box.sy);
  // Its buttons react on mouseup through its own render loop; move away so that no hover image stays drawn.
  await page.mouse.move(box.left + 760 * box.sx, box.top + 580 * box.sy);
}

/** BassoonTracker's layout at 800x600 (its default canvas size): the transport row under the logo. */
const BT = { play: [122, 211], record: [200, 211], bpmUp: [286, 106] } as const; // record: the region 170-230 x 200-222

export const REAL_DAWS: RealDaw[] = [
  {
    name: 'SoundBox',
    folder: 'soundbox',
    async open(page, base) {
      await page.goto(`${base}/real/soundbox/index.html?data=${soundboxSongParam()}`);
      await page.waitForFunction(
        () =>
          typeof document.getElementById('playSong')?.onmousedown === 'function' &&
          (document.getElementById('bpm') as HTMLInputElement).value !== '',
        { timeout: 15_000 },
      );
      // Looped playback, so that the song does not end (and stop by itself) in the middle of a test.
      if (!(await page.$eval('#loopPlayback', (el) => (el as HTMLInputElement).checked)))
        await page.click('#loopPlayback');
    },
    playing: (page) => page.evaluate(() => document.querySelector('.playpos') !== null),
    bpm: (page) => page.$eval('#bpm', (el) => Number((el as HTMLInputElement).value)),
    loop: (page) => page.$eval('#loopPlayback', (el) => (el as HTMLInputElement).checked),
    userPlay: (page) => page.click('#playSong'),
    userStop: (page) => page.click('#stopPlaying'),
    async userTempo(page) {
      const next = (await page.$eval('#bpm', (el) => Number((el as HTMLInputElement).value))) + 5;
      await page.click('#bpm', { count: 3 });
      await page.keyboard.type(String(next));
      await page.keyboard.press('Enter');
      return page.$eval('#bpm', (el) => Number((el as HTMLInputElement).value));
    },
    userLoop: (page) => page.click('#loopPlayback'),
  },
  {
    name: 'BassoonTracker',
    folder: 'bassoontracker',
    async open(page, base) {
      await page.goto(`${base}/real/bassoontracker/index.html`);
      await page.waitForFunction(
        () => {
          const bt = (
            window as unknown as {
              BassoonTracker?: { isPlaying?: () => boolean; getSong?: () => { title?: string } | null };
            }
          ).BassoonTracker;
          return typeof bt?.isPlaying === 'function' && !!bt.getSong?.()?.title;
        },
        { timeout: 20_000 },
      );
      await sleep(300);
    },
    playing: (page) =>
      page.evaluate(() =>
        (window as unknown as { BassoonTracker: { isPlaying(): boolean } }).BassoonTracker.isPlaying(),
      ),
    // Its record state is not exposed to the page; its record button (about 60x22 px) is drawn bright red while armed
    // (about 120 such pixels) and dark brown otherwise (none).
    recording: (page) =>
      page.$eval('#canvas', (c) => {
        const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(170, 200, 60, 22).data;
        let red = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 150 && d[i + 1]! < 90 && d[i + 2]! < 90) red++;
        return red > 40;
      }),
    bpm: (page) =>
      page.evaluate(() => (window as unknown as { BassoonTracker: { getBPM(): number } }).BassoonTracker.getBPM()),
    userPlay: (page) => clickCanvas(page, ...BT.play),
    userStop: (page) => clickCanvas(page, ...BT.play), // the same button stops while it plays
    userRecord: (page) => clickCanvas(page, ...BT.record),
    unreachable: {
      tempo: 'its tempo arrows are pixels of its canvas, with no key for them',
      record: 'its record button is pixels of its canvas, and the key it has toggles record blind',
    },
    async userTempo(page) {
      await clickCanvas(page, ...BT.bpmUp);
      return page.evaluate(() =>
        (window as unknown as { BassoonTracker: { getBPM(): number } }).BassoonTracker.getBPM(),
      );
    },
  },
  {
    name: 'MIDIDrums',
    folder: 'mididrums',
    async open(page, base) {
      await page.goto(`${base}/real/mididrums/index.html`);
      // The play image stops spinning once demo beat 2 (loaded at start) has its kit and reverb.
      await page.waitForFunction(
        () => (document.getElementById('play') as HTMLImageElement | null)?.src.endsWith('/btn_play.png') ?? false,
        { timeout: 20_000 },
      );
    },
    // Its drums go through a convolution reverb: the "Living Room" response of demo beat 2 is 1.55 s long, after
    // samples of up to about 0.5 s, scheduled up to 0.2 s ahead.
    tailMs: 2_300,
    playing: (page) => page.$eval('#play', (el) => el.classList.contains('playing')),
    bpm: (page) => page.$eval('#tempo', (el) => Number(el.textContent)),
    userPlay: (page) => page.click('#play'),
    userStop: (page) => page.click('#stop'),
    async userTempo(page) {
      await page.click('#tempoinc');
      return page.$eval('#tempo', (el) => Number(el.textContent));
    },
  },
  {
    name: 'MDN step sequencer',
    folder: 'mdn-step-sequencer',
    async open(page, base) {
      await page.goto(`${base}/real/mdn-step-sequencer/index.html`);
      await page.waitForFunction(
        () => (document.querySelector('.loading') as HTMLElement | null)?.style.display === 'none',
        { timeout: 15_000 },
      );
      // A pattern to hear: the pulse voice on all four steps (each note lasts one step at its starting tempo).
      for (const pad of ['#v2n1', '#v2n2', '#v2n3', '#v2n4'])
        if (!(await page.$eval(pad, (el) => (el as HTMLInputElement).checked))) await page.click(pad);
    },
    // Its notes last 1 s (pulseTime) and are scheduled up to 0.1 s ahead; a stop does not cut them.
    tailMs: 1_100,
    playing: (page) => page.$eval('#playBtn', (el) => (el as HTMLInputElement).dataset.playing === 'true'),
    bpm: (page) => page.$eval('#bpm', (el) => Number((el as HTMLInputElement).value)),
    userPlay: (page) => page.click('#playBtn'),
    userStop: (page) => page.click('#playBtn'),
    async userTempo(page) {
      await page.focus('#bpm');
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
      return page.$eval('#bpm', (el) => Number((el as HTMLInputElement).value));
    },
  },
];

/** The server's transport as `GET /codette/status` gives it (validated). */
export async function codetteStatus(serverUrl: string): Promise<TransportState> {
  const res = await fetch(`${serverUrl}/codette/status`);
  if (!res.ok) throw new Error(`GET /codette/status: ${res.status}`);
  return TransportState.parse(await res.json());
}

export async function postTransport(serverUrl: string, command: TransportCommandInput): Promise<void> {
  const res = await fetch(`${serverUrl}/codette/transport`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(command),
  });
  if (res.status !== 200)
    throw new Error(`POST /codette/transport ${JSON.stringify(command)}: ${res.status} ${await res.text()}`);
}

/** One sample of both sides: the DAW's own state and the server's, taken together. */
export interface Sample {
  at: number;
  daw: boolean;
  server: boolean;
  dawRecording: boolean | null;
  serverRecording: boolean;
}

/**
 * Samples the DAW's own play state and the server's every ~50 ms for `ms`, and gives the samples and the longest time
 * the two disagreed without a break (the disagreement is counted from the first differing sample to the next agreeing one).
 */
export async function sampleAgreement(
  daw: RealDaw,
  page: Page,
  serverUrl: string,
  ms: number,
): Promise<{ samples: Sample[]; longestDisagreementMs: number }> {
  const samples: Sample[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const [dawPlaying, dawRecording, status] = await Promise.all([
      daw.playing(page),
      daw.recording ? daw.recording(page) : Promise.resolve(null),
      codetteStatus(serverUrl),
    ]);
    samples.push({
      at: Date.now(),
      daw: dawPlaying,
      server: status.playing,
      dawRecording,
      serverRecording: status.recording,
    });
    await sleep(50);
  }
  return { samples, longestDisagreementMs: longestDisagreement(samples) };
}

export function longestDisagreement(samples: Sample[]): number {
  let longest = 0;
  let since: number | null = null;
  for (const s of samples) {
    if (s.daw !== s.server) since ??= s.at;
    else if (since !== null) {
      longest = Math.max(longest, s.at - since);
      since = null;
    }
  }
  if (since !== null) longest = Math.max(longest, samples[samples.length - 1]!.at - since);
  return longest;
}
