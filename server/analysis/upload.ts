import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { H3Event } from 'h3';
import { z } from 'zod';
import { WavError, type WavErrorCode } from '../../shared/dsp/index';
import { LoudnessTarget } from '../../shared/schemas/analysis';
import type { FileRecord } from '../../shared/schemas/persistence';
import { readBodyBytes, validate } from '../http/body';
import { ApiError } from '../http/errors';
import { cleanFileName, receiveUpload } from '../files/upload';
import { fileTypeFor } from '../files/file-types';
import type { Services } from '../services';
import { resolveUserId } from '../users';
import { MAX_CHANNELS, peekWav, type WavInfo } from './wav-peek';

/** Longest file analysed. */
export const MAX_DURATION_SECONDS = 600;
const HEAD_BYTES = 1 << 20;

export interface ReceivedWav {
  record: FileRecord;
  path: string;
  info: WavInfo | undefined;
  /** Fields of a multipart form besides the file (target, session_id). */
  fields: Record<string, string>;
}

const WAV_FORMAT_CODES: ReadonlySet<WavErrorCode> = new Set(['not_riff', 'not_wave', 'unsupported_container', 'unsupported_format', 'unsupported_bit_depth']);

/** A WavError as the client's error: 415 for what is not a supported WAV at all, 422 for a WAV Codette cannot use. */
export function wavApiError(error: WavError): ApiError {
  const status = WAV_FORMAT_CODES.has(error.code) ? 415 : 422;
  const hint =
    error.code === 'too_many_channels'
      ? ` Codette analyses mono and stereo files (up to ${MAX_CHANNELS} channels): export a stereo mixdown.`
      : status === 415
        ? ' Export the file as WAV: 16- or 24-bit PCM or 32-bit float.'
        : '';
  return new ApiError(status, error.code, `file: ${error.message}.${hint}`, { field: 'file', wav_error: error.code });
}

const isWavMime = (ct: string | null) => fileTypeFor(ct)?.mime === 'audio/wav';
const isMultipart = (ct: string | null) => /^multipart\/form-data\b/i.test(ct ?? '');

/**
 * Receives a WAV upload, as the raw body (`Content-Type: audio/wav`; streamed to disk and recorded by receiveUpload)
 * or as the multipart field `file`; records it in codette_files; reads its format and length from the header and
 * refuses (4xx) what the analysis cannot take, before any decoding.
 */
export async function receiveWav(event: H3Event, services: Services, sessionId?: string): Promise<ReceivedWav> {
  const contentType = event.req.headers.get('content-type');
  const userId = await resolveUserId(event, services);
  let record: FileRecord;
  let path: string;
  let info: WavInfo | undefined;
  const fields: Record<string, string> = {};
  if (isMultipart(contentType)) {
    // formData() would read without bound: read the body with the upload limit first, then parse it.
    const bytes = await readBodyBytes(event, services.settings.uploadLimitBytes);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), { headers: { 'content-type': contentType! } }).formData();
    } catch {
      throw new ApiError(400, 'invalid_multipart', 'The multipart body could not be read: send a form with the WAV in the field "file".', { field: 'file' });
    }
    const part = form.get('file');
    if (part === null || typeof part === 'string') {
      throw new ApiError(400, 'invalid_request', 'Invalid body: file: put the WAV in the multipart field "file" (as a file, not text).', [{ field: 'file', message: 'missing' }]);
    }
    for (const [k, v] of form.entries()) if (k !== 'file' && typeof v === 'string') fields[k] = v;
    const own = formFields(fields);
    const content = new Uint8Array(await part.arrayBuffer());
    if (content.length === 0) throw new ApiError(400, 'empty_file', 'file: the uploaded file is empty.', { field: 'file' });
    if (!(content.length >= 12 && ascii(content, 0) === 'RIFF' && ascii(content, 8) === 'WAVE')) {
      throw new ApiError(415, 'content_mismatch', 'file: this is not a WAV file (it does not start with RIFF....WAVE). Export the audio as WAV: 16- or 24-bit PCM or 32-bit float.', { field: 'file' });
    }
    const session = own.session_id ?? sessionId;
    info = analysable(content.subarray(0, HEAD_BYTES), content.length);
    const stored = await storeBytes(services, userId, content, cleanFileName(part.name || fields.name), session);
    record = stored.record;
    path = stored.path;
  } else if (isWavMime(contentType)) {
    // Refused (unreadable header, too long, no audio) before it is recorded: the file is deleted, no row stays.
    const received = await receiveUpload(event, services, userId, sessionId, {
      headBytes: HEAD_BYTES,
      check: (first, bytes) => {
        info = analysable(first, bytes);
      },
    });
    record = received.record;
    path = received.path;
  } else {
    const known = fileTypeFor(contentType);
    throw new ApiError(
      415,
      'unsupported_media_type',
      known?.mime.startsWith('audio/')
        ? `Only WAV can be analysed (got ${known.mime}): export the audio as WAV, 16- or 24-bit PCM or 32-bit float.`
        : `Send a WAV: the raw bytes with "Content-Type: audio/wav", or a multipart/form-data body with the field "file" (got "${contentType ?? 'none'}").`,
      { field: 'content-type', accepted: ['audio/wav', 'multipart/form-data'] },
    );
  }
  return { record, path, info, fields };
}

/** The WAV's format and length from its first bytes, or the 4xx that says why Codette cannot analyse it. */
function analysable(head: Uint8Array, size: number): WavInfo | undefined {
  let info: WavInfo | undefined;
  try {
    info = peekWav(head, size);
  } catch (error) {
    if (error instanceof WavError) throw wavApiError(error);
    throw error;
  }
  if (info && info.durationSeconds > MAX_DURATION_SECONDS) throw tooLong(info.durationSeconds);
  if (info && info.frames === 0) throw new ApiError(422, 'no_audio', 'file: the WAV holds no audio (its data chunk is empty).', { field: 'file' });
  return info;
}

export function tooLong(seconds: number): ApiError {
  const mmss = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return new ApiError(413, 'audio_too_long', `file: the audio is ${mmss(seconds)} (${seconds.toFixed(1)} s) long; Codette analyses up to ${MAX_DURATION_SECONDS / 60} minutes. Send a shorter excerpt or a section of the song.`, {
    field: 'file',
    duration_seconds: Math.round(seconds * 100) / 100,
    limit_seconds: MAX_DURATION_SECONDS,
  });
}

const FormFields = z.object({ target: LoudnessTarget.optional(), session_id: z.uuid().optional() });

/** The multipart form's own `target` and `session_id` (they override the query's), validated and named when wrong. */
export function formFields(fields: Record<string, string>): z.infer<typeof FormFields> {
  return validate(FormFields, { target: fields.target, session_id: fields.session_id }, 'body');
}

function ascii(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** Same keeping as receiveUpload, for bytes already in memory (a multipart part). */
async function storeBytes(services: Services, userId: string, bytes: Uint8Array, name: string, sessionId?: string): Promise<{ record: FileRecord; path: string }> {
  const dir = join(services.settings.dataDir, 'files');
  await mkdir(dir, { recursive: true });
  const storedName = `${randomUUID()}.wav`;
  const path = join(dir, storedName);
  await writeFile(path, bytes, { flag: 'wx', flush: true });
  const record = await services.store.recordFile(userId, {
    name,
    mime_type: 'audio/wav',
    size_bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    storage_path: join('files', storedName),
    ...(sessionId ? { session_id: sessionId } : {}),
  });
  return { record, path };
}
