import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect as netConnect, createServer as netServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer';
import WebSocket from 'ws';
import { ServerMessage } from '../../shared/schemas/ws';

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
    this.child = spawn(process.execPath, [join(ROOT, '.output/server/cli.mjs'), '--port', String(this.port), '--data-dir', this.dataDir], {
      env: { ...process.env, CODETTE_LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d) => (this.log += String(d)));
    this.child.stderr?.on('data', (d) => (this.log += String(d)));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const headers: Record<string, string> = this.env.CODETTE_TOKEN ? { authorization: `Bearer ${this.env.CODETTE_TOKEN}` } : {};
      if (await fetch(this.url + '/health', { headers }).then((r) => r.ok, () => false)) return;
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
export const fixtureState = (page: Page) => page.evaluate(() => (window as unknown as { __fixture: FixtureState }).__fixture);

/** The built manifest's suggested key per command, as written there ("Alt+Shift+K"). */
export function suggestedKeys(buildDir: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(buildDir, 'manifest.json'), 'utf8')) as { commands: Record<string, { suggested_key: { default: string } }> };
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
 */
export async function launchChromium(opts: { args?: string[]; env?: Record<string, string>; display?: string; audible?: boolean } = {}): Promise<ChromeSession> {
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
    userDataDir: mkdtempSync(join(tmpdir(), 'codette-chromium-')),
  });
  const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 20_000 });
  const extensionId = new URL(target.url()).host;
  return {
    browser,
    extensionId,
    async worker() {
      const t = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`), { timeout: 20_000 });
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
    return execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: this.display }, encoding: 'utf8', timeout: 10_000 }).trim();
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

export async function outboxSize(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown[]>> } } } }).chrome;
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
    const entry: { at: number; request: string; closedAt: number | null } = { at: Date.now(), request: '', closedAt: null };
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
  /** The first-run page the extension opened itself on install (options.html): any extension page can open the others. */
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
export async function launchFirefox(opts: { prefs?: Record<string, unknown>; display?: string } = {}): Promise<FirefoxSession> {
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
    // runtime.openOptionsPage() loads into the blank start tab rather than a new one.
    const firstRun = await waitForNewPage(browser, new Set(), `${origin}/options.html`);
    return {
      browser,
      origin,
      firstRun,
      async openExtensionPage(path: string, from: Page = firstRun) {
        const before = new Set(await browser.pages());
        await from.evaluate((p) => {
          const b = (globalThis as unknown as { browser: { tabs: { create(o: object): Promise<unknown> }; runtime: { getURL(p: string): string } } }).browser;
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
