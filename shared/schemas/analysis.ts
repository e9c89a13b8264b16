// Over 400 lines: the report's schema, one object per section, kept whole so the API reference is read in one place.
import { z } from 'zod';
import { LOUDNESS_TARGET_NAMES, type LoudnessTargetName } from '../loudness-targets';
import { DawContext } from './chat';

// ------------------------------------------------------------------------------------------------ common pieces

const Db = z.number().finite().min(-200).max(60);
const NullableNumber = z.number().nullable();

export const LoudnessTarget = z.enum(LOUDNESS_TARGET_NAMES as [LoudnessTargetName, ...LoudnessTargetName[]]);
export type LoudnessTarget = z.infer<typeof LoudnessTarget>;

/** How a result reads overall: good, worth a look, or something to fix before release. */
export const AnalysisStatus = z.enum(['good', 'warning', 'critical']);
export type AnalysisStatus = z.infer<typeof AnalysisStatus>;

export const FindingSeverity = z.enum(['info', 'warning', 'critical']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;

/** One thing a rule noticed: what, the numbers it read (`evidence`), and what to do next. */
export const Finding = z.object({
  /** Stable rule id, e.g. `mastering.true_peak_over_ceiling`. */
  id: z.string(),
  severity: FindingSeverity,
  message: z.string(),
  /** The inputs and thresholds the rule compared, by name. */
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  next_step: z.string(),
  /** Points this finding took off the score. */
  penalty: z.number().min(0),
});
export type Finding = z.infer<typeof Finding>;

/** A concrete change: do `action` to `parameter` (a track, a bus, the limiter…) with `value`, because `reason`. */
export const Recommendation = z.object({
  action: z.string(),
  parameter: z.string(),
  value: z.union([z.string(), z.number()]),
  reason: z.string(),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const AnalyzerName = z.enum([
  'session',
  'mixing',
  'routing',
  'mastering',
  'creative',
  'gain_staging',
  'stream',
  'audio',
]);
export type AnalyzerName = z.infer<typeof AnalyzerName>;

export const AnalysisResult = z.object({
  analyzer: AnalyzerName,
  status: AnalysisStatus,
  /** 100 minus the penalties of the findings, floored at 0. */
  score: z.number().int().min(0).max(100),
  summary: z.string(),
  findings: z.array(Finding),
  recommendations: z.array(Recommendation),
  /** Which inputs the rules could read, and which were missing (a rule without its input does not run). */
  inputs: z.object({ used: z.array(z.string()), missing: z.array(z.string()) }),
});
export type AnalysisResult = z.infer<typeof AnalysisResult>;

// ------------------------------------------------------------------------------------------------ session

export const TrackType = z.enum([
  'audio',
  'midi',
  'instrument',
  'drum',
  'aux',
  'bus',
  'group',
  'return',
  'vca',
  'folder',
]);
export type TrackType = z.infer<typeof TrackType>;

export const Plugin = z.union([
  z.string().min(1).max(120),
  z.object({ name: z.string().min(1).max(120), type: z.string().max(60).optional(), bypassed: z.boolean().optional() }),
]);
export type Plugin = z.infer<typeof Plugin>;

export const SessionTrack = z.object({
  name: z.string().max(200).default(''),
  type: TrackType.default('audio'),
  /** Peak level of the track's output, dBFS. */
  peak: Db.optional(),
  /** Fader or average (RMS/LUFS-ish) level of the track, dB. */
  level: Db.optional(),
  /** -1 (hard left) .. 0 (centre) .. 1 (hard right). */
  pan: z.number().finite().min(-1).max(1).default(0),
  plugins: z.array(Plugin).max(100).default([]),
  /** Name of the bus/group the track feeds; null or absent = straight to the master. */
  bus: z.string().max(200).nullable().optional(),
  mute: z.boolean().default(false),
  solo: z.boolean().default(false),
  /** A colour (any CSS-ish string); null or absent = the DAW's default. */
  colour: z.string().max(40).nullable().optional(),
  /** What the track holds (kick, bass, vocal…), when the DAW knows; otherwise read from the name. */
  role: z.string().max(60).optional(),
});
export type SessionTrack = z.infer<typeof SessionTrack>;

/** Master bus figures, from the meters or an analysis report. Every field optional: rules without their input skip. */
export const MasterMetrics = z.object({
  integrated_lufs: z.number().finite().min(-120).max(20).optional(),
  short_term_lufs: z.number().finite().min(-120).max(20).optional(),
  momentary_lufs: z.number().finite().min(-120).max(20).optional(),
  true_peak_dbtp: Db.optional(),
  sample_peak_dbfs: Db.optional(),
  range_lu: z.number().finite().min(0).max(100).optional(),
  /** Peak to loudness (or crest factor), dB: how much transient room is left. */
  dynamic_range_db: z.number().finite().min(0).max(100).optional(),
  /** Stereo correlation, -1..1. */
  correlation: z.number().finite().min(-1).max(1).optional(),
  /** Share of spectral power below 120 Hz, 0..1 (as the DSP reports it). */
  low_end_ratio: z.number().finite().min(0).max(1).optional(),
  /** Spectral tilt over the octave bands, dB per octave (as the DSP reports it: pink noise 0, white +3, most mixes -1 to -3). */
  tilt_db_per_octave: z.number().finite().min(-40).max(40).optional(),
  spectral_centroid_hz: z.number().finite().min(0).max(48000).optional(),
  /** Broad band levels in dB (any common reference): low < 250 Hz, mid 250 Hz-4 kHz, high > 4 kHz. */
  low_db: Db.optional(),
  mid_db: Db.optional(),
  high_db: Db.optional(),
});
export type MasterMetrics = z.infer<typeof MasterMetrics>;

export const ArrangementSection = z.object({
  name: z.string().min(1).max(60),
  bars: z.number().int().min(1).max(1000).optional(),
  /** How many tracks play in this section. */
  active_tracks: z.number().int().min(0).max(1000),
  /** Its loudness, when known. */
  loudness_lufs: z.number().finite().min(-120).max(20).optional(),
});
export type ArrangementSection = z.infer<typeof ArrangementSection>;

export const Session = z.object({
  name: z.string().max(200).optional(),
  tracks: z.array(SessionTrack).max(1000).default([]),
  master: MasterMetrics.default({}),
  /** DAW or browser audio CPU load, percent. */
  cpu_percent: z.number().finite().min(0).max(100).optional(),
  tempo_bpm: z.number().finite().min(20).max(400).optional(),
  genre: z.string().max(60).optional(),
  target: LoudnessTarget.default('spotify'),
  sections: z.array(ArrangementSection).max(200).optional(),
});
export type Session = z.infer<typeof Session>;
export type SessionInput = z.input<typeof Session>;

/** A live snapshot of the meters, sent by the extension every few hundred ms while playing. */
export const StreamSnapshot = MasterMetrics.extend({
  /** Which DAW tab / session the figures come from. */
  source: z.string().max(200).optional(),
  /** Client time of the snapshot, ms since the epoch. */
  at_ms: z.number().finite().nonnegative().optional(),
  /** Seconds of audio the integrated figures cover so far. */
  measured_seconds: z.number().finite().min(0).max(86_400).optional(),
  cpu_percent: z.number().finite().min(0).max(100).optional(),
  target: LoudnessTarget.default('spotify'),
});
export type StreamSnapshot = z.infer<typeof StreamSnapshot>;

export const StreamAnalysis = AnalysisResult.extend({
  target: LoudnessTarget,
  source: z.string().nullable(),
  received_at: z.string(),
  /** Against the previous snapshot of the same source: finding ids that appeared and that went away. */
  changes: z.object({ appeared: z.array(z.string()), resolved: z.array(z.string()) }),
});
export type StreamAnalysis = z.infer<typeof StreamAnalysis>;

// ------------------------------------------------------------------------------------------------ audio report

const BandLevel = z.object({ centre_hz: z.number(), level_db: NullableNumber });

/** The DSP's AnalysisReport (shared/dsp/analyze.ts) as a schema. */
export const DspReport = z.object({
  sample_rate: z.number(),
  channel_count: z.number().int(),
  duration_s: z.number(),
  loudness: z.object({
    integrated_lufs: NullableNumber,
    short_term_max_lufs: NullableNumber,
    momentary_max_lufs: NullableNumber,
    range_lu: NullableNumber,
  }),
  peak: z.object({
    true_peak_dbtp: NullableNumber,
    sample_peak_dbfs: NullableNumber,
    per_channel_true_peak_dbtp: z.array(NullableNumber),
    per_channel_sample_peak_dbfs: z.array(NullableNumber),
  }),
  rms: z.object({ dbfs: NullableNumber, per_channel_dbfs: z.array(NullableNumber) }),
  crest: z.object({ db: NullableNumber, per_channel_db: z.array(NullableNumber) }),
  dc: z.object({ per_channel: z.array(z.number()), max_abs: z.number() }),
  stereo: z
    .object({
      correlation: NullableNumber,
      width: NullableNumber,
      side_to_mid_db: NullableNumber,
      balance_db: NullableNumber,
    })
    .nullable(),
  spectrum: z
    .object({
      fft_size: z.number().int(),
      frames: z.number().int(),
      centroid_hz: NullableNumber,
      tilt_db_per_octave: NullableNumber,
      low_end_ratio: NullableNumber,
      octave_bands: z.array(BandLevel),
      third_octave_bands: z.array(BandLevel),
      curve: z.object({ freq_hz: z.array(z.number()), level_db: z.array(NullableNumber) }),
    })
    .nullable(),
  tempo: z.object({ bpm: NullableNumber, confidence: z.number() }).nullable(),
  key: z
    .object({
      tonic: z.string(),
      mode: z.enum(['major', 'minor']),
      label: z.string(),
      confidence: z.number(),
      correlation: z.number(),
    })
    .nullable(),
});
export type DspReport = z.infer<typeof DspReport>;

export const AudioAnalysisQuery = z.object({
  target: LoudnessTarget.default('spotify'),
  /** File name to record (raw uploads; multipart takes the part's file name). */
  name: z.string().max(255).optional(),
  /** Chat session to link the file to. */
  session_id: z.uuid().optional(),
});
export type AudioAnalysisQuery = z.infer<typeof AudioAnalysisQuery>;

export const AudioAnalysisReport = DspReport.extend({
  /** The codette_files record of the upload. */
  file: z.object({ id: z.string(), name: z.string(), size_bytes: z.number().int(), sha256: z.string().nullable() }),
  duration_seconds: z.number(),
  channels: z.number().int(),
  bit_depth: z.number().int(),
  sample_format: z.enum(['pcm', 'float']),
  target: z.object({
    name: LoudnessTarget,
    label: z.string(),
    integrated_lufs: z.number(),
    true_peak_dbtp: z.number(),
    tolerance_lu: z.number(),
  }),
  status: AnalysisStatus,
  score: z.number().int().min(0).max(100),
  summary: z.string(),
  findings: z.array(Finding),
  recommendations: z.array(Recommendation),
  /** Pass as `daw_context` with a chat question ("is it too loud for Spotify?") so the answer reads these figures. */
  chat_context: DawContext,
  /** Wall time of decode + analysis, ms; and how many times faster than real time that was. */
  timing: z.object({ analysis_ms: z.number(), realtime_factor: z.number(), worker: z.boolean() }),
});
export type AudioAnalysisReport = z.infer<typeof AudioAnalysisReport>;

/** Server-sent events of POST /api/analyze/audio with `Accept: text/event-stream`. */
export const AudioAnalysisProgress = z.object({
  fraction: z.number().min(0).max(1),
  stage: z.enum(['decoding', 'analysing', 'done']),
});
export type AudioAnalysisProgress = z.infer<typeof AudioAnalysisProgress>;

// ------------------------------------------------------------------------------------------------ genre

export const GenreFeatures = z.object({
  tempo_bpm: z.number().finite().min(20).max(400).optional(),
  spectral_centroid_hz: z.number().finite().min(20).max(24000).optional(),
  low_end_ratio: z.number().finite().min(0).max(1).optional(),
  crest_factor_db: z.number().finite().min(0).max(60).optional(),
  range_lu: z.number().finite().min(0).max(60).optional(),
  integrated_lufs: z.number().finite().min(-70).max(5).optional(),
  tilt_db_per_octave: z.number().finite().min(-20).max(20).optional(),
  stereo_width: z.number().finite().min(0).max(4).optional(),
});
export type GenreFeatures = z.infer<typeof GenreFeatures>;

export const GenreFeatureScore = z.object({
  feature: z.string(),
  value: z.number(),
  /** What the genre profile expects: [low, high]. */
  expected: z.tuple([z.number(), z.number()]),
  /** 1 inside the range, falling towards 0 outside it. */
  fit: z.number().min(0).max(1),
  weight: z.number(),
});

export const GenreCandidate = z.object({
  genre: z.string(),
  id: z.string(),
  /** Weighted mean fit of the features given, 0..1. */
  score: z.number().min(0).max(1),
  /** Share of the candidates' summed evidence this genre holds, 0..1. */
  probability: z.number().min(0).max(1),
  /** Tempo read at half or double time to fit (e.g. 87 bpm read as 174 for drum and bass). */
  tempo_read_as: z.number().nullable(),
  features: z.array(GenreFeatureScore),
});
export type GenreCandidate = z.infer<typeof GenreCandidate>;

export const GenreDetection = z.object({
  genre: z.string(),
  /** How sure, 0..1: the top candidate's margin over the next, scaled by how many features were given and how well they fit. */
  confidence: z.number().min(0).max(1),
  candidates: z.array(GenreCandidate),
  features: GenreFeatures,
  features_missing: z.array(z.string()),
  method: z.string(),
  /** When the features came from an uploaded WAV: its file record id. */
  file_id: z.string().optional(),
});
export type GenreDetection = z.infer<typeof GenreDetection>;

// ------------------------------------------------------------------------------------------------ reference answers

export const DelaySyncQuery = z.object({
  bpm: z.coerce.number().finite().min(20, 'bpm must be at least 20').max(400, 'bpm must be at most 400'),
});

export const NoteDelay = z.object({
  note: z.string(),
  /** Length in quarter notes. */
  beats: z.number(),
  straight_ms: z.number(),
  dotted_ms: z.number(),
  triplet_ms: z.number(),
  straight_hz: z.number(),
});

export const DelaySync = z.object({
  bpm: z.number(),
  beat_ms: z.number(),
  bar_ms_4_4: z.number(),
  notes: z.array(NoteDelay),
  reverb: z.object({
    pre_delay_ms: z.object({ sixty_fourth: z.number(), thirty_second: z.number(), sixteenth: z.number() }),
    decay_ms: z.object({
      short_eighth: z.number(),
      medium_quarter: z.number(),
      long_half: z.number(),
      bar: z.number(),
    }),
  }),
  /** Compressor/gate release that breathes with the tempo. */
  release_ms: z.object({ sixteenth: z.number(), eighth: z.number(), quarter: z.number() }),
});
export type DelaySync = z.infer<typeof DelaySync>;

export const EarTrainingQuery = z.object({
  category: z.string().max(60).optional(),
  level: z.enum(['beginner', 'intermediate', 'advanced']).optional(),
});

export const EarTrainingExercise = z.object({
  id: z.string(),
  category: z.string(),
  level: z.enum(['beginner', 'intermediate', 'advanced']),
  title: z.string(),
  goal: z.string(),
  setup: z.array(z.string()),
  steps: z.array(z.string()),
  listen_for: z.array(z.string()),
  minutes: z.number(),
  /** For interval/frequency drills: the answers to pick from. */
  choices: z.array(z.string()).optional(),
});
export type EarTrainingExercise = z.infer<typeof EarTrainingExercise>;

export const EarTrainingAnswer = z.object({
  categories: z.array(z.string()),
  exercises: z.array(EarTrainingExercise),
  /** A reproducible pick for today's practice. */
  daily: EarTrainingExercise,
});

export const ChecklistStage = z.enum([
  'writing',
  'arrangement',
  'sound_design',
  'recording',
  'editing',
  'mixing',
  'mastering',
  'release',
]);
export type ChecklistStage = z.infer<typeof ChecklistStage>;

export const ChecklistItem = z.object({
  id: z.string(),
  item: z.string(),
  why: z.string(),
  check: z.string(),
  priority: z.enum(['must', 'should', 'nice']),
});

export const ChecklistAnswer = z.object({
  stages: z.array(ChecklistStage),
  checklists: z.array(z.object({ stage: ChecklistStage, title: z.string(), items: z.array(ChecklistItem) })),
});

export const InstrumentInfoQuery = z.object({ instrument: z.string().max(60).optional() });

export const FrequencyArea = z.object({ low_hz: z.number(), high_hz: z.number(), name: z.string(), note: z.string() });

export const Instrument = z.object({
  id: z.string(),
  name: z.string(),
  family: z.string(),
  aliases: z.array(z.string()),
  range: z.object({ lowest: z.string(), highest: z.string(), fundamental_hz: z.tuple([z.number(), z.number()]) }),
  frequency_areas: z.array(FrequencyArea),
  eq: z.array(z.string()),
  compression: z.object({
    ratio: z.string(),
    attack_ms: z.string(),
    release_ms: z.string(),
    gain_reduction_db: z.string(),
    note: z.string(),
  }),
  recording: z.array(z.string()),
  common_problems: z.array(z.object({ problem: z.string(), fix: z.string() })),
  panning: z.string(),
});
export type Instrument = z.infer<typeof Instrument>;

export const InstrumentInfoAnswer = z.object({
  instruments: z.array(z.object({ id: z.string(), name: z.string(), family: z.string() })),
  instrument: Instrument.optional(),
});
