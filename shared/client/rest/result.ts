import type { ErrorCode } from '../../schemas/errors';

/**
 * Every way a call can fail, as a code a program can switch on: the server's own codes (`ErrorCode`), and what only
 * the client can see. `network_error`: no answer (server not running, wrong address). `local_network_denied`: the
 * browser refused this page access to 127.0.0.1 (Chrome's Local Network Access). `invalid_response`: an answer that
 * does not match the contract (a server of another version). `aborted`: the caller's signal. `http_error`: a status
 * without Codette's error body (a proxy in between).
 */
export type ClientErrorCode =
  ErrorCode | 'network_error' | 'local_network_denied' | 'invalid_response' | 'aborted' | 'http_error';

export interface CodetteError {
  code: ClientErrorCode;
  /** A sentence for people: what happened and, where there is one, what to do. */
  message: string;
  /** The HTTP status; null when no answer came (or the client refused the input before sending it). */
  status: number | null;
  /** The server's details (the fields that were refused, the limit that was passed). */
  details?: unknown;
}

/** A call's outcome: the answer, or the reason there is none. Calls never throw for a failed request. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: CodetteError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: CodetteError): Result<T> => ({ ok: false, error });

/** For code that prefers exceptions: the error of a failed result, thrown as an Error carrying it. */
export class CodetteClientError extends Error {
  constructor(readonly error: CodetteError) {
    super(error.message);
    this.name = 'CodetteClientError';
  }
  get code(): ClientErrorCode {
    return this.error.code;
  }
}

/** The value of a result, or a thrown CodetteClientError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new CodetteClientError(result.error);
}
