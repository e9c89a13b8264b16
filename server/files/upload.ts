import { createHash, randomUUID, type Hash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { H3Event } from 'h3';
import type { FileRecord } from '../../shared/schemas/persistence';
import { ApiError } from '../http/errors';
import { bodyChunks } from '../http/body';
import type { Services } from '../services';
import { ACCEPTED_TYPES, fileTypeFor, type FileType } from './file-types';

const HEAD_BYTES = 4096;
/** Uploads being received are written under this prefix and renamed once recorded; leftovers are swept at start. */
const PARTIAL_PREFIX = '.partial-';

/** A name fit to show: no folders (so no traversal), no control characters, at most 255 characters. */
export function cleanFileName(raw: string | null | undefined): string {
  const base = basename((raw ?? '').replaceAll('\\', '/'))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must lose
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return (base === '' || base === '.' || base === '..' ? 'upload' : base).slice(0, 255);
}

export interface ReceivedFile {
  record: FileRecord;
  /** Where the content is on disk. */
  path: string;
}

export const filesDir = (dataDir: string) => join(dataDir, 'files');

/**
 * One upload on its way to the data directory: written under a temporary name while it arrives (hashed, its first
 * bytes kept), and given its final name only once its row is committed. Whatever fails before, nothing is left.
 */
export class IncomingFile {
  readonly #hash: Hash = createHash('sha256');
  #head: Uint8Array = new Uint8Array(0);
  #size = 0;
  #closed = false;

  private constructor(
    readonly dir: string,
    readonly storedName: string,
    readonly partialPath: string,
    private readonly file: FileHandle,
    private readonly keep: number,
  ) {}

  static async create(dataDir: string, extension: string, keepHeadBytes = HEAD_BYTES): Promise<IncomingFile> {
    const dir = filesDir(dataDir);
    await mkdir(dir, { recursive: true });
    const storedName = `${randomUUID()}.${extension}`;
    const partialPath = join(dir, PARTIAL_PREFIX + storedName);
    return new IncomingFile(
      dir,
      storedName,
      partialPath,
      await open(partialPath, 'wx'),
      Math.max(HEAD_BYTES, keepHeadBytes),
    );
  }

  get size(): number {
    return this.#size;
  }

  get head(): Uint8Array {
    return this.#head;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#head.length < this.keep)
      this.#head = concat(this.#head, chunk.subarray(0, this.keep - this.#head.length));
    this.#hash.update(chunk);
    this.#size += chunk.byteLength;
    await this.file.write(chunk);
  }

  /** Everything written is on disk (fsync): called before the row that points at it is committed. */
  async finish(): Promise<void> {
    await this.file.sync();
    await this.#close();
  }

  /** Throws the upload away (refused, failed, or its row could not be written). */
  async discard(): Promise<void> {
    await this.#close().catch(() => undefined);
    await rm(this.partialPath, { force: true });
  }

  /**
   * Records the file for the user, then gives it its final name. A refused row (an unknown session: 404) discards
   * the file. A crash before the rename leaves only a partial file, which the next start sweeps.
   */
  async commit(
    services: Services,
    userId: string,
    fields: { name: string; mime_type: string; session_id?: string },
  ): Promise<ReceivedFile> {
    let record: FileRecord;
    try {
      await this.finish();
      record = await services.store.recordFile(userId, {
        name: fields.name,
        mime_type: fields.mime_type,
        size_bytes: this.#size,
        sha256: this.#hash.digest('hex'),
        storage_path: join('files', this.storedName),
        ...(fields.session_id ? { session_id: fields.session_id } : {}),
      });
    } catch (error) {
      await this.discard();
      throw error;
    }
    const path = join(this.dir, this.storedName);
    await rename(this.partialPath, path);
    return { record, path };
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.file.close();
  }
}

/** Deletes the partial uploads a killed server left behind (run at start, before any upload can begin). */
export async function sweepPartialUploads(dataDir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(filesDir(dataDir));
  } catch {
    return 0;
  }
  const partial = names.filter((n) => n.startsWith(PARTIAL_PREFIX));
  await Promise.all(partial.map((n) => rm(join(filesDir(dataDir), n), { force: true })));
  return partial.length;
}

export function tooLarge(limit: number) {
  return new ApiError(
    413,
    'payload_too_large',
    `The file is larger than the ${Math.round(limit / 1048576)} MB Codette accepts (CODETTE_UPLOAD_LIMIT).`,
    { limit_bytes: limit },
  );
}

/** The declared type of a raw upload, or 415. */
export function uploadType(event: H3Event): FileType {
  const type = fileTypeFor(event.req.headers.get('content-type'));
  if (!type) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send the file with its Content-Type; accepted: ${ACCEPTED_TYPES.join(', ')}.`,
      { accepted: ACCEPTED_TYPES },
    );
  }
  return type;
}

/**
 * Streams a raw upload to the data directory, checks that its first bytes are what its Content-Type says, then
 * records it for the user. `accept` may refuse the file once it is all on disk (by throwing): then it is deleted and
 * never recorded.
 */
export async function receiveUpload(
  event: H3Event,
  services: Services,
  userId: string,
  sessionId?: string,
  accept?: (file: IncomingFile) => Promise<void>,
): Promise<ReceivedFile> {
  const type = uploadType(event);
  const name = cleanFileName(event.url.searchParams.get('name') ?? decodeHeader(event.req.headers.get('x-file-name')));
  const incoming = await IncomingFile.create(services.settings.dataDir, type.extension);
  try {
    for await (const chunk of bodyChunks(event, services.settings.uploadLimitBytes, tooLarge))
      await incoming.write(chunk);
    if (incoming.size === 0)
      throw new ApiError(400, 'empty_file', "The upload is empty: send the file's bytes as the request body.");
    if (!type.matches(incoming.head)) {
      throw new ApiError(
        415,
        'content_mismatch',
        `The file does not look like ${type.mime}: its first bytes say otherwise. Check the file, or send the right Content-Type.`,
      );
    }
    await accept?.(incoming);
  } catch (error) {
    await incoming.discard();
    throw error;
  }
  return incoming.commit(services, userId, {
    name,
    mime_type: type.mime,
    ...(sessionId ? { session_id: sessionId } : {}),
  });
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
