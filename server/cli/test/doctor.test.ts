import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../config';
import { formatChecks, runChecks, type Check } from '../doctor';
import { logs } from '../commands';

const dataDir = () => join(mkdtempSync(join(tmpdir(), 'codette-doctor-')), 'data');
const find = (checks: Check[], label: string) => checks.filter((c) => c.label === label);
const closers: (() => void)[] = [];
afterAll(() => closers.forEach((close) => close()));

/** Something else on a port: a bare TCP listener. */
async function occupiedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  closers.push(() => srv.close());
  return (srv.address() as { port: number }).port;
}

/** An OpenAI-compatible model server answering GET /v1/models, on a free port. */
async function fakeModelServer(): Promise<string> {
  const srv = createHttpServer((req, res) => {
    res.writeHead(req.url === '/v1/models' ? 200 : 404, { 'content-type': 'application/json' }).end('{"data":[]}');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  closers.push(() => srv.close());
  return `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
}

describe('codette doctor', () => {
  it('a fresh machine: Codette can run, the server is not started (a warning with the fix), no failure', async () => {
    const settings = loadSettings({ CODETTE_DATA_DIR: dataDir(), CODETTE_PORT: '0' });
    const checks = await runChecks(settings, [], []);
    expect(find(checks, 'Node.js')[0]!.level).toBe('ok');
    expect(find(checks, 'SQLite module')[0]!.level).toBe('ok');
    expect(find(checks, 'data directory')[0]!.level).toBe('ok');
    expect(find(checks, 'server')[0]).toMatchObject({ level: 'warn', fix: expect.stringContaining('codette') });
    expect(find(checks, 'database')[0]!.detail).toContain('made at the first start');
    expect(find(checks, 'backups')[0]!.level).toBe('warn');
    expect(formatChecks(checks).code).toBe(0);
  });

  it('a port taken by another program and a damaged database are failures that say what to do', async () => {
    const port = await occupiedPort();
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'codette.db'), 'this is not a database at all, just text that happens to be here');
    const checks = await runChecks(loadSettings({ CODETTE_DATA_DIR: dir, CODETTE_PORT: String(port) }), [], []);
    expect(find(checks, 'server')[0]).toMatchObject({
      level: 'fail',
      fix: `start with --port ${port + 1} (and set that port in the extension's options)`,
    });
    expect(find(checks, 'database')[0]).toMatchObject({ level: 'fail', fix: 'restore a backup: codette restore FILE' });
    const out = formatChecks(checks);
    expect(out.code).toBe(1);
    expect(out.lines.at(-1)).toBe('2 problem(s) to fix.');
    expect(out.lines.join('\n')).toContain('✗ server');
  });

  it('finds a local model server and says how to use it; a configured one that is down is a warning', async () => {
    const url = await fakeModelServer();
    const settings = loadSettings({ CODETTE_DATA_DIR: dataDir(), CODETTE_PORT: '0' });
    const found = find(
      await runChecks(
        settings,
        [],
        [
          { name: 'LM Studio', url, api: 'openai' },
          { name: 'Ollama', url: 'http://127.0.0.1:9', api: 'ollama' },
        ],
      ),
      'LLM server',
    );
    expect(found).toEqual([
      {
        level: 'info',
        label: 'LLM server',
        detail: `LM Studio answers at ${url}: set CODETTE_LLM_URL=${url} to let it write the answers`,
      },
    ]);

    const down = loadSettings({
      CODETTE_DATA_DIR: dataDir(),
      CODETTE_PORT: '0',
      CODETTE_LLM_URL: 'http://127.0.0.1:9',
    });
    expect(find(await runChecks(down, [], []), 'LLM server')[0]).toMatchObject({
      level: 'warn',
      fix: 'start it, or unset CODETTE_LLM_URL',
    });
    const up = loadSettings({ CODETTE_DATA_DIR: dataDir(), CODETTE_PORT: '0', CODETTE_LLM_URL: url });
    expect(find(await runChecks(up, [], []), 'LLM server')[0]!.level).toBe('ok');
  });
});

describe('codette logs', () => {
  it('prints the last lines of the log file, and says when there is none yet', async () => {
    const dir = dataDir();
    const settings = loadSettings({ CODETTE_DATA_DIR: dir });
    expect((await logs(settings, 5, false, () => undefined)).code).toBe(1);
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'logs', 'codette.log'), ['{"n":1}', '{"n":2}', '{"n":3}', ''].join('\n'));
    let printed = '';
    expect((await logs(settings, 2, false, (t) => (printed += t))).code).toBe(0);
    expect(printed).toBe('{"n":2}\n{"n":3}\n');
  });
});
