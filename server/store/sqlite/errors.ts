import { basename } from 'node:path';
import { StoreError } from '../errors';

/** What better-sqlite3 and node:fs errors carry: a code (SQLITE_BUSY, EACCES, ...) and a message. */
interface SqliteErrorLike {
  code?: unknown;
  message?: unknown;
}

const codeOf = (e: unknown): string => {
  const code = (e as SqliteErrorLike | null)?.code;
  return typeof code === 'string' ? code : '';
};

const isBusyCode = (code: string) => code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');

/** Another connection holds the lock: worth waiting for, not a failure of the write itself. */
export const isBusyError = (e: unknown): boolean => isBusyCode(codeOf(e));

/** Map a better-sqlite3 / fs error to a StoreError whose message says what to do. */
export function sqliteError(e: unknown, path: string, doing: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = codeOf(e);
  const message = (e as SqliteErrorLike | null)?.message;
  const msg = typeof message === 'string' ? message : String(e);
  const details = { path, sqlite_code: code || undefined, doing };
  const because = { cause: e };
  if (isBusyCode(code)) {
    // Sent to clients: the file's name, not where it is on this machine.
    return new StoreError(
      'locked',
      `The database (${basename(path)} in Codette's data directory) is locked by another process (${msg}). Close the ` +
        'other Codette server or tool using this file and try again; nothing stored was lost.',
      { sqlite_code: code || undefined, doing },
      because,
    );
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code === 'EACCES' ||
    code === 'EROFS' ||
    code === 'EPERM' ||
    code.startsWith('SQLITE_CANTOPEN')
  ) {
    return new StoreError(
      'read_only',
      `Cannot write the database ${path} (${msg}). Give Codette write access to the file and its folder ` +
        '(or point CODETTE_DATA_DIR at a writable folder); nothing stored was changed.',
      details,
      because,
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(
      'corrupt',
      `The database ${path} is damaged or is not a SQLite database (${msg}). Codette left it untouched: move ` +
        'it aside (keep a copy) to start with a fresh one, or restore it from a backup.',
      details,
      because,
    );
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StoreError(
      'read_only',
      `The disk holding ${path} is full (${msg}). Free some space and retry.`,
      details,
      because,
    );
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new StoreError('invalid', `A value was refused by the database while ${doing}: ${msg}`, details, because);
  }
  return new StoreError('internal', `Database error while ${doing}: ${msg}`, details, because);
}
