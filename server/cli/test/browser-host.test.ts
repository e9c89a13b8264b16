import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeHostReply } from '../../../shared/schemas/native-host';
import { loadSettings } from '../../config';
import { PROJECT_ROOT } from '../../paths';
import { freePort } from '../../test/helpers';
import { stop } from '../commands';
import {
  builtExtensionDir,
  ChromiumHostManifest,
  FIREFOX_EXTENSION_ID,
  FirefoxHostManifest,
  frame,
  HOST_NAME,
  hostLocation,
  installBrowserHost,
  unpackedExtensionId,
} from '../browser-host';

const BUNDLE = join(PROJECT_ROOT, '.output/server/cli.mjs');

/** Runs the host as a browser does: the launcher, one framed message on stdin, one framed reply on stdout. */
function askHost(launcher: string, message: unknown): Promise<NativeHostReply> {
  return new Promise((resolve, reject) => {
    const child = spawn(launcher, ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('exit', () => {
      const out = Buffer.concat(chunks);
      const size = out.readUInt32LE(0);
      expect(out.byteLength).toBe(4 + size);
      resolve(NativeHostReply.parse(JSON.parse(out.subarray(4).toString('utf8'))));
    });
    child.stdin.end(frame(message));
  });
}

let home: string;
let dataDir: string;
let port: number;
beforeAll(async () => {
  execFileSync(process.execPath, ['server/scripts/build.mjs', '--quiet'], { cwd: PROJECT_ROOT });
  home = mkdtempSync(join(tmpdir(), 'codette-home-'));
  dataDir = join(home, 'data');
  port = await freePort();
});
afterAll(async () => {
  await stop(loadSettings({ CODETTE_DATA_DIR: dataDir }));
});

describe('codette install-browser-host', () => {
  it('writes a host manifest for Chrome, Chromium, Edge and Firefox in their user folders, allowing Codette only', () => {
    const settings = loadSettings({ CODETTE_DATA_DIR: dataDir });
    const storeId = 'abcdefghijklmnopabcdefghijklmnop';
    const out = installBrowserHost({
      entry: BUNDLE,
      settings,
      env: {},
      extensionIds: [storeId],
      serverFlags: ['--port', String(port)],
      platform: 'linux',
      home,
    });
    expect(out.code).toBe(0);
    const unpacked = builtExtensionDir('chrome-mv3');
    const origins = [
      `chrome-extension://${storeId}/`,
      ...(unpacked ? [`chrome-extension://${unpackedExtensionId(unpacked)}/`] : []),
    ];
    for (const browser of ['chrome', 'chromium', 'edge'] as const) {
      const file = join(hostLocation(browser, 'linux', home).dir, `${HOST_NAME}.json`);
      const manifest = ChromiumHostManifest.parse(JSON.parse(readFileSync(file, 'utf8')));
      expect(manifest.allowed_origins.sort()).toEqual(origins.sort());
    }
    expect(hostLocation('chromium', 'linux', home).dir).toBe(join(home, '.config/chromium/NativeMessagingHosts'));
    const firefox = FirefoxHostManifest.parse(
      JSON.parse(readFileSync(join(home, '.mozilla/native-messaging-hosts', `${HOST_NAME}.json`), 'utf8')),
    );
    expect(firefox.allowed_extensions).toEqual([FIREFOX_EXTENSION_ID]);
    expect(statSync(firefox.path).mode & 0o111).toBeTruthy();
    expect(readFileSync(firefox.path, 'utf8')).toContain(
      `'native-host' '--port' '${port}' '--data-dir' '${dataDir}' -- "$@"`,
    );
  });

  it('refuses an id that is not a Chrome extension id', () => {
    const out = installBrowserHost({
      entry: BUNDLE,
      settings: loadSettings({ CODETTE_DATA_DIR: dataDir }),
      env: {},
      extensionIds: ['not-an-id'],
      serverFlags: [],
      platform: 'linux',
      home,
    });
    expect(out.code).toBe(1);
    expect(out.lines[0]).toContain('not-an-id');
  });

  it('the host answers status, starts a stopped server within 3 s, and finds it running the next time', async () => {
    const launcher = join(dataDir, 'native-host', 'codette-host');
    expect(await askHost(launcher, { type: 'status' })).toEqual({ ok: true, running: false });
    const started = Date.now();
    const reply = await askHost(launcher, { type: 'start' });
    expect(reply).toMatchObject({ ok: true, running: true, started: true, url: `http://127.0.0.1:${port}` });
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await fetch(`${reply.url}/health`)).status).toBe(200);
    expect(await askHost(launcher, { type: 'start' })).toMatchObject({ ok: true, started: false, url: reply.url });
    expect(await askHost(launcher, { type: 'launch missiles' })).toMatchObject({
      ok: false,
      running: false,
      error: expect.stringContaining('type'),
    });
  });
});

describe('unpackedExtensionId', () => {
  it('is 32 letters a to p, fixed by the folder path', () => {
    expect(unpackedExtensionId('/a/b')).toMatch(/^[a-p]{32}$/);
    expect(unpackedExtensionId('/a/b')).toBe(unpackedExtensionId('/a/b'));
    expect(unpackedExtensionId('/a/b')).not.toBe(unpackedExtensionId('/a/c'));
  });
});
