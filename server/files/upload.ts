import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { H3Event } from 'h3';
import type { FileRecord } from '../../shared/schemas/persistence';
import { ApiError } from '../http/errors';
import { forEachBodyChunk } from '../http/body';
import type { Services } from '../services';
import { ACCEPTED_TYPES, fileTypeFor } from './file-types';

const HEAD_BYTES = 4096;

/** A name fit to show: no folders (so no traversal), no control characters, at most 255 characters. */
export function cleanFileName(raw: string | null | undefined): string {
  const base = basename((raw ?? '').replaceAll('\\', '/'))
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return (base === '' || base === '.' || base === '..' ? 'upload' : base).slice(0, 255);
}

export interface ReceivedFile {
  record: FileRecord;
  /** Where the content is on disk. */
  path: string;
}

/**
 * Streams a raw upload to the data directory under a generated name, hashing it on the way, checks that its
 * first bytes are what its Content-Type says, syncs it to disk, then records it for the user. `accept` may refuse
 * the file from its first `headBytes` and its size (by throwing): then it is deleted and never recorded.
 */
export async function receiveUpload(
  event: H3Event,
  services: Services,
  userId: string,
  sessionId?: string,
  accept?: { headBytes: number; check: (head: Uint8Array, size: number) => void },
): Promise<ReceivedFile> {
  const keep = Math.max(HEAD_BYTES, accept?.headBytes ?? 0);
  const limit = services.settings.uploadLimitBytes;
  const type = fileTypeFor(event.req.headers.get('content-type'));
  if (!type) {
    throw new ApiError(415, 'unsupported_media_type', `Send the file with its Content-Type; accepted: ${ACCEPTED_TYPES.join(', ')}.`, { accepted: ACCEPTED_TYPES });
  }
  const name = cleanFileName(event.url.searchParams.get('name') ?? decodeHeader(event.req.headers.get('x-file-name')));
  const dir = join(services.settings.dataDir, 'files');
  await mkdir(dir, { recursive: true });
  const storedName = `${randomUUID()}.${type.extension}`;
  const path = join(dir, storedName);
  const file = await open(path, 'wx');
  const hash = createHash('sha256');
  let head: Uint8Array = new Uint8Array(0);
  let size = 0;
  try {
    size = await forEachBodyChunk(
      event,
      limit,
      async (chunk) => {
        if (head.length < keep) head = concat(head, chunk.subarray(0, keep - head.length));
        hash.update(chunk);
        await file.write(chunk);
      },
      tooLarge,
    );
    if (size === 0) throw new ApiError(400, 'empty_file', 'The upload is empty: send the file\'s bytes as the request body.');
    if (!type.matches(head)) {
      throw new ApiError(415, 'content_mismatch', `The file does not look like ${type.mime}: its first bytes say otherwise. Check the file, or send the right Content-Type.`);
    }
    accept?.check(head, size);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(path, { force: true });
    throw error;
  }
  await file.close();
  const record = await services.store.recordFile(userId, {
    name,
    mime_type: type.mime,
    size_bytes: size,
    sha256: hash.digest('hex'),
    storage_path: join('files', storedName),
    ...(sessionId ? { session_id: sessionId } : {}),
  });
  return { record, path };
}

function tooLarge(limit: number) {
  return new ApiError(413, 'payload_too_large', `The file is larger than the ${Math.round(limit / 1048576)} MB Codette accepts (CODETTE_UPLOAD_LIMIT).`, { limit_bytes: limit });
}

function decodeHeader(value: string | null): string | null {
  if (value === null) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
