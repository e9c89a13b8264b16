import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { BackupInfo } from '../../../shared/schemas/backup';
import { openSqliteStore } from '../../store/sqlite/store';
import { LOCAL_USER_ID } from '../../users';
import { fixtureKnowledge } from '../../store/test/fixtures';
import {
  BackupError,
  backupDir,
  backupsToKeep,
  createBackup,
  databasePath,
  listBackups,
  pruneBackups,
  restoreBackup,
} from '../sqlite-backup';

const freshDir = () => mkdtempSync(join(tmpdir(), 'codette-backup-'));
const open = (dataDir: string) =>
  openSqliteStore({ path: databasePath(dataDir), knowledge: fixtureKnowledge(), metrics: { flushEveryMs: 60_000 } });

function messageIds(file: string): Set<string> {
  const db = new Database(file, { readonly: true });
  try {
    return new Set((db.prepare('select id from messages').all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
}

describe('online backup of the embedded database', () => {
  it('holds every row acknowledged before it began while 50 writers keep writing', async () => {
    const dir = freshDir();
    const store = await open(dir);
    const session = await store.createSession(LOCAL_USER_ID, { title: 'busy' });
    // Enough pages that the copy is not instantaneous next to the writes.
    for (let i = 0; i < 20; i++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, w) =>
          store.appendMessage(LOCAL_USER_ID, {
            session_id: session.id,
            role: 'user',
            content: `seed ${i}/${w} ${'x'.repeat(400)}`,
          }),
        ),
      );
    }
    const acknowledged: string[] = [];
    let writing = true;
    const writers = Array.from({ length: 50 }, async (_, w) => {
      for (let i = 0; writing && i < 400; i++) {
        const { message } = await store.appendMessage(LOCAL_USER_ID, {
          session_id: session.id,
          role: 'user',
          content: `w${w} m${i}`,
        });
        acknowledged.push(message.id);
      }
    });
    await new Promise((r) => setTimeout(r, 50));
    const ackedBefore = [...acknowledged];
    expect(ackedBefore.length).toBeGreaterThan(50);
    const info = await createBackup(dir);
    writing = false;
    await Promise.all(writers);
    await store.close();

    const inBackup = messageIds(info.file);
    expect(ackedBefore.filter((id) => !inBackup.has(id))).toEqual([]);
    const db = new Database(info.file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // The backup is one file in rollback-journal mode: opening it left no -wal beside it, and no partial file.
    expect(readdirSync(backupDir(dir))).toEqual([info.file.split('/').pop()]);
    expect(listBackups(dir)).toEqual([info]);
  });

  it('restores a backup: the data of that moment comes back, the replaced database is kept aside', async () => {
    const dir = freshDir();
    let store = await open(dir);
    const s = await store.createSession(LOCAL_USER_ID, { title: 'before backup' });
    await store.appendMessage(LOCAL_USER_ID, { session_id: s.id, role: 'user', content: 'kept' });
    const info = await createBackup(dir);
    const later = await store.createSession(LOCAL_USER_ID, { title: 'after backup' });
    await store.close();

    const result = await restoreBackup(dir, info.file);
    expect(result.previous).toMatch(/pre-restore-.*\.db$/);
    store = await open(dir);
    expect((await store.listSessions(LOCAL_USER_ID)).map((x) => x.title)).toEqual(['before backup']);
    expect((await store.listMessages(LOCAL_USER_ID, s.id)).map((m) => m.content)).toEqual(['kept']);
    await store.close();

    // The database that was replaced, with the session made after the backup, is still there to go back to.
    const aside = new Database(result.previous!, { readonly: true });
    expect(aside.prepare('select title from chat_sessions where id = ?').get(later.id)).toEqual({
      title: 'after backup',
    });
    aside.close();
    // Retention never deletes the kept-aside file.
    expect(pruneBackups(dir, { daily: 0, weekly: 0 })).toEqual([info.file]);
    expect(existsSync(result.previous!)).toBe(true);
  });

  it('refuses a backup written by a newer schema, a foreign file and a damaged one, and changes nothing', async () => {
    const dir = freshDir();
    const store = await open(dir);
    await store.createSession(LOCAL_USER_ID, { title: 'current' });
    const info = await createBackup(dir);
    await store.close();
    const before = messageIds(databasePath(dir));
    const sessionsOf = () => {
      const db = new Database(databasePath(dir), { readonly: true });
      const titles = (db.prepare('select title from chat_sessions').all() as { title: string }[]).map((r) => r.title);
      db.close();
      return titles;
    };

    const newer = join(dir, 'newer.db');
    copyFileSync(info.file, newer);
    const db = new Database(newer);
    db.pragma('user_version = 99');
    db.close();
    await expect(restoreBackup(dir, newer)).rejects.toThrow(/newer Codette \(schema version 99/);

    const foreign = join(dir, 'foreign.db');
    new Database(foreign).exec('create table t (x)');
    await expect(restoreBackup(dir, foreign)).rejects.toThrow(/not a Codette database/);

    const damaged = join(dir, 'damaged.db');
    writeFileSync(damaged, 'SQLite format 3\0 but not really a database at all, cut short');
    await expect(restoreBackup(dir, damaged)).rejects.toBeInstanceOf(BackupError);
    await expect(restoreBackup(dir, join(dir, 'missing.db'))).rejects.toThrow(/does not exist/);

    expect(sessionsOf()).toEqual(['current']);
    expect(messageIds(databasePath(dir))).toEqual(before);
    expect(readdirSync(backupDir(dir)).filter((n) => n.startsWith('pre-restore'))).toEqual([]);
  });

  it('refuses to back up a data directory without a database', async () => {
    await expect(createBackup(freshDir())).rejects.toThrow(/no database to back up/);
  });
});

describe('retention: 7 daily, 4 weekly', () => {
  const at = (iso: string): BackupInfo => ({ file: `/b/${iso}`, created_at: iso, bytes: 1 });

  it('keeps the newest of each of the last 7 days and of each of the last 4 weeks', () => {
    // 60 days of backups, three a day, newest first; 2026-12-07 is a Monday.
    const list: BackupInfo[] = [];
    for (let d = 0; d < 60; d++) {
      for (const hour of ['20', '12', '03'])
        list.push(at(new Date(Date.parse(`2026-12-07T${hour}:00:00.000Z`) - d * 86_400_000).toISOString()));
    }
    const kept = [...backupsToKeep(list)].sort().reverse();
    expect(kept).toEqual([
      // the last 7 days, the newest of each (2026-12-07 also stands for its week, 12-06 for the week before)
      '/b/2026-12-07T20:00:00.000Z',
      '/b/2026-12-06T20:00:00.000Z',
      '/b/2026-12-05T20:00:00.000Z',
      '/b/2026-12-04T20:00:00.000Z',
      '/b/2026-12-03T20:00:00.000Z',
      '/b/2026-12-02T20:00:00.000Z',
      '/b/2026-12-01T20:00:00.000Z',
      // the newest of the two weeks before those (Sundays)
      '/b/2026-11-29T20:00:00.000Z',
      '/b/2026-11-22T20:00:00.000Z',
    ]);
  });

  it('deletes what retention does not keep from the folder, and only backups', () => {
    const dir = freshDir();
    mkdirSync(backupDir(dir), { recursive: true });
    const names: string[] = [];
    for (let d = 0; d < 40; d++) {
      const name = `codette-${new Date(Date.parse('2026-12-07T10:00:00.000Z') - d * 86_400_000).toISOString().replace(/[:.]/g, '-')}.db`;
      writeFileSync(join(backupDir(dir), name), 'x');
      names.push(name);
    }
    writeFileSync(join(backupDir(dir), 'notes.txt'), 'mine');
    const removed = pruneBackups(dir);
    expect(removed).toHaveLength(40 - 9);
    const left = readdirSync(backupDir(dir)).sort();
    expect(left).toContain('notes.txt');
    expect(left.filter((n) => n.startsWith('codette-'))).toHaveLength(9);
    expect(left).toContain(names[0]);
    expect(listBackups(dir)[0]!.created_at).toBe('2026-12-07T10:00:00.000Z');
  });
});
