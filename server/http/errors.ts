import { HTTPError } from 'h3';
import { StoreError, type StoreErrorCode } from '../store/errors';
import { AuthError, type AuthErrorCode } from '../store/auth';
import { TransportRejection } from '../transport/transport';
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

/** The HTTP status of each store failure: the store names what went wrong, this layer what it means over HTTP. */
export const STORE_ERROR_STATUS: Record<StoreErrorCode, number> = {
  not_found: 404,
  invalid: 400,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  locked: 503,
  unreachable: 503,
  newer_schema: 500,
  read_only: 500,
  corrupt: 500,
  misconfigured: 500,
  internal: 500,
};

/** 401 for a bad token; 503 when the keys cannot be fetched; 500 when the server is not set up. */
const authStatus = (code: AuthErrorCode) => (code === 'not_configured' ? 500 : code === 'keys_unreachable' ? 503 : 401);

/** Any thrown value to an ApiError; what the server did not mean to say becomes a generic 500 (logged, never sent). */
export function toApiError(error: unknown): { api: ApiError; unexpected: boolean } {
  const cause = error instanceof HTTPError ? error.cause : undefined;
  const thrown = cause ?? error;
  if (thrown instanceof ApiError) return { api: thrown, unexpected: false };
  // Domain errors are written for people (what failed, what to do); only their status is decided here.
  if (thrown instanceof StoreError)
    return {
      api: new ApiError(STORE_ERROR_STATUS[thrown.code], thrown.code, thrown.message, thrown.details),
      unexpected: thrown.code === 'internal',
    };
  if (thrown instanceof AuthError)
    return { api: new ApiError(authStatus(thrown.code), thrown.code, thrown.message), unexpected: false };
  if (thrown instanceof TransportRejection)
    return {
      api: new ApiError(400, 'invalid_request', `Invalid body: ${thrown.field}: ${thrown.message}`, [
        { field: thrown.field, message: thrown.message },
      ]),
      unexpected: false,
    };
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
