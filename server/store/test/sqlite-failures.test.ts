/**
 * The embedded database refuses what it must not touch, with a clear typed error, and loses nothing stored:
 * a newer schema, a corrupt file, a lock held by another connection, a read-only file.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../errors';
import { SQLITE_SCHEMA_VERSION } from '../sqlite/migrations';
import { openSqliteStore } from '../sqlite/store';
import { startChild } from './child';

const tmp = mkdtempSync(join(tmpdir(), 'codette-fail-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function openError(path: string, busyTimeoutMs = 100): Promise<StoreError> {
  const e = await openSqliteStore({ path, busyTimeoutMs }).then(
    async (s) => {
      await s.close();
      return null;
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StoreError);
  return e as StoreError;
}

/** A closed database with one session and one message; returns their ids. */
async function seeded(path: string): Promise<{ sessionId: string; messageId: string }> {
  const store = await openSqliteStore({ path });
  const s = await store.createSession('local', { title: 'keep me' });
  const { message } = await store.appendMessage('local', { session_id: s.id, role: 'user', content: 'do not lose me' });
  await store.close();
  return { sessionId: s.id, messageId: message.id };
}

async function stillThere(path: string, ids: { sessionId: string; messageId: string }): Promise<void> {
  const store = await openSqliteStore({ path });
  expect((await store.listMessages('local', ids.sessionId)).map((m) => m.id)).toEqual([ids.messageId]);
  await store.close();
}

describe('embedded store failures', () => {
  it('refuses a database written by a newer version, and leaves it unchanged', async () => {
    const path = join(tmp, 'newer.db');
    const ids = await seeded(path);
    const raw = new Database(path);
    raw.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    raw.close();
    const before = sha(path);
    const e = await openError(path);
    expect(e.code).toBe('newer_schema');
    expect(e.message).toMatch(new RegExp(`schema version ${SQLITE_SCHEMA_VERSION + 1}.*Update Codette`));
    expect(sha(path)).toBe(before);
    const again = new Database(path);
    again.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
    again.close();
    await stillThere(path, ids);
  });

  it('says a file that is not a database is corrupt, and does not overwrite it', async () => {
    const path = join(tmp, 'garbage.db');
    writeFileSync(path, Buffer.from('this is a mixdown, not a database '.repeat(300)));
    const before = sha(path);
    const e = await openError(path);
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/left it untouched/);
    expect(sha(path)).toBe(before);
  });

  it('says a database with damaged pages is corrupt, and does not overwrite it', async () => {
    const path = join(tmp, 'damaged.db');
    await seeded(path);
    const raw = new Database(path);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    const pages = raw.pragma('page_count', { simple: true }) as number;
    raw.close();
    const bytes = readFileSync(path);
    for (let p = 1; p < pages; p++) bytes.fill(0xa5, p * pageSize + 8, p * pageSize + 100); // keep page 1's header
    writeFileSync(path, bytes);
    const before = sha(path);
    const e = await openError(path);
    expect(e.code).toBe('corrupt');
    expect(sha(path)).toBe(before);
  });

  it('says the database is locked while another connection holds an exclusive lock, then works', async () => {
    const path = join(tmp, 'locked.db');
    const ids = await seeded(path);
    const holder = new Database(path);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    holder.prepare(`insert into api_metrics (route, method, status, duration_ms) values ('/x', 'GET', 200, 1)`).run();
    const e = await openError(path, 150);
    expect(e.code).toBe('locked');
    expect(e.message).toMatch(/locked by another process.*nothing stored was lost/);
    holder.exec('COMMIT');
    holder.close();
    await stillThere(path, ids);
  });

  it("a write that meets another writer's lock fails as locked after busy_timeout, and the store carries on", async () => {
    const path = join(tmp, 'busy.db');
    const ids = await seeded(path);
    const store = await openSqliteStore({ path, busyTimeoutMs: 150 });
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    const e = await store
      .appendMessage('local', { session_id: ids.sessionId, role: 'user', content: 'blocked' })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).code).toBe('locked');
    expect(await store.listMessages('local', ids.sessionId)).toHaveLength(1); // reads still work (WAL)
    holder.exec('ROLLBACK');
    holder.close();
    await store.appendMessage('local', { session_id: ids.sessionId, role: 'user', content: 'after' });
    expect(await store.listMessages('local', ids.sessionId)).toHaveLength(2);
    await store.close();
  });

  it('says a read-only database is read-only, and loses nothing (child process as the unprivileged user "nobody")', async () => {
    // Tests run as root, for whom chmod alone changes nothing. So the file and its folder belong to root with
    // mode 0444 / 0755, and the store is opened by a child process running as uid/gid 65534 (nobody).
    const dir = join(tmp, 'ro');
    mkdirSync(dir);
    const path = join(dir, 'codette.db');
    const ids = await seeded(path);
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE'); // no -wal/-shm left beside it
    raw.close();
    chmodSync(path, 0o444);
    chmodSync(dir, 0o755);
    chmodSync(tmp, 0o755);
    const before = sha(path);
    const run = startChild(['open', path], { uid: 65534, gid: 65534, env: { ...process.env, HOME: tmp } });
    const line = await run.waitFor('{', 20_000);
    const result = JSON.parse(line) as { code: string; message: string };
    expect(result.code).toBe('read_only');
    expect(result.message).toMatch(/Give Codette write access/);
    expect(sha(path)).toBe(before);
    chmodSync(path, 0o644);
    await stillThere(path, ids);
  });

  it("a fresh database in a new folder is created, migrated and marked as Codette's", async () => {
    const path = join(tmp, 'nested', 'deeper', 'codette.db');
    const store = await openSqliteStore({ path });
    expect(store.schemaVersion()).toBe(SQLITE_SCHEMA_VERSION);
    await store.close();
    const copy = join(tmp, 'copy.db');
    copyFileSync(path, copy);
    const raw = new Database(copy);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });
});
