/**
 * The real server as a separate process, the way `npm start` runs it: the esbuild bundle under plain node. Each test
 * file builds its own copy of the bundle (same options as server/scripts/build.mjs) into `.output/test-bundles/`, so
 * that files running in parallel never read a bundle another one is rewriting.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../paths';

export async function buildBundle(tag: string): Promise<string> {
  const dir = join(PROJECT_ROOT, '.output', 'test-bundles');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `cli-${tag}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(PROJECT_ROOT, 'server/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the URL once the server printed that it listens. */
  ready(timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runServer(
  bundle: string,
  args: string[],
  env: Record<string, string> = {},
  options: Pick<SpawnOptions, 'uid' | 'gid'> = {},
): ServerProcess {
  const child = spawn(process.execPath, [bundle, ...args], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: mkdtempSync(join(tmpdir(), 'codette-home-')),
      CODETTE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async ready(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (m) return m[1]!;
        if (done) throw new Error(`server exited before listening: ${out}${err}`);
        if (Date.now() > deadline) throw new Error(`server did not listen within ${timeoutMs} ms: ${out}${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async kill(signal) {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
