import { FileRecord, RowId } from '../../../shared/schemas/persistence';
import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { resolveUserId } from '../../users';
import { receiveUpload } from '../../files/upload';

export default defineRoute({
  method: 'POST',
  path: '/codette/files',
  summary:
    'Upload a file (the raw bytes as the body, with its Content-Type; ?name=file.wav): kept in the data directory and recorded',
  description:
    'Accepted: WAV, FLAC, MP3, OGG, AIFF, MIDI, PDF, PNG, JPEG, JSON and text, checked by their first bytes. Limit: CODETTE_UPLOAD_LIMIT (200 MB by default).',
  tag: 'files',
  query: z.object({ name: z.string().max(255).optional(), session_id: RowId.optional() }),
  response: FileRecord,
  errors: [400, 401, 413, 415],
  handler: async ({ event, services, query }) =>
    (await receiveUpload(event, services, await resolveUserId(event, services), query.session_id)).record,
});
