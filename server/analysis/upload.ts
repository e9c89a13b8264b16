import type { H3Event } from 'h3';
import { z } from 'zod';
import { WavError, type WavErrorCode } from '../../shared/dsp/index';
import { LoudnessTarget } from '../../shared/schemas/analysis';
import type { FileRecord } from '../../shared/schemas/persistence';
import { bodyChunks, validate } from '../http/body';
import { ApiError } from '../http/errors';
import { multipartBoundary, readMultipart } from '../http/multipart';
import { cleanFileName, IncomingFile, receiveUpload, tooLarge } from '../files/upload';
import { fileTypeFor } from '../files/file-types';
import type { Services } from '../services';
import { resolveUserId } from '../users';
import { inspectWav, MAX_CHANNELS, type WavInfo } from './wav-peek';

/** Longest file analysed. */
export const MAX_DURATION_SECONDS = 600;

export interface ReceivedWav {
  record: FileRecord;
  path: string;
  info: WavInfo;
  /** Fields of a multipart form besides the file (target, session_id). */
  fields: Record<string, string>;
}

const WAV_FORMAT_CODES: ReadonlySet<WavErrorCode> = new Set([
  'not_riff',
  'not_wave',
  'unsupported_container',
  'unsupported_format',
  'unsupported_bit_depth',
]);

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

/**
 * Receives a WAV upload, as the raw body (`Content-Type: audio/wav`) or as the multipart field `file`, streamed to
 * disk either way (never held in memory); reads its format and length from the file's chunk headers and refuses
 * (4xx) what the analysis cannot take before anything is recorded or decoded: a refused file leaves no file and no row.
 */
export async function receiveWav(event: H3Event, services: Services, sessionId?: string): Promise<ReceivedWav> {
  const contentType = event.req.headers.get('content-type');
  const userId = await resolveUserId(event, services);
  let info: WavInfo | undefined;
  const check = async (file: IncomingFile) => {
    info = await analysable(file.partialPath, file.size);
  };
  const boundary = multipartBoundary(contentType);
  if (boundary) {
    let incoming: IncomingFile | undefined;
    let filename = '';
    let fields: Record<string, string>;
    try {
      fields = await readMultipart(bodyChunks(event, services.settings.uploadLimitBytes, tooLarge), boundary, {
        file: async (field, name) => {
          if (field !== 'file' || incoming) return undefined;
          filename = name;
          incoming = await IncomingFile.create(services.settings.dataDir, 'wav');
          return incoming;
        },
      });
      if (!incoming) {
        throw new ApiError(
          400,
          'invalid_request',
          'Invalid body: file: put the WAV in the multipart field "file" (as a file, not text).',
          [{ field: 'file', message: 'missing' }],
        );
      }
      const own = formFields(fields);
      if (incoming.size === 0)
        throw new ApiError(400, 'empty_file', 'file: the uploaded file is empty.', { field: 'file' });
      const head = incoming.head;
      if (!(head.length >= 12 && ascii(head, 0) === 'RIFF' && ascii(head, 8) === 'WAVE')) {
        throw new ApiError(
          415,
          'content_mismatch',
          'file: this is not a WAV file (it does not start with RIFF....WAVE). Export the audio as WAV: 16- or 24-bit PCM or 32-bit float.',
          { field: 'file' },
        );
      }
      await check(incoming);
      sessionId = own.session_id ?? sessionId;
    } catch (error) {
      await incoming?.discard();
      throw error;
    }
    const stored = await incoming.commit(services, userId, {
      name: cleanFileName(filename || fields.name),
      mime_type: 'audio/wav',
      ...(sessionId ? { session_id: sessionId } : {}),
    });
    return { ...stored, info: info!, fields };
  }
  if (isWavMime(contentType)) {
    const received = await receiveUpload(event, services, userId, sessionId, check);
    return { ...received, info: info!, fields: {} };
  }
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

/** The WAV's format and length from its chunk headers, or the 4xx that says why Codette cannot analyse it. */
async function analysable(path: string, size: number): Promise<WavInfo> {
  let info: WavInfo;
  try {
    info = await inspectWav(path, size);
  } catch (error) {
    if (error instanceof WavError) throw wavApiError(error);
    throw error;
  }
  if (info.durationSeconds > MAX_DURATION_SECONDS) throw tooLong(info.durationSeconds);
  if (info.frames === 0)
    throw new ApiError(422, 'no_audio', 'file: the WAV holds no audio (its data chunk is empty).', { field: 'file' });
  return info;
}

export function tooLong(seconds: number): ApiError {
  const mmss = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return new ApiError(
    413,
    'audio_too_long',
    `file: the audio is ${mmss(seconds)} (${seconds.toFixed(1)} s) long; Codette analyses up to ${MAX_DURATION_SECONDS / 60} minutes. Send a shorter excerpt or a section of the song.`,
    {
      field: 'file',
      duration_seconds: Math.round(seconds * 100) / 100,
      limit_seconds: MAX_DURATION_SECONDS,
    },
  );
}

const FormFields = z.object({ target: LoudnessTarget.optional(), session_id: z.uuid().optional() });

/** The multipart form's own `target` and `session_id` (they override the query's), validated and named when wrong. */
export function formFields(fields: Record<string, string>): z.infer<typeof FormFields> {
  return validate(FormFields, { target: fields.target, session_id: fields.session_id }, 'body');
}

function ascii(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}
