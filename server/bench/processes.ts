import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

export interface Child {
  process: ChildProcess;
  url: string;
  rssMb(): number;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Resident memory of a process, from /proc (Linux), in MB. */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return line ? Number(line[1]) / 1024 : NaN;
}

/** utime + stime of a process, from /proc/<pid>/stat (Linux), in seconds. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startChild(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  toUrl: (m: RegExpMatchArray) => string,
): Promise<Child> {
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve(toUrl(m));
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
  return {
    process: child,
    url,
    rssMb: () => rssOf(child.pid!),
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function startBare(): Promise<Child> {
  return startChild(['server/bench/bare-server.mjs'], {}, /listening (\d+)/, (m) => `http://127.0.0.1:${m[1]}`);
}

/**
 * The real server, as `npm start` runs it (the built bundle, or another one for an A/B), with request logs and the rate
 * limit off; `nodeFlags` (e.g. --cpu-prof) go before the bundle.
 */
export function startCodette(
  extraEnv: Record<string, string> = {},
  nodeFlags: string[] = [],
  bundle = '.output/server/cli.mjs',
): Promise<Child> {
  return startChild(
    // The same flags as `npm start`: a 4 MB young generation keeps the resident memory of a companion app low.
    [
      ...nodeFlags,
      '--max-semi-space-size=4',
      bundle,
      '--port',
      '0',
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'codette-bench-')),
    ],
    { CODETTE_LOG_LEVEL: 'warn', CODETTE_RATE_LIMIT: '0', HOME: tmpdir(), ...extraEnv },
    /listening on (http:\/\/[\d.]+:\d+)/,
    (m) => m[1]!,
  );
}
