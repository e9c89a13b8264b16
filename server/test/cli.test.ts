import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestSocket } from './helpers';
import { PROJECT_ROOT } from '../paths';

const BUNDLE = join(PROJECT_ROOT, '.output/server/cli.mjs');

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the server the way `npm start` does: the built bundle under plain node. */
function run(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: mkdtempSync(join(tmpdir(), 'codette-home-')),
      CODETTE_LOG_LEVEL: 'warn',
      ...env,
    },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForOutput(s: Started, pattern: RegExp, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(s.stdout())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in output: ${s.stdout()} ${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(() => {
  execFileSync(process.execPath, ['server/scripts/build.mjs'], { cwd: PROJECT_ROOT });
});

describe('npm start', () => {
  it('prints the URL, the data directory and the database kind', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'codette-data-'));
    const s = run(['--port', String(port), '--data-dir', dataDir]);
    await waitForOutput(s, /database/);
    expect(s.stdout()).toContain(`http://127.0.0.1:${port}`);
    expect(s.stdout()).toContain(dataDir);
    // The bundle finds the knowledge data files as the sources do.
    const db = (await (await fetch(`http://127.0.0.1:${port}/api/diagnostics/database`)).json()) as {
      tables: { table: string; rows: number }[];
    };
    expect(db.tables.find((t) => t.table === 'music_knowledge')!.rows).toBeGreaterThanOrEqual(300);
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  });

  it('is quiet by default: one line on the console, the requests in the log file; --log-level info prints them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'codette-data-'));
    const port = await freePort();
    const quiet = run(['--port', String(port), '--data-dir', dataDir], { CODETTE_LOG_LEVEL: '' });
    await waitForOutput(quiet, /database/);
    for (let i = 0; i < 3; i++) expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    quiet.child.kill('SIGTERM');
    expect((await quiet.exited).code).toBe(0);
    expect(quiet.stdout().trim().split('\n')).toHaveLength(1);
    expect(quiet.stdout()).toContain(join(dataDir, 'logs', 'codette.log'));
    const logged = readFileSync(join(dataDir, 'logs', 'codette.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; route?: string });
    expect(logged.filter((r) => r.msg === 'request' && r.route === '/health')).toHaveLength(3);
    expect(logged.map((r) => r.msg)).toContain('stopped');

    const loud = run(['--port', String(port), '--data-dir', dataDir, '--log-level', 'info'], { CODETTE_LOG_LEVEL: '' });
    await waitForOutput(loud, /database/);
    await fetch(`http://127.0.0.1:${port}/health`);
    await waitForOutput(loud, /"msg":"request"/);
    loud.child.kill('SIGTERM');
    expect((await loud.exited).code).toBe(0);
  });

  it('says the port is in use in one line and exits non-zero', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const s = run(['--port', String(port)]);
    const { code } = await s.exited;
    blocker.close();
    expect(code).toBe(1);
    expect(s.stderr().trim().split('\n')).toHaveLength(1);
    expect(s.stderr()).toMatch(/already in use.*--port/);
  });

  it('refuses a data directory it cannot write, saying how to choose another', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'codette-file-')), 'not-a-dir');
    writeFileSync(file, 'x');
    const s = run(['--port', '0', '--data-dir', join(file, 'data')]);
    expect((await s.exited).code).toBe(1);
    expect(s.stderr()).toMatch(/Cannot use the data directory .* --data-dir/);
  });

  it('names a bad setting and exits non-zero', async () => {
    const s = run([], { CODETTE_PORT: 'eighty' });
    expect((await s.exited).code).toBe(1);
    expect(s.stderr()).toContain('CODETTE_PORT');
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it('keeps what it acknowledged when killed with SIGKILL right after', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'codette-data-'));
    const first = run(['--port', String(port), '--data-dir', dataDir]);
    await waitForOutput(first, /database/);
    const base = `http://127.0.0.1:${port}`;
    const upload = await fetch(`${base}/codette/files?name=note.txt`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'bridge idea: drop the drums',
    });
    const record = (await upload.json()) as { id: string };
    const socket = await TestSocket.open(base);
    socket.send({ type: 'transport', id: 'before-kill', command: { action: 'tempo', bpm: 133 } });
    expect(await socket.next('ack', (m) => m.id === 'before-kill')).toMatchObject({ duplicate: false });
    first.child.kill('SIGKILL');
    await first.exited;

    const second = run(['--port', String(port), '--data-dir', dataDir]);
    await waitForOutput(second, /database/);
    const files = (await (await fetch(`${base}/codette/files`)).json()) as { files: { id: string }[] };
    expect(files.files.map((f) => f.id)).toContain(record.id);
    const again = await TestSocket.open(base);
    again.send({ type: 'transport', id: 'before-kill', command: { action: 'tempo', bpm: 133 } });
    expect(await again.next('ack', (m) => m.id === 'before-kill')).toMatchObject({ duplicate: true });
    again.close();
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} closes WebSockets with 1001 and exits 0 within 5 s`, async () => {
      const port = await freePort();
      const s = run(['--port', String(port), '--data-dir', mkdtempSync(join(tmpdir(), 'codette-data-'))]);
      await waitForOutput(s, /database/);
      const socket = await TestSocket.open(`http://127.0.0.1:${port}`);
      await socket.next('hello');
      const started = Date.now();
      s.child.kill(signal);
      const [{ code }, closed] = await Promise.all([s.exited, socket.closed]);
      expect(closed.code).toBe(1001);
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  }
});
