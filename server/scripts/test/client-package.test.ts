/**
 * @codette/client as a web DAW's developer gets it: `npm pack` of shared/client (its prepack builds it), the tarball
 * installed into an empty project, then used from plain Node 20 ESM against a real server, type-checked with Node's
 * module resolution, and bundled to show that an unused part of it is left out.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths';
import { VERSION } from '../../version';
import { startTestServer, type TestServer } from '../../test/helpers';

const clientDir = join(PROJECT_ROOT, 'shared/client');
const project = mkdtempSync(join(tmpdir(), 'codette-client-user-'));
const packs = mkdtempSync(join(tmpdir(), 'codette-client-pack-'));
let server: TestServer;
let tarball = '';
let packedFiles: string[] = [];

function run(file: string, args: string[], cwd: string): string {
  const r = spawnSync(file, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  server = await startTestServer();
  // npm prints the prepack script's banner before the JSON.
  const output = run('npm', ['pack', '--json', '--pack-destination', packs], clientDir);
  const packed = JSON.parse(output.slice(output.search(/^\[/m))) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(packs, packed[0]!.filename);
  packedFiles = packed[0]!.files.map((f) => f.path);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-web-daw', private: true, type: 'module' }));
  // zod comes from this repository's node_modules (the same exact version): the test needs no registry.
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--offline', tarball, join(PROJECT_ROOT, 'node_modules/zod')],
    project,
  );
});
afterAll(() => server?.close());

describe('@codette/client, packed and installed', () => {
  it('is versioned as the server and ships the build, its types and README, not the sources', () => {
    expect(tarball.endsWith(`codette-client-${VERSION}.tgz`)).toBe(true);
    expect(packedFiles).toContain('README.md');
    expect(packedFiles).toContain('dist/esm/client/index.js');
    expect(packedFiles).toContain('dist/esm/client/index.d.ts');
    expect(packedFiles).toContain('dist/browser/codette-client.js');
    expect(packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/@codette/client/package.json'), 'utf8')) as {
      version: string;
      dependencies: Record<string, string>;
      sideEffects: boolean;
    };
    expect(manifest.version).toBe(VERSION);
    expect(Object.keys(manifest.dependencies)).toEqual(['zod']);
    expect(manifest.sideEffects).toBe(false);
  });

  it('works from plain Node 20 ESM: health, transport, streamed chat, an upload, a typed error', async () => {
    writeFileSync(
      join(project, 'use.mjs'),
      `import { createCodetteClient } from '@codette/client';
const client = createCodetteClient({ baseUrl: process.argv[2] });
const health = await client.service.health();
const tempo = await client.transport.tempo(150);
const deltas = [];
const chat = await client.chat.stream({ message: 'how loud for Spotify?' }, { onDelta: (d) => deltas.push(d) });
const progress = [];
const file = await client.files.upload(new Uint8Array(200000).fill(65), { name: 'a.txt', type: 'text/plain', onUploadProgress: (p) => progress.push(p.loaded) });
const refused = await client.sessions.messages('00000000-0000-4000-8000-000000000000');
console.log(JSON.stringify({
  health: health.ok && health.value.status,
  bpm: tempo.ok && tempo.value.state.bpm,
  streamed: chat.ok && deltas.join('') === chat.value.response,
  uploaded: file.ok && file.value.size_bytes,
  progress: progress.at(-1),
  refused: !refused.ok && refused.error.code,
}));
`,
    );
    // Asynchronously: the server runs in this process and must keep answering while the script runs.
    const { stdout } = await promisify(execFile)(process.execPath, ['use.mjs', server.url], { cwd: project });
    const out = JSON.parse(stdout) as unknown;
    expect(out).toEqual({
      health: expect.stringMatching(/healthy|degraded/),
      bpm: 150,
      streamed: true,
      uploaded: 200_000,
      progress: 200_000,
      refused: 'not_found',
    });
  });

  it("type-checks a user's TypeScript with Node's own module resolution", { timeout: 300_000 }, () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { createCodetteClient, type Result } from '@codette/client';
const client = createCodetteClient();
export const bpm: Promise<number | undefined> = client.transport.status().then((r) => (r.ok ? r.value.bpm : undefined));
export const wrong: Result<string> = { ok: false, error: { code: 'local_network_denied', message: '', status: null } };
`,
    );
    writeFileSync(
      join(project, 'bad.ts'),
      `import { createCodetteClient } from '@codette/client';\ncreateCodetteClient().transport.tempo('fast');\n`,
    );
    // One compiler run for both files (it is slow on a busy machine): only bad.ts may be refused.
    const tsc = join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
    ];
    const r = spawnSync(process.execPath, [tsc, ...args, '--lib', 'es2023,dom', 'use.ts', 'bad.ts'], {
      cwd: project,
      encoding: 'utf8',
    });
    const errors = r.stdout.split('\n').filter((line) => /error TS/.test(line));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.ts\(2,39\).*not assignable to parameter of type 'number'/);
  });

  it('is tree-shakeable: a bundle that uses only unwrap leaves zod and the client out', async () => {
    const bundle = async (code: string) => {
      writeFileSync(join(project, 'entry.mjs'), code);
      const out = await build({
        entryPoints: [join(project, 'entry.mjs')],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        absWorkingDir: project,
        logLevel: 'silent',
      });
      return out.outputFiles[0]!.text.length;
    };
    const small = await bundle(`import { unwrap } from '@codette/client';\nconsole.log(unwrap);\n`);
    const whole = await bundle(
      `import { createCodetteClient } from '@codette/client';\nconsole.log(createCodetteClient);\n`,
    );
    expect(small).toBeLessThan(5_000);
    expect(whole).toBeGreaterThan(100_000);
  });
});
