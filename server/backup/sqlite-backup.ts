/**
 * Backups of the embedded database with SQLite's online backup API (better-sqlite3's `db.backup()`), never a file
 * copy: a copy of `codette.db` taken while the server writes can miss what sits in the WAL or catch a page half
 * written. The backup reads through its own read-only connection and copies every page in one step, so the file
 * is the database as one transaction saw it, taken after the call began: every write acknowledged before it is in.
 * Writers are not blocked (WAL: readers and the writer do not wait for each other).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupInfo } from '../../shared/schemas/backup';
import { SQLITE_FILE_NAME } from '../store/open';
import { SQLITE_APPLICATION_ID, SQLITE_SCHEMA_VERSION } from '../store/sqlite/migrations';

export const BACKUP_DIR_NAME = 'backups';
/** How many backups retention keeps: the newest of each of the last 7 days, and of each of the last 4 weeks. */
export const RETENTION = { daily: 7, weekly: 4 } as const;

const AUTOMATIC = /^codette-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.db$/;
const ALL_PAGES = 0x7fffffff;

/** A backup or restore that cannot be done; the message says why and what to do. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export const backupDir = (dataDir: string) => join(dataDir, BACKUP_DIR_NAME);
export const databasePath = (dataDir: string) => join(dataDir, SQLITE_FILE_NAME);

const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, '-');

function timeOfName(name: string): Date | null {
  const m = AUTOMATIC.exec(name);
  return m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : null;
}

/** Copies the live database at `source` into `target` through the backup API, all pages in one step. */
async function copyDatabase(source: string, target: string): Promise<void> {
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  // The copy carries the source's WAL flag: a backup is one self-contained file, whoever opens it later.
  const copy = new Database(partial);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  renameSync(partial, target); // a reader of the folder never sees half a backup under a real name
}

/** Takes a backup of `<dataDir>/codette.db` into `<dataDir>/backups/codette-<time>.db`. */
export async function createBackup(dataDir: string, now = new Date()): Promise<BackupInfo> {
  const source = databasePath(dataDir);
  if (!existsSync(source))
    throw new BackupError(
      `There is no database to back up at ${source} (Codette has not run with this data directory yet).`,
    );
  const dir = backupDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `codette-${stamp(now)}.db`);
  try {
    await copyDatabase(source, file);
  } catch (error) {
    throw new BackupError(
      `The backup of ${source} failed: ${(error as Error).message}. Nothing was changed; check the free space in ${dir}.`,
    );
  }
  return { file, created_at: now.toISOString(), bytes: statSync(file).size };
}

/** The automatic and on-demand backups in the folder, newest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupDir(dataDir);
  if (!existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of readdirSync(dir)) {
    const at = timeOfName(name);
    if (!at) continue;
    const file = join(dir, name);
    out.push({ file, created_at: at.toISOString(), bytes: statSync(file).size });
  }
  return out.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
}

/** Monday-based week number since the epoch (1970-01-01 was a Thursday). */
const weekOf = (iso: string) => Math.floor((Date.parse(iso.slice(0, 10)) / 86_400_000 + 3) / 7);

/**
 * Which backups retention keeps (newest first in, a subset out): the newest backup of each of the `daily` most recent
 * days that have one, and the newest of each of the `weekly` most recent weeks that have one.
 */
export function backupsToKeep(
  backups: readonly BackupInfo[],
  policy: { daily: number; weekly: number } = RETENTION,
): Set<string> {
  const keep = new Set<string>();
  const days = new Set<string>();
  const weeks = new Set<number>();
  for (const b of backups) {
    const day = b.created_at.slice(0, 10);
    if (!days.has(day) && days.size < policy.daily) {
      days.add(day);
      keep.add(b.file);
    }
    const week = weekOf(b.created_at);
    if (!weeks.has(week) && weeks.size < policy.weekly) {
      weeks.add(week);
      keep.add(b.file);
    }
  }
  return keep;
}

/** Deletes the backups retention does not keep; returns the files deleted. */
export function pruneBackups(dataDir: string, policy: { daily: number; weekly: number } = RETENTION): string[] {
  const all = listBackups(dataDir);
  const keep = backupsToKeep(all, policy);
  const removed = all.filter((b) => !keep.has(b.file)).map((b) => b.file);
  for (const file of removed) rmSync(file, { force: true });
  return removed;
}

export interface RestoreResult {
  restored: string;
  /** Where the database that was in place went (null when there was none). */
  previous: string | null;
  schema_version: number;
}

/** Checks that `file` is a Codette database this version can open: not another app's, not newer, not damaged. */
function checkRestorable(file: string): number {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist.`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${file} cannot be opened as a database: ${(error as Error).message}.`);
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== SQLITE_APPLICATION_ID)
      throw new BackupError(`${file} is not a Codette database (application_id ${appId}). Nothing was changed.`);
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new BackupError(
        `${file} was written by a newer Codette (schema version ${version}; this one knows up to ${SQLITE_SCHEMA_VERSION}). Update Codette first. Nothing was changed.`,
      );
    }
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok')
      throw new BackupError(`${file} is damaged (${check}). Choose another backup. Nothing was changed.`);
    return version;
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      `${file} is not a readable SQLite database (${(error as Error).message}). Nothing was changed.`,
    );
  } finally {
    db.close();
  }
}

/**
 * Puts the database in `file` in place of `<dataDir>/codette.db`. The server must not be running on this data
 * directory (the caller checks). The current database is first backed up (backup API) to
 * `backups/pre-restore-<time>.db`, which retention never deletes.
 */
export async function restoreBackup(dataDir: string, file: string, now = new Date()): Promise<RestoreResult> {
  const version = checkRestorable(file);
  const target = databasePath(dataDir);
  let previous: string | null = null;
  if (existsSync(target)) {
    mkdirSync(backupDir(dataDir), { recursive: true });
    previous = join(backupDir(dataDir), `pre-restore-${stamp(now)}.db`);
    await copyDatabase(target, previous);
  }
  // The backup copies whole pages into a fresh file; the old WAL and shared memory must not be replayed over it.
  const staged = `${target}.restoring`;
  await copyDatabase(file, staged);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staged, target);
  return { restored: file, previous, schema_version: version };
}
