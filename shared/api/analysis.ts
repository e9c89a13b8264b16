import { z } from 'zod';
import {
  AnalysisResult,
  AudioAnalysisProgress,
  AudioAnalysisQuery,
  AudioAnalysisReport,
  ChecklistAnswer,
  ChecklistStage,
  DelaySync,
  DelaySyncQuery,
  EarTrainingAnswer,
  EarTrainingQuery,
  GenreDetection,
  GenreFeatures,
  InstrumentInfoAnswer,
  InstrumentInfoQuery,
  Session,
  StreamAnalysis,
  StreamSnapshot,
} from '../schemas/analysis';
import { ErrorBody } from '../schemas/errors';
import { defineEndpoint } from './define';
import { JSON_BODY_ERRORS, WAV_UPLOAD_ERRORS } from './errors';

const WAV_UPLOAD = { types: ['audio/wav'], multipartField: 'file' } as const;

/** Unknown keys are named (a typo like `tempo` would otherwise be ignored silently), and one feature at least. */
export const GenreFeaturesBody = GenreFeatures.strict().refine((f) => Object.values(f).some((v) => v !== undefined), {
  message: `give at least one feature: ${Object.keys(GenreFeatures.shape).join(', ')}`,
});

export const DetectGenreQuery = z.object({
  limit: z.coerce.number().int().min(1).max(31).default(5),
  session_id: z.uuid().optional(),
});

export const ChecklistQuery = z.object({ stage: ChecklistStage.optional() });

const SESSION_BODY =
  'Body: a session {tracks: [{name, type, peak, level, pan, plugins, bus, mute, solo, colour, role?}], master: {integrated_lufs, true_peak_dbtp, …}, cpu_percent, tempo_bpm, genre, target, sections}. ' +
  'Answer: status (good | warning | critical), score 0-100, findings citing the inputs (with their evidence and a next step) and recommendations {action, parameter, value, reason}.';

/** What every POST /api/analyze/<analyzer> shares: a Session in, one analyzer's AnalysisResult out. */
const SESSION_ANALYZER = {
  method: 'POST',
  description: SESSION_BODY,
  tag: 'analysis',
  body: { json: Session },
  responses: { 200: AnalysisResult },
  errors: JSON_BODY_ERRORS,
} as const;

export const analysisEndpoints = [
  defineEndpoint({
    name: 'analyze.audio',
    method: 'POST',
    path: '/api/analyze/audio',
    summary:
      'Measure a WAV (EBU R128 loudness, true peak, levels, stereo, spectrum, tempo, key) and judge it against a loudness target',
    description:
      'Send the WAV as the raw body (`Content-Type: audio/wav`, `?name=`, `?target=`) or as the multipart/form-data field `file` ' +
      '(optional fields `target`, `session_id`). 16/24/32-bit PCM or 32-bit float, mono or stereo, 8-768 kHz, up to 10 minutes; ' +
      'limit CODETTE_UPLOAD_LIMIT. The file is recorded in codette_files. `target`: spotify (default), apple_music, youtube, tidal, ' +
      'amazon, soundcloud, ebu_r128, atsc_a85, club. With `Accept: text/event-stream`: `progress` events ({fraction, stage}) then ' +
      "one `report` event, or an `error` event. `chat_context` in the answer can be passed as a chat question's `daw_context`.",
    tag: 'analysis',
    query: AudioAnalysisQuery,
    body: { upload: WAV_UPLOAD },
    responses: { 200: AudioAnalysisReport },
    sse: {
      events: { progress: AudioAnalysisProgress, report: AudioAnalysisReport, error: ErrorBody },
      final: ['report', 'error'],
    },
    errors: [...WAV_UPLOAD_ERRORS],
  }),
  defineEndpoint({
    ...SESSION_ANALYZER,
    name: 'analyze.session',
    path: '/api/analyze/session',
    summary: 'Session health: CPU, plugins per track, track count, colour coding, solos left on',
  }),
  defineEndpoint({
    ...SESSION_ANALYZER,
    name: 'analyze.mixing',
    path: '/api/analyze/mixing',
    summary:
      'Mix balance: level spread, a dominant track, frequency balance extremes, no processing, low end off-centre',
  }),
  defineEndpoint({
    ...SESSION_ANALYZER,
    name: 'analyze.routing',
    path: '/api/analyze/routing',
    summary: 'Routing: aux buses past 10 tracks, VCAs, unnamed tracks, outputs to missing buses',
  }),
  defineEndpoint({
    ...SESSION_ANALYZER,
    name: 'analyze.mastering',
    path: '/api/analyze/mastering',
    summary:
      'Master against a loudness target: integrated loudness, true-peak ceiling, dynamics, loudness range, tonal tilt, low end, correlation',
  }),
  defineEndpoint({
    ...SESSION_ANALYZER,
    name: 'analyze.creative',
    path: '/api/analyze/creative',
    summary:
      'Arrangement: density, stacked layers, contrast between sections, stereo picture, foreground/background, lead and low end, tempo for the genre',
  }),
  defineEndpoint({
    ...SESSION_ANALYZER,
    name: 'analyze.gainStaging',
    path: '/api/analyze/gain-staging',
    summary: 'Gain staging: clipping and headroom per track, tracks too low, level spread, master clipping',
  }),
  defineEndpoint({
    name: 'analyze.stream',
    method: 'POST',
    path: '/api/analyze/stream',
    summary:
      'A live meter snapshot from the extension (integrated/short-term LUFS, true peak, LRA, correlation, spectrum figures, CPU) through the mastering rules',
    description:
      'Send every few seconds while playing. `measured_seconds` under 10 leaves the integrated figure unjudged. `changes` lists the finding ids that appeared or ' +
      "resolved since the same `source`'s previous snapshot; when any did, WebSocket clients subscribed to `analysis` get `stream_findings`.",
    tag: 'analysis',
    body: { json: StreamSnapshot },
    responses: { 200: StreamAnalysis },
    errors: [...JSON_BODY_ERRORS],
  }),
  defineEndpoint({
    name: 'analysis.delaySync',
    method: 'GET',
    path: '/api/analysis/delay-sync',
    summary: 'Delay, reverb pre-delay/decay and release times locked to a tempo (?bpm=), straight, dotted and triplet',
    tag: 'analysis',
    query: DelaySyncQuery,
    responses: { 200: DelaySync },
    errors: ['invalid_request'],
  }),
  defineEndpoint({
    name: 'analysis.earTraining',
    method: 'GET',
    path: '/api/analysis/ear-training',
    summary:
      'Ear-training exercises (frequency, level, dynamics, intervals, harmony, space, tone, mixing), filtered by ?category= and ?level=, with a pick for today',
    tag: 'analysis',
    query: EarTrainingQuery,
    responses: { 200: EarTrainingAnswer },
    errors: ['invalid_request'],
  }),
  defineEndpoint({
    name: 'analysis.productionChecklist',
    method: 'GET',
    path: '/api/analysis/production-checklist',
    summary:
      'What to check at each production stage (?stage=writing|arrangement|sound_design|recording|editing|mixing|mastering|release), why, and how to tell it is done',
    tag: 'analysis',
    query: ChecklistQuery,
    responses: { 200: ChecklistAnswer },
    errors: ['invalid_request'],
  }),
  defineEndpoint({
    name: 'analysis.instrumentInfo',
    method: 'GET',
    path: '/api/analysis/instrument-info',
    summary:
      'An instrument (?instrument=kick, vocal, 808, piano…): range, frequency areas, EQ, compression, recording and common problems; without it, the list',
    tag: 'analysis',
    query: InstrumentInfoQuery,
    responses: { 200: InstrumentInfoAnswer },
    errors: ['invalid_request'],
  }),
  defineEndpoint({
    name: 'analysis.detectGenre',
    method: 'POST',
    path: '/api/analysis/detect-genre',
    summary:
      'Genre candidates from measured features (a WAV, or JSON {tempo_bpm, spectral_centroid_hz, low_end_ratio, crest_factor_db, range_lu, integrated_lufs, tilt_db_per_octave, stereo_width}), each with its per-feature fit, and a confidence that depends on the input',
    description:
      'JSON body with `Content-Type: application/json`, or a WAV as the raw body (`audio/wav`) or the multipart field `file` (measured with the same analysis as ' +
      '/api/analyze/audio and recorded in codette_files). Scoring: each genre profile (tempo from the knowledge base, spectrum and dynamics from ' +
      "server/analysis/data/genre-profiles.json) is scored by the weighted fit of each given feature to its range; the table is in the answer's `method`.",
    tag: 'analysis',
    query: DetectGenreQuery,
    body: { json: GenreFeaturesBody, upload: WAV_UPLOAD },
    responses: { 200: GenreDetection },
    errors: [...JSON_BODY_ERRORS, ...WAV_UPLOAD_ERRORS],
  }),
] as const;
