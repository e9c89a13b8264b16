import { WAV_ERROR_CODES, type ErrorCode } from '../schemas/errors';

/**
 * The HTTP status each error code is sent with. WAV codes: 415 for what is not a usable WAV at all, 422 for a WAV
 * Codette cannot analyse (server/analysis/upload.ts). Socket-only codes carry the status their HTTP twin would.
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  invalid_request: 400,
  invalid_json: 400,
  invalid_message: 400,
  invalid_multipart: 400,
  unknown_type: 400,
  binary_not_supported: 400,
  empty_file: 400,
  content_mismatch: 415,
  unsupported_media_type: 415,
  payload_too_large: 413,
  audio_too_long: 413,
  no_audio: 422,
  method_not_allowed: 405,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  headers_too_large: 431,
  not_riff: 415,
  not_wave: 415,
  unsupported_container: 415,
  missing_fmt: 422,
  missing_data: 422,
  invalid_fmt: 422,
  unsupported_format: 415,
  unsupported_bit_depth: 415,
  too_many_channels: 422,
  invalid_sample_rate: 422,
  truncated: 422,
  unauthorized: 401,
  forbidden: 403,
  forbidden_host: 403,
  forbidden_origin: 403,
  sign_in_required: 401,
  missing_token: 401,
  malformed_token: 401,
  expired_token: 401,
  bad_signature: 401,
  wrong_audience: 401,
  wrong_issuer: 401,
  not_a_user_token: 401,
  request_timeout: 408,
  rate_limited: 429,
  too_many_connections: 503,
  upgrade_required: 426,
  locked: 503,
  unreachable: 503,
  read_only: 500,
  corrupt: 500,
  newer_schema: 500,
  misconfigured: 500,
  not_configured: 500,
  keys_unreachable: 503,
  internal: 500,
  internal_error: 500,
};

/**
 * What any request may be answered with before it reaches its route: the HTTP parser (headers too large, too slow),
 * the security guard, and a server fault.
 */
export const COMMON_ERRORS = [
  'headers_too_large',
  'request_timeout',
  'bad_request',
  'forbidden_host',
  'forbidden_origin',
  'unauthorized',
  'rate_limited',
  'internal_error',
] as const satisfies readonly ErrorCode[];

/** The refusals of a JSON body (server/http/body.ts): not JSON, bad JSON, a field that does not fit, too large. */
export const JSON_BODY_ERRORS = [
  'invalid_request',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
] as const satisfies readonly ErrorCode[];

/** The refusals of a WAV upload (server/analysis/upload.ts and shared/dsp/wav.ts). */
export const WAV_UPLOAD_ERRORS = [
  'invalid_request',
  'invalid_multipart',
  'empty_file',
  'content_mismatch',
  'unsupported_media_type',
  'payload_too_large',
  'audio_too_long',
  'no_audio',
  ...WAV_ERROR_CODES,
] as const satisfies readonly ErrorCode[];

/**
 * What a request that reads or writes your data may meet: the store's errors (server/store/errors.ts) and, when the
 * data lives in Supabase, a missing or refused access token (server/users.ts, server/store/auth.ts).
 */
export const STORE_ERRORS = [
  'sign_in_required',
  'unauthorized',
  'forbidden',
  'missing_token',
  'malformed_token',
  'expired_token',
  'bad_signature',
  'wrong_audience',
  'wrong_issuer',
  'not_a_user_token',
  'not_configured',
  'keys_unreachable',
  'locked',
  'unreachable',
  'read_only',
  'corrupt',
] as const satisfies readonly ErrorCode[];
