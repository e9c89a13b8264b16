import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors';
import { sqliteError } from './errors';
import { SQLITE_APPLICATION_ID, SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './migrations';

/**
 * Opens the database file (creating its folder) and checks it before anything is written: a file of a newer Codette
 * or of another application, a file that cannot switch to WAL, a damaged file each fail here with a StoreError that
 * says what to do, and the file is left as it was. Returns the connection and the schema version it carries.
 */
export function openConnection(
  path: string,
  options: { busyTimeoutMs: number; synchronous: 'NORMAL' | 'FULL' },
): { db: Database.Database; version: number } {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw sqliteError(e, path, 'creating the data folder');
  }
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs });
  } catch (e) {
    throw sqliteError(e, path, 'opening the database');
  }
  try {
    return { db, version: checkConnection(db, path, options.synchronous) };
  } catch (e) {
    closeQuietly(db);
    throw sqliteError(e, path, 'opening the database');
  }
}

/** Applies the migrations newer than `found`, each in its own BEGIN IMMEDIATE transaction. */
export function migrate(db: Database.Database, found: number): void {
  for (const m of SQLITE_MIGRATIONS) {
    if (m.version <= found) continue;
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now >= m.version) return; // another process migrated meanwhile
      db.exec(m.sql);
      db.pragma(`application_id = ${SQLITE_APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

export function closeQuietly(db: Database.Database): void {
  try {
    db.close();
  } catch {
    /* already failing */
  }
}

function checkConnection(db: Database.Database, path: string, synchronous: 'NORMAL' | 'FULL'): number {
  // Order matters: the first statement that reads the file tells a corrupt or foreign file apart.
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new StoreError(
      'newer_schema',
      `The database ${path} was written by a newer Codette (schema version ${version}; this one knows up to ` +
        `${SQLITE_SCHEMA_VERSION}). Update Codette, or point CODETTE_DATA_DIR at another folder. The file was not changed.`,
      { path, found_version: version, supported_version: SQLITE_SCHEMA_VERSION },
    );
  }
  if (appId !== 0 && appId !== SQLITE_APPLICATION_ID) {
    throw new StoreError(
      'corrupt',
      `${path} is a SQLite database of another application (application_id ${appId}), not Codette's. ` +
        'Point CODETTE_DATA_DIR at another folder; the file was not changed.',
      { path, application_id: appId },
    );
  }
  const journal = db.pragma('journal_mode = WAL', { simple: true });
  if (journal !== 'wal') {
    throw new StoreError(
      'read_only',
      `Cannot switch ${path} to WAL mode (got ${String(journal)}): the file or its folder is not writable.`,
      { path },
    );
  }
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') {
    throw new StoreError(
      'corrupt',
      `The database ${path} failed its integrity check (${String(check)}). Codette left it untouched: move it ` +
        'aside (keep a copy) to start fresh, or restore a backup.',
      { path },
    );
  }
  return version;
}
