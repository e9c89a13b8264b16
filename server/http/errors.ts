import { HTTPError } from 'h3';
import { StoreError } from '../store/errors';
import { AuthError } from '../store/auth';
import type { ErrorBody, ErrorCode } from '../../shared/schemas/errors';

/** An error meant for the client: its status, a stable code, a message that says what to do, and details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Any thrown value to an ApiError; what the server did not mean to say becomes a generic 500 (logged, never sent). */
export function toApiError(error: unknown): { api: ApiError; unexpected: boolean } {
  const cause = error instanceof HTTPError ? error.cause : undefined;
  const thrown = cause ?? error;
  if (thrown instanceof ApiError) return { api: thrown, unexpected: false };
  // Store and auth errors are written for people (what failed, what to do) and carry their own status.
  if (thrown instanceof StoreError)
    return {
      api: new ApiError(thrown.status, thrown.code, thrown.message, thrown.details),
      unexpected: thrown.code === 'internal',
    };
  if (thrown instanceof AuthError)
    return { api: new ApiError(thrown.status, thrown.code, thrown.message), unexpected: false };
  if (error instanceof ApiError) return { api: error, unexpected: false };
  if (error instanceof HTTPError && !error.unhandled && error.status < 500) {
    const code = STATUS_CODES[error.status] ?? 'bad_request';
    return { api: new ApiError(error.status, code, error.message || code.replace(/_/g, ' ')), unexpected: false };
  }
  return {
    api: new ApiError(
      500,
      'internal_error',
      'Codette hit an unexpected error. It is logged on the server; try again, and report it if it repeats.',
    ),
    unexpected: true,
  };
}

export function errorResponse(api: ApiError, extraHeaders?: Headers): Response {
  const body: ErrorBody = {
    error: { code: api.code, message: api.message, ...(api.details === undefined ? {} : { details: api.details }) },
  };
  const headers = new Headers(extraHeaders);
  headers.set('content-type', 'application/json; charset=utf-8');
  for (const [k, v] of Object.entries(api.headers ?? {})) headers.set(k, v);
  return new Response(JSON.stringify(body), { status: api.status, headers });
}
