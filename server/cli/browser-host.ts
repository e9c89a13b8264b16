/**
 * `codette install-browser-host`: registers a native messaging host so that the extension can start Codette when
 * the server is down (popup and panel: "Start Codette"). The browser runs the host (`codette native-host`), which
 * starts the server detached when it is not running and answers with its URL.
 *
 * Host manifests live in each browser's user-level folder (Linux, macOS) or are named in the registry (Windows):
 * Chrome, Chromium and Edge allow extensions by origin (`chrome-extension://<id>/`), Firefox by add-on id.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { NATIVE_HOST_NAME, NativeHostReply, NativeHostRequest } from '../../shared/schemas/native-host';
import type { Settings } from '../config';
import { PROJECT_ROOT } from '../paths';
import type { Outcome } from './commands';
import type { Check } from './doctor';
import { serveDetached } from './serve';

export const HOST_NAME = NATIVE_HOST_NAME;
export const FIREFOX_EXTENSION_ID = 'codette@codette.local';

export type HostBrowser = 'chrome' | 'chromium' | 'edge' | 'firefox';
export const HOST_BROWSERS: readonly HostBrowser[] = ['chrome', 'chromium', 'edge', 'firefox'];

/** The id Chromium gives an unpacked extension without a `key`: from the SHA-256 of its folder's absolute path. */
export function unpackedExtensionId(folder: string): string {
  const hex = createHash('sha256').update(folder).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

/** The built Chrome extension next to this server: the package's `extension/chrome-mv3`, or the repository's `.output/chrome-mv3`. */
export function builtExtensionDir(browser: 'chrome-mv3' | 'firefox-mv3', root = PROJECT_ROOT): string | null {
  for (const dir of [join(root, 'extension', browser), join(root, '.output', browser)])
    if (existsSync(join(dir, 'manifest.json'))) return dir;
  return null;
}

/** Where each browser reads user-level host manifests (Windows: the registry key that names the manifest file). */
export function hostLocation(
  browser: HostBrowser,
  platform: NodeJS.Platform,
  home: string,
): { dir: string; registryKey?: string } {
  if (platform === 'win32') {
    const key = { chrome: 'Google\\Chrome', chromium: 'Chromium', edge: 'Microsoft\\Edge', firefox: 'Mozilla' }[
      browser
    ];
    return {
      dir: join(home, 'AppData', 'Local', 'Codette', 'native-host', browser),
      registryKey: `HKCU\\Software\\${key}\\NativeMessagingHosts\\${HOST_NAME}`,
    };
  }
  if (platform === 'darwin') {
    const sub = { chrome: 'Google/Chrome', chromium: 'Chromium', edge: 'Microsoft Edge', firefox: 'Mozilla' }[browser];
    return { dir: join(home, 'Library/Application Support', sub, 'NativeMessagingHosts') };
  }
  const dir = {
    chrome: '.config/google-chrome/NativeMessagingHosts',
    chromium: '.config/chromium/NativeMessagingHosts',
    edge: '.config/microsoft-edge/NativeMessagingHosts',
    firefox: '.mozilla/native-messaging-hosts',
  }[browser];
  return { dir: join(home, dir) };
}

export const ChromiumHostManifest = z.object({
  name: z.literal(HOST_NAME),
  description: z.string(),
  path: z.string(),
  type: z.literal('stdio'),
  allowed_origins: z.array(z.string().regex(/^chrome-extension:\/\/[a-p]{32}\/$/)),
});
export const FirefoxHostManifest = ChromiumHostManifest.omit({ allowed_origins: true }).extend({
  allowed_extensions: z.array(z.string()),
});

export function hostManifest(browser: HostBrowser, launcher: string, chromeIds: readonly string[]): object {
  const base = {
    name: HOST_NAME,
    description: 'Starts the Codette companion server for the Codette extension',
    path: launcher,
    type: 'stdio' as const,
  };
  return browser === 'firefox'
    ? { ...base, allowed_extensions: [FIREFOX_EXTENSION_ID] }
    : { ...base, allowed_origins: chromeIds.map((id) => `chrome-extension://${id}/`) };
}

/**
 * The executable the browser runs: a shell script (a .cmd on Windows) that runs this Node with `native-host`, the server
 * flags chosen at install, then `--` and whatever the browser adds (the caller's origin, a window handle).
 */
export function launcherScript(
  platform: NodeJS.Platform,
  node: string,
  entry: string,
  flags: readonly string[],
): { name: string; text: string } {
  if (platform === 'win32') {
    const words = [node, entry, 'native-host', ...flags].map((w) => `"${w}"`).join(' ');
    return { name: 'codette-host.cmd', text: `@echo off\r\n${words} -- %*\r\n` };
  }
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return {
    name: 'codette-host',
    text: `#!/bin/sh\nexec ${[node, entry, 'native-host', ...flags].map(q).join(' ')} -- "$@"\n`,
  };
}

export interface InstallHostOptions {
  entry: string;
  settings: Settings;
  env: Record<string, string | undefined>;
  /** Extra Chrome extension ids (a store install); the unpacked build's id is always added. */
  extensionIds: string[];
  /** The server flags the host starts Codette with (--port, --host...); the data directory is always added. */
  serverFlags: string[];
  platform?: NodeJS.Platform;
  home?: string;
}

export function installBrowserHost(o: InstallHostOptions): Outcome {
  const platform = o.platform ?? process.platform;
  const home = o.home ?? homedir();
  const ids = new Set(o.extensionIds.filter((id) => /^[a-p]{32}$/.test(id)));
  const bad = o.extensionIds.filter((id) => !/^[a-p]{32}$/.test(id));
  if (bad.length)
    return {
      code: 1,
      lines: [`Not a Chrome extension id: ${bad.join(', ')} (32 letters a to p, as chrome://extensions shows).`],
    };
  const unpacked = builtExtensionDir('chrome-mv3');
  if (unpacked) ids.add(unpackedExtensionId(unpacked));
  const hostDir = join(o.settings.dataDir, 'native-host');
  mkdirSync(hostDir, { recursive: true });
  const flags = o.serverFlags.includes('--data-dir')
    ? o.serverFlags
    : [...o.serverFlags, '--data-dir', o.settings.dataDir];
  const launcher = launcherScript(platform, process.execPath, o.entry, flags);
  const launcherPath = join(hostDir, launcher.name);
  writeFileSync(launcherPath, launcher.text);
  if (platform !== 'win32') chmodSync(launcherPath, 0o755);
  const lines: string[] = [];
  for (const browser of HOST_BROWSERS) {
    const where = hostLocation(browser, platform, home);
    mkdirSync(where.dir, { recursive: true });
    const file = join(where.dir, `${HOST_NAME}.json`);
    writeFileSync(file, JSON.stringify(hostManifest(browser, launcherPath, [...ids]), null, 2) + '\n');
    if (where.registryKey) {
      const r = spawnSync('reg', ['add', where.registryKey, '/ve', '/t', 'REG_SZ', '/d', file, '/f'], {
        encoding: 'utf8',
      });
      if (r.status !== 0)
        lines.push(
          `! ${browser}: could not write ${where.registryKey}: ${(r.stderr || r.error?.message || '').trim()}`,
        );
    }
    lines.push(`${browser}: ${file}`);
  }
  lines.push(
    `The extension can now start Codette (host ${HOST_NAME}, ${launcherPath}; Chrome ids: ${[...ids].join(', ') || 'none'}).`,
    'Installed the extension from the Chrome Web Store? Run again with its id: codette install-browser-host <id>.',
  );
  return { code: 0, lines };
}

export function browserHostCheck(
  env: Record<string, string | undefined>,
  platform = process.platform,
  home = env.HOME ?? homedir(),
): Check {
  const found = HOST_BROWSERS.filter((b) => existsSync(join(hostLocation(b, platform, home).dir, `${HOST_NAME}.json`)));
  return found.length
    ? {
        level: 'ok',
        label: 'browser host',
        detail: `registered for ${found.join(', ')}: the extension can start Codette`,
      }
    : {
        level: 'info',
        label: 'browser host',
        detail: 'not registered (optional): `codette install-browser-host` lets the extension start Codette',
      };
}

// ---------------------------------------------------------------------------------------------- the host itself
/** Native messaging framing: a 32-bit length in the machine's byte order (little-endian everywhere Codette runs), then JSON. */
export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.byteLength, 0);
  return Buffer.concat([head, body]);
}

function readOneMessage(input: NodeJS.ReadableStream): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.byteLength < 4) return;
      const size = buf.readUInt32LE(0);
      if (buf.byteLength < 4 + size) return;
      input.off('data', onData);
      try {
        resolve(JSON.parse(buf.subarray(4, 4 + size).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    };
    input.on('data', onData);
    input.once('end', () => reject(new Error('the browser closed the connection before sending a message')));
  });
}

/** Answers one message from the browser, then exits (the browser starts one host per sendNativeMessage). */
export async function runNativeHost(
  settings: Settings,
  serverFlags: string[],
  entry: string,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  let reply: NativeHostReply;
  try {
    const request = NativeHostRequest.parse(await readOneMessage(input));
    if (request.type === 'status') {
      const { findRunning } = await import('./state');
      const running = await findRunning(settings.dataDir);
      reply = running
        ? { ok: true, running: true, url: running.state.url, version: running.state.version }
        : { ok: true, running: false };
    } else {
      const { state, started } = await serveDetached(settings, entry, serverFlags);
      reply = { ok: true, running: true, started, url: state.url, version: state.version };
    }
  } catch (error) {
    reply = { ok: false, running: false, error: (error as Error).message };
  }
  await new Promise<void>((resolve) => output.write(frame(reply), () => resolve()));
  return reply.ok ? 0 : 1;
}
