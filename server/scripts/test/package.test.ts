/**
 * The packed tarball, installed as a person would (`npm install -g` into a fresh prefix, this Node 20), then used:
 * --version, start, /health, doctor, backup and restore, stop. Slow (the native SQLite module is compiled at install:
 * a minute or more), hence its own Vitest project, which `npm test` runs too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths';
import { freePort } from '../../test/helpers';

const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const prefix = mkdtempSync(join(tmpdir(), 'codette-prefix-'));
const home = mkdtempSync(join(tmpdir(), 'codette-home-'));
const env = { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home };
let port = 0;
let installOutput = '';

function codette(...args: string[]): { code: number; out: string } {
  const r = spawnSync('codette', [...args, '--port', String(port)], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

/** A GET on a connection of its own: the server is stopped and started between requests, a pooled socket would be stale. */
function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  port = await freePort();
  execFileSync(process.execPath, ['server/scripts/pack.mjs'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  const tarball = join(PROJECT_ROOT, '.output', `codette-${version}.tgz`);
  const r = spawnSync(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      '--allow-scripts=better-sqlite3,esbuild',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      tarball,
    ],
    {
      // JOBS: node-gyp compiles better-sqlite3's two sources in parallel (the longest part of this test).
      env: { ...process.env, HOME: home, npm_config_cache: join(process.env.HOME ?? home, '.npm'), JOBS: 'max' },
      encoding: 'utf8',
      timeout: 540_000,
    },
  );
  installOutput = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`npm install -g failed:\n${installOutput}`);
});
afterAll(() => {
  if (port) codette('stop');
});

describe('the codette package, installed with npm install -g', () => {
  it('installs without an install-script warning, with the built extension folders and the knowledge', () => {
    expect(installOutput).not.toMatch(/install-scripts|allowScripts/);
    const root = join(prefix, 'lib/node_modules/codette');
    for (const file of [
      'extension/chrome-mv3/manifest.json',
      'extension/firefox-mv3/manifest.json',
      'server/engine/knowledge/data/eq.json',
    ]) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
    expect(readdirSync(join(root, 'node_modules/better-sqlite3/build/Release'))).toContain('better_sqlite3.node');
  });

  it('runs the analysis worker from the installed package (tsx and the TypeScript it ships)', () => {
    const root = join(prefix, 'lib/node_modules/codette');
    const wav = join(home, 'tone.wav');
    const rate = 8000;
    const samples = Int16Array.from({ length: rate }, (_, i) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)),
    );
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + samples.byteLength, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(rate, 24);
    header.writeUInt32LE(rate * 2, 28);
    header.writeUInt16LE(2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36);
    header.writeUInt32LE(samples.byteLength, 40);
    writeFileSync(wav, Buffer.concat([header, Buffer.from(samples.buffer)]));
    // What server/analysis/analyse-file.ts does, resolved from the installed package's root.
    const script = `
      import { Worker } from 'node:worker_threads';
      import { createRequire } from 'node:module';
      import { readFileSync } from 'node:fs';
      import { dirname, join } from 'node:path';
      import { pathToFileURL } from 'node:url';
      const root = ${JSON.stringify(root)};
      const pkgPath = createRequire(join(root, 'package.json')).resolve('tsx/package.json');
      const entry = JSON.parse(readFileSync(pkgPath, 'utf8')).exports['./esm/api'].import;
      const api = pathToFileURL(join(dirname(pkgPath), typeof entry === 'string' ? entry : entry.default)).href;
      const code = 'import(' + JSON.stringify(api) + ').then(({ tsImport }) => tsImport(' + JSON.stringify(pathToFileURL(join(root, 'server/analysis/worker.ts')).href) + ', ' + JSON.stringify(pathToFileURL(join(root, 'package.json')).href) + '));';
      const worker = new Worker(code, { eval: true, workerData: { path: ${JSON.stringify(wav)} } });
      worker.on('message', (m) => { if (m.type !== 'progress') { console.log(JSON.stringify(m)); process.exit(0); } });
      worker.on('error', (e) => { console.log(JSON.stringify({ type: 'error', message: String(e) })); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    const reply = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      type: string;
      report?: { sample_rate: number; duration_s: number };
    };
    expect(reply.type, r.stdout + r.stderr).toBe('done');
    expect(reply.report).toMatchObject({ sample_rate: rate, duration_s: 1 });
  });

  it('says its version', () => {
    const r = spawnSync('codette', ['--version'], { env, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(`codette ${version}`);
  });

  it('starts, serves /health, passes doctor, backs up and restores, stops', async () => {
    const started = codette('start', '--detach');
    expect(started.code, started.out).toBe(0);
    expect(started.out).toContain(`http://127.0.0.1:${port}`);
    const base = `http://127.0.0.1:${port}`;
    expect((await getJson(`${base}/health`)).status).toBe(200);

    const doctor = codette('doctor');
    expect(doctor.code, doctor.out).toBe(0);
    expect(doctor.out).toMatch(/✓ SQLite module/);
    expect(doctor.out).toMatch(/✓ server: running/);
    expect(doctor.out).toMatch(/✓ database: sqlite answers/);

    const chat = (message: string) =>
      fetch(`${base}/codette/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message }),
      });
    expect((await chat('how do I EQ a kick drum?')).status).toBe(200);
    const backup = codette('backup');
    expect(backup.code, backup.out).toBe(0);
    const file = /Backup written: (\S+\.db)/.exec(backup.out)![1]!;
    expect((await chat('and a snare?')).status).toBe(200);
    const sessions = async () =>
      (await getJson<{ sessions: unknown[] }>(`${base}/codette/sessions`)).body.sessions.length;
    expect(await sessions()).toBe(2);

    const refused = codette('restore', file);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('codette stop');
    expect(codette('stop').code).toBe(0);
    expect(codette('status').code).toBe(3);
    const restored = codette('restore', file);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/kept at .*pre-restore-/);

    expect(codette('start', '--detach').code).toBe(0);
    expect(await sessions()).toBe(1);
    expect(codette('stop').out).toMatch(/Codette stopped/);
  });
});
