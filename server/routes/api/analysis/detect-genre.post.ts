import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { ApiError } from '../../../http/errors';
import { detectGenre } from '../../../analysis/genre';
import { genreFeaturesOf } from '../../../analysis/genre-features';
import { analyseReceived } from '../../../analysis/audio';
import { receiveWav } from '../../../analysis/upload';

// JSON features arrive validated as `body`; anything else is a WAV upload, read here.
export default implement(api['analysis.detectGenre'], async ({ event, services, query, body }) => {
  if (body) return detectGenre(body, query.limit);
  if (!event.req.headers.get('content-type'))
    throw new ApiError(
      415,
      'unsupported_media_type',
      'Send JSON features ("Content-Type: application/json") or a WAV ("audio/wav" or multipart field "file").',
      { field: 'content-type' },
    );
  const received = await receiveWav(event, services, query.session_id);
  const analysis = await analyseReceived(received);
  return { ...detectGenre(genreFeaturesOf(analysis.report), query.limit), file_id: received.record.id };
});
