/**
 * End to end: the real server process (built bundle under node) started on a database file it must not use — newer
 * schema, not a database, damaged pages, truncated, another application's, locked by another process, read-only —
 * exits non-zero with exactly one line on stderr that says what is wrong and what to do, and leaves the file
 * byte-identical; what was stored in it is still there once the cause is removed.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths';
import { SQLITE_SCHEMA_VERSION } from '../../store/sqlite/migrations';
import { buildBundle, freePort, runServer, tempDir } from './server-process';

let bundle: string;
/** A codette.db written by the real server: one session with a question and its answer. */
let seedDb: string;
let seedSession: string;
const QUESTION = 'how do I EQ a snare so it cracks';
const tmp = tempDir('codette-dbfiles-');

/** Holds an exclusive lock with a pending write on the database given as argument until its stdin closes. */
const HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('locking_mode = EXCLUSIVE');
db.exec('BEGIN EXCLUSIVE');
db.prepare("insert into api_metrics (route, method, status, duration_ms) values ('/held', 'GET', 200, 1)").run();
process.stdout.write('held\\n');
process.stdin.resume();
process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
`;

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  bundle = await buildBundle('dbfiles');
  const dataDir = join(tmp, 'seed');
  const s = runServer(bundle, ['--port', '0', '--data-dir', dataDir]);
  const url = await s.ready();
  const res = await fetch(`${url}/codette/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: QUESTION }),
  });
  seedSession = ((await res.json()) as { session_id: string }).session_id;
  expect((await s.kill('SIGTERM')).code).toBe(0);
  seedDb = join(dataDir, 'codette.db');
  // A clean shutdown checkpoints the WAL into the file: the file alone holds everything.
  expect(readdirSync(dataDir).filter((f) => f.startsWith('codette.db'))).toEqual(['codette.db']);
});
afterAll(() => {
  rmSync(bundle, { force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** A data directory whose codette.db is a copy of the seeded one, changed by `prepare`. */
function dataDirWith(name: string, prepare?: (dbPath: string) => void): { dir: string; db: string } {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const db = join(dir, 'codette.db');
  copyFileSync(seedDb, db);
  prepare?.(db);
  return { dir, db };
}

/** Starts the server on `dir`, expects it to refuse; returns its one stderr line. */
async function refused(dir: string, options: { uid?: number; gid?: number } = {}): Promise<string> {
  const s = runServer(bundle, ['--port', String(await freePort()), '--data-dir', dir], {}, options);
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000); // a server that starts anyway fails below, not by timeout
  const { code } = await s.exited;
  clearTimeout(timer);
  const lines = s.stderr().trim().split('\n');
  expect(code, s.stdout() + s.stderr()).toBe(1);
  expect(lines, s.stderr()).toHaveLength(1);
  expect(lines[0]).toMatch(/^codette: /);
  expect(s.stderr()).not.toMatch(/\n\s+at |\.(ts|js|mjs):\d+/); // no stack trace
  expect(s.stdout()).not.toMatch(/listening/);
  return lines[0]!;
}

/** The seeded conversation, read by the real server started on `dir`. */
async function conversationIsThere(dir: string) {
  const s = runServer(bundle, ['--port', '0', '--data-dir', dir]);
  try {
    const url = await s.ready();
    const body = (await (await fetch(`${url}/codette/sessions/${seedSession}/messages`)).json()) as {
      messages: { role: string; content: string }[];
    };
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(body.messages[0]!.content).toBe(QUESTION);
  } finally {
    await s.kill('SIGTERM');
  }
}

describe('the server process on a database it must not use', () => {
  it('a database written by a newer Codette: one line saying to update, file unchanged, data intact afterwards', async () => {
    const { dir, db } = dataDirWith('newer', (p) => {
      const raw = new Database(p);
      raw.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
      raw.close();
    });
    const before = sha(db);
    const line = await refused(dir);
    expect(line).toMatch(new RegExp(`newer Codette \\(schema version ${SQLITE_SCHEMA_VERSION + 1}.*Update Codette`));
    expect(sha(db)).toBe(before);
    const raw = new Database(db);
    raw.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
    raw.close();
    await conversationIsThere(dir);
  });

  it('a file that is not a database: one line saying it is damaged, file unchanged', async () => {
    const { dir, db } = dataDirWith('garbage', (p) =>
      writeFileSync(p, Buffer.from('RIFF....WAVEfmt a mixdown, not a database '.repeat(500))),
    );
    const before = sha(db);
    expect(await refused(dir)).toMatch(/damaged or is not a SQLite database.*left it untouched/);
    expect(sha(db)).toBe(before);
  });

  it('a database with damaged pages: one line, file unchanged', async () => {
    const { dir, db } = dataDirWith('damaged', (p) => {
      const raw = new Database(p);
      const pageSize = raw.pragma('page_size', { simple: true }) as number;
      const pages = raw.pragma('page_count', { simple: true }) as number;
      raw.close();
      const bytes = readFileSync(p);
      for (let page = 1; page < pages; page++) bytes.fill(0xa5, page * pageSize + 8, page * pageSize + 100);
      writeFileSync(p, bytes);
    });
    const before = sha(db);
    expect(await refused(dir)).toMatch(/damaged|integrity check/);
    expect(sha(db)).toBe(before);
  });

  it('a truncated database (half of it lost): one line, file unchanged', async () => {
    const { dir, db } = dataDirWith('truncated', (p) => {
      const bytes = readFileSync(p);
      writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length / 2)));
    });
    const before = sha(db);
    expect(await refused(dir)).toMatch(/damaged|integrity check|malformed/);
    expect(sha(db)).toBe(before);
  });

  it("another application's SQLite database: one line naming it, file unchanged", async () => {
    const dir = join(tmp, 'foreign');
    mkdirSync(dir);
    const db = join(dir, 'codette.db');
    const raw = new Database(db);
    raw.pragma('application_id = 1234');
    raw.exec(
      'create table invoices (id integer primary key, amount real); insert into invoices (amount) values (12.5);',
    );
    raw.close();
    const before = sha(db);
    expect(await refused(dir)).toMatch(/another application \(application_id 1234\)/);
    expect(sha(db)).toBe(before);
  });

  it('a database locked by another process: one line saying so after the busy timeout, file unchanged, data intact once released', async () => {
    const { dir, db } = dataDirWith('locked');
    const before = sha(db);
    // The lock is held by another process, as in life. (Not by this one: closing any descriptor of the file here,
    // as reading it for the hash does, would drop this process's POSIX locks on it.)
    const holder = spawn(process.execPath, ['-e', HOLDER, db], {
      cwd: PROJECT_ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const holderExited = new Promise<number | null>((r) => holder.on('exit', (code) => r(code)));
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (d) => (String(d).includes('held') ? resolve() : undefined));
      holder.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
    });
    const started = Date.now();
    expect(await refused(dir)).toMatch(/locked by another process.*nothing stored was lost/);
    expect(Date.now() - started).toBeLessThan(12_000);
    holder.stdin!.end(); // the holder rolls back and exits
    expect(await holderExited).toBe(0);
    expect(sha(db)).toBe(before);
    await conversationIsThere(dir);
  }, 30_000);

  it('a read-only database (server run as the unprivileged user "nobody"): one line saying to give write access, file unchanged', async () => {
    // Tests run as root, for whom permissions change nothing; the server runs as uid/gid 65534 instead. The folder is
    // writable (the data directory check passes), the file is root's with mode 0444.
    const { dir, db } = dataDirWith('readonly', (p) => {
      const raw = new Database(p);
      raw.pragma('journal_mode = DELETE');
      raw.close();
    });
    chmodSync(tmp, 0o755);
    chmodSync(dir, 0o777);
    chmodSync(db, 0o444);
    const before = sha(db);
    expect(await refused(dir, { uid: 65534, gid: 65534 })).toMatch(/Give Codette write access/);
    expect(sha(db)).toBe(before);
    chmodSync(db, 0o644);
    await conversationIsThere(dir);
  }, 30_000);
});
