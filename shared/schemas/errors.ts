import { z } from 'zod';

/** Why a WAV file cannot be read (shared/dsp/wav.ts's WavError). */
export const WAV_ERROR_CODES = [
  'not_riff',
  'not_wave',
  'unsupported_container',
  'missing_fmt',
  'missing_data',
  'invalid_fmt',
  'unsupported_format',
  'unsupported_bit_depth',
  'too_many_channels',
  'invalid_sample_rate',
  'truncated',
] as const;

/**
 * The codes that refuse the message itself (its shape or its content): sending the same message again would be
 * refused again. Every other code (a locked database, a rate limit, a server error, missing credentials) is about
 * the moment, and a client that must deliver the message keeps it and retries.
 */
const REFUSAL_CODES = [
  // the request itself
  'bad_request',
  'invalid_request',
  'invalid_json',
  'invalid_message',
  'invalid_multipart',
  'unknown_type',
  'binary_not_supported',
  'empty_file',
  'content_mismatch',
  'unsupported_media_type',
  'payload_too_large',
  'audio_too_long',
  'no_audio',
  'method_not_allowed',
  'not_found',
  'invalid',
  'conflict',
  'headers_too_large',
  // WAV files Codette cannot read (shared/dsp/wav.ts)
  ...WAV_ERROR_CODES,
] as const;

/**
 * Every error code the server sends, over HTTP and WebSocket. The server can only throw these (ApiError, StoreError,
 * AuthError and WavError are typed with subsets of it) and the extension decides from it what to retry.
 */
export const ErrorCode = z.enum([
  ...REFUSAL_CODES,
  // who is asking
  'unauthorized',
  'forbidden',
  'forbidden_host',
  'forbidden_origin',
  'sign_in_required',
  'missing_token',
  'malformed_token',
  'expired_token',
  'bad_signature',
  'wrong_audience',
  'wrong_issuer',
  'not_a_user_token',
  // the server's state: the same request may succeed later
  'request_timeout',
  'rate_limited',
  'too_many_connections',
  'upgrade_required',
  'locked',
  'unreachable',
  'read_only',
  'corrupt',
  'newer_schema',
  'misconfigured',
  'not_configured',
  'keys_unreachable',
  'internal',
  'internal_error',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

const REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(REFUSAL_CODES);

export function isDefinitiveRefusal(code: ErrorCode): boolean {
  return REFUSALS.has(code);
}

/** Every error over HTTP and WebSocket has this shape: a stable code, a sentence for people, details for programs. */
export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const ErrorBody = z.object({ error: ErrorInfo });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** One schema problem, with the dotted path of the field that caused it. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Turns zod issues into `field: message` pairs a person can act on. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(root)';
    return { field, message: issue.message };
  });
}

export function summariseIssues(issues: FieldIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.field}: ${i.message}`);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return shown.join('; ') + more;
}
