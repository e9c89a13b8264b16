/**
 * Typed persistence errors: each carries a code and a message that says what to do. What a code means over HTTP is
 * server/http/errors.ts's business, not the store's.
 */
export type StoreErrorCode =
  | 'newer_schema' // the database was written by a newer Codette
  | 'locked' // another process holds the database
  | 'read_only' // the file or its folder cannot be written
  | 'corrupt' // not a database, or damaged pages
  | 'unreachable' // Supabase (or the network) does not answer
  | 'misconfigured' // settings are missing or contradict each other
  | 'unauthorized' // no or bad credentials
  | 'forbidden' // credentials fine, but not allowed (RLS, grants)
  | 'not_found'
  | 'invalid'
  | 'conflict'
  | 'internal';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
