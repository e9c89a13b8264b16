/** Engine errors become StoreErrors that say what to do, and never leak the data directory for a lock. */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../errors';
import { isBusyError, sqliteError } from '../errors';

const err = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const PATH = '/home/someone/.codette/codette.db';

describe('sqlite error mapping', () => {
  it.each([
    ['SQLITE_BUSY', 'locked'],
    ['SQLITE_LOCKED_SHAREDCACHE', 'locked'],
    ['SQLITE_READONLY_DBMOVED', 'read_only'],
    ['EACCES', 'read_only'],
    ['SQLITE_CANTOPEN', 'read_only'],
    ['SQLITE_FULL', 'read_only'],
    ['ENOSPC', 'read_only'],
    ['SQLITE_NOTADB', 'corrupt'],
    ['SQLITE_CORRUPT', 'corrupt'],
    ['SQLITE_CONSTRAINT_FOREIGNKEY', 'invalid'],
    ['SQLITE_IOERR', 'internal'],
  ])('%s -> %s', (code, expected) => {
    const e = sqliteError(err(code), PATH, 'writing');
    expect(e).toBeInstanceOf(StoreError);
    expect(e.code).toBe(expected);
    expect(e.cause).toBeDefined();
  });

  it('names only the file for a lock (the message reaches clients), the full path otherwise', () => {
    const locked = sqliteError(err('SQLITE_BUSY', 'database is locked'), PATH, 'appending a message');
    expect(locked.message).toContain('codette.db');
    expect(locked.message).not.toContain('/home/someone');
    expect(locked.details).toEqual({ sqlite_code: 'SQLITE_BUSY', doing: 'appending a message' });
    expect(sqliteError(err('SQLITE_CORRUPT'), PATH, 'x').message).toContain(PATH);
  });

  it('keeps a StoreError as it is, and reads anything thrown', () => {
    const original = new StoreError('not_found', 'Session s not found.');
    expect(sqliteError(original, PATH, 'x')).toBe(original);
    expect(sqliteError('a string', PATH, 'reading').message).toBe('Database error while reading: a string');
    expect(sqliteError(null, PATH, 'reading').code).toBe('internal');
  });

  it('tells a lock apart from other errors', () => {
    expect(isBusyError(err('SQLITE_BUSY_SNAPSHOT'))).toBe(true);
    expect(isBusyError(err('SQLITE_FULL'))).toBe(false);
    expect(isBusyError(undefined)).toBe(false);
  });
});
