import { z } from 'zod';
import { FileRecord, PageQuery, RowId } from '../schemas/persistence';
import { defineEndpoint } from './define';
import { STORE_ERRORS } from './errors';

/** One page of file records, newest first; `next_before` is the next page's `before`, null at the end. */
export const FilePage = z.object({ files: z.array(FileRecord), next_before: z.string().nullable() });
export type FilePage = z.infer<typeof FilePage>;

export const FileUploadQuery = z.object({ name: z.string().max(255).optional(), session_id: RowId.optional() });

/** The kinds Codette keeps (server/files/types.ts checks the first bytes against the Content-Type). */
export const UPLOAD_TYPES = [
  'audio/wav',
  'audio/flac',
  'audio/mpeg',
  'audio/ogg',
  'audio/aiff',
  'audio/midi',
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/json',
  'text/plain',
] as const;

export const filesEndpoints = [
  defineEndpoint({
    name: 'files.upload',
    method: 'POST',
    path: '/codette/files',
    summary:
      'Upload a file (the raw bytes as the body, with its Content-Type; ?name=file.wav): kept in the data directory and recorded',
    description:
      'Accepted: WAV, FLAC, MP3, OGG, AIFF, MIDI, PDF, PNG, JPEG, JSON and text, checked by their first bytes. Limit: CODETTE_UPLOAD_LIMIT (200 MB by default).',
    tag: 'files',
    query: FileUploadQuery,
    body: { upload: { types: UPLOAD_TYPES } },
    responses: { 200: FileRecord },
    errors: [
      'invalid_request',
      'empty_file',
      'content_mismatch',
      'unsupported_media_type',
      'payload_too_large',
      ...STORE_ERRORS,
    ],
  }),
  defineEndpoint({
    name: 'files.list',
    method: 'GET',
    path: '/codette/files',
    summary: "Your uploaded files' records, newest first; in pages (`limit`, then `before=next_before`)",
    tag: 'files',
    query: PageQuery,
    responses: { 200: FilePage },
    errors: ['invalid_request', ...STORE_ERRORS],
  }),
] as const;
