import { z } from 'zod';
import { GenreDetection, GenreFeatures } from '../../../../shared/schemas/analysis';
import { defineRoute } from '../../../http/route';
import { readJson } from '../../../http/body';
import { ApiError } from '../../../http/errors';
import { detectGenre } from '../../../analysis/genre';
import { genreFeaturesOf } from '../../../analysis/genre-features';
import { analyseReceived } from '../../../analysis/audio';
import { receiveWav } from '../../../analysis/upload';

/** Unknown keys are named (a typo like `tempo` would otherwise be ignored silently), and one feature at least. */
const FeaturesBody = GenreFeatures.strict().refine((f) => Object.values(f).some((v) => v !== undefined), {
  message: `give at least one feature: ${Object.keys(GenreFeatures.shape).join(', ')}`,
});

export default defineRoute({
  method: 'POST',
  path: '/api/analysis/detect-genre',
  summary:
    'Genre candidates from measured features (a WAV, or JSON {tempo_bpm, spectral_centroid_hz, low_end_ratio, crest_factor_db, range_lu, integrated_lufs, tilt_db_per_octave, stereo_width}), each with its per-feature fit, and a confidence that depends on the input',
  description:
    'JSON body with `Content-Type: application/json`, or a WAV as the raw body (`audio/wav`) or the multipart field `file` (measured with the same analysis as ' +
    '/api/analyze/audio and recorded in codette_files). Scoring: each genre profile (tempo from the knowledge base, spectrum and dynamics from ' +
    "server/analysis/data/genre-profiles.json) is scored by the weighted fit of each given feature to its range; the table is in the answer's `method`.",
  tag: 'analysis',
  query: z.object({ limit: z.coerce.number().int().min(1).max(31).default(5), session_id: z.uuid().optional() }),
  response: GenreDetection,
  errors: [400, 413, 415, 422],
  handler: async ({ event, services, query }) => {
    const type = event.req.headers.get('content-type') ?? '';
    if (/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
      const features = await readJson(event, FeaturesBody, services.settings.bodyLimitBytes);
      return detectGenre(features, query.limit);
    }
    if (!type)
      throw new ApiError(
        415,
        'unsupported_media_type',
        'Send JSON features ("Content-Type: application/json") or a WAV ("audio/wav" or multipart field "file").',
        { field: 'content-type' },
      );
    const received = await receiveWav(event, services, query.session_id);
    const analysis = await analyseReceived(received);
    return { ...detectGenre(genreFeaturesOf(analysis.report), query.limit), file_id: received.record.id };
  },
});
