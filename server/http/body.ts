import type { H3Event } from 'h3';
import type { z } from 'zod';
import { describeIssues, summariseIssues } from '../../shared/schemas/errors';
import { ApiError } from './errors';

/**
 * Hands the body to `onChunk` piece by piece, refusing with `tooLarge` (413) as soon as it passes `limit`, whatever
 * Content-Length claims. Returns the size read.
 */
export async function forEachBodyChunk(
  event: H3Event,
  limit: number,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  tooLargeError: (limit: number) => ApiError = tooLarge,
): Promise<number> {
  if (Number(event.req.headers.get('content-length') ?? '0') > limit) throw tooLargeError(limit);
  const reader = event.req.body?.getReader();
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLargeError(limit);
    }
    await onChunk(value);
  }
  return size;
}

/** The body as an async iterable of chunks, refusing with `tooLargeError` (413) as soon as it passes `limit`. */
export async function* bodyChunks(
  event: H3Event,
  limit: number,
  tooLargeError: (limit: number) => ApiError = tooLarge,
): AsyncGenerator<Uint8Array> {
  if (Number(event.req.headers.get('content-length') ?? '0') > limit) throw tooLargeError(limit);
  const reader = event.req.body?.getReader();
  if (!reader) return;
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > limit) throw tooLargeError(limit);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Reads the whole body as bytes, within `limit`. */
export async function readBodyBytes(event: H3Event, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const size = await forEachBodyChunk(event, limit, (c) => void chunks.push(c));
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function tooLarge(limit: number) {
  return new ApiError(
    413,
    'payload_too_large',
    `The body is larger than the ${Math.round(limit / 1024)} KiB this route accepts.`,
    { limit_bytes: limit },
  );
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON body and validates it: 415 when it is not JSON, 400 naming the field when it does not fit. An empty
 * body is read as `{}` so that commands without parameters (POST /transport/play) need none.
 */
export async function readJson<S extends z.ZodType>(
  event: H3Event,
  schema: S,
  limit: number,
  base: Record<string, unknown> = {},
): Promise<z.output<S>> {
  const bytes = await readBodyBytes(event, limit);
  let value: unknown = {};
  if (bytes.byteLength > 0) {
    const type = event.req.headers.get('content-type') ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Send the body as JSON with "Content-Type: application/json" (got "${type || 'none'}").`,
      );
    }
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new ApiError(400, 'invalid_json', 'The body is not valid UTF-8 text.');
    }
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}.`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'invalid_request', 'The body must be a JSON object.', [
      { field: 'body', message: 'expected an object' },
    ]);
  }
  return validate(schema, { ...(value as Record<string, unknown>), ...base }, 'body');
}

export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' | 'headers',
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = describeIssues(result.error.issues);
    throw new ApiError(400, 'invalid_request', `Invalid ${where}: ${summariseIssues(issues)}`, issues);
  }
  return result.data;
}
