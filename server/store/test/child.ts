import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { CHILD_SCRIPT } from './fixtures';

/** Start the store child process (node --import tsx) and collect its stdout lines. */
export function startChild(
  args: string[],
  options: SpawnOptions = {},
): {
  child: ChildProcess;
  lines: string[];
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, ...args], {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((w) => line.startsWith(w.prefix))) w.resolve(line);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor: (prefix, timeoutMs = 15_000) =>
      new Promise<string>((resolve, reject) => {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found) return resolve(found);
        const t = setTimeout(
          () => reject(new Error(`child did not print "${prefix}" in ${timeoutMs} ms; stderr: ${err}`)),
          timeoutMs,
        );
        waiters.push({ prefix, resolve: (l) => (clearTimeout(t), resolve(l)) });
        void exited.then((code) =>
          setTimeout(() => reject(new Error(`child exited (${code}) before "${prefix}"; stderr: ${err}`)), 50),
        );
      }),
  };
}
