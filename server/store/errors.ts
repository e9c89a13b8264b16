/** Typed persistence errors: each carries a code the routes can map and a message that says what to do. */
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

  /** HTTP status a route should answer with. */
  get status(): number {
    switch (this.code) {
      case 'not_found':
        return 404;
      case 'invalid':
        return 400;
      case 'conflict':
        return 409;
      case 'unauthorized':
        return 401;
      case 'forbidden':
        return 403;
      case 'locked':
      case 'unreachable':
        return 503;
      default:
        return 500;
    }
  }

  /** The wire shape of AGENTS.md: `{ error: { code, message, details? } }`. Never a stack trace. */
  toJSON(): { error: { code: StoreErrorCode; message: string; details?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
