import type { AnalysisReport } from '../../shared/dsp/index';
import { LOUDNESS_TARGETS } from '../../shared/loudness-targets';
import type { AudioAnalysisReport, LoudnessTarget, MasterMetrics } from '../../shared/schemas/analysis';
import type { DawContext } from '../../shared/schemas/chat';
import type { FileRecord } from '../../shared/schemas/persistence';
import type { FileAnalysis } from './analyse-file';
import { RuleBook, fmt, signed } from './result';
import { masteringRules } from './rules/mastering';

/** DC offset above this (linear, 0.1 % of full scale) wastes headroom and thumps at edits. */
export const DC_OFFSET_LIMIT = 0.001;
/** Left/right loudness difference above this (dB) is a lopsided mix. */
export const BALANCE_LIMIT_DB = 1.5;

const defined = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** The master figures the mastering rules read, from a whole-file report. */
export function masterMetricsOf(report: AnalysisReport): MasterMetrics {
  const m: MasterMetrics = {};
  const put = <K extends keyof MasterMetrics>(k: K, v: MasterMetrics[K] | null | undefined) => {
    if (v !== null && v !== undefined && Number.isFinite(v)) m[k] = v;
  };
  put('integrated_lufs', report.loudness.integrated_lufs);
  put('short_term_lufs', report.loudness.short_term_max_lufs);
  put('momentary_lufs', report.loudness.momentary_max_lufs);
  put('true_peak_dbtp', report.peak.true_peak_dbtp);
  put('sample_peak_dbfs', report.peak.sample_peak_dbfs);
  // LRA needs at least a few short-term windows to mean anything.
  if (report.duration_s >= 10) put('range_lu', report.loudness.range_lu);
  put('correlation', defined(report.stereo?.correlation));
  put('low_end_ratio', defined(report.spectrum?.low_end_ratio));
  put('tilt_db_per_octave', defined(report.spectrum?.tilt_db_per_octave));
  put('spectral_centroid_hz', defined(report.spectrum?.centroid_hz));
  return m;
}

/** Findings on a whole file: the mastering rules against the target, then what only a file shows (DC, balance, clipping runs, silence). */
export function buildAudioReport(
  analysis: FileAnalysis,
  file: FileRecord,
  targetName: LoudnessTarget,
): AudioAnalysisReport {
  const { report } = analysis;
  const book = new RuleBook('audio');
  const t = LOUDNESS_TARGETS[targetName];
  const metrics = masterMetricsOf(report);
  if (report.loudness.integrated_lufs === null) {
    book.add(
      'silent',
      'critical',
      60,
      `No integrated loudness: the file is silent or shorter than 400 ms (${fmt(report.duration_s, 2)} s, sample peak ${report.peak.sample_peak_dbfs === null ? 'none' : `${fmt(report.peak.sample_peak_dbfs)} dBFS`}).`,
      { duration_seconds: report.duration_s, sample_peak_dbfs: report.peak.sample_peak_dbfs },
      'Check that the bounce range covers the song and that the master fader is up.',
    );
  }
  masteringRules(book, metrics, targetName);
  if (report.dc.max_abs > DC_OFFSET_LIMIT) {
    const worst = report.dc.per_channel.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
    book.add(
      'dc_offset',
      'warning',
      6,
      `DC offset of ${fmt(worst * 100, 3)} % of full scale (over ${fmt(DC_OFFSET_LIMIT * 100, 1)} %): it wastes headroom and clicks at edits.`,
      { dc_max_abs: report.dc.max_abs, limit: DC_OFFSET_LIMIT },
      'Put a DC blocker or a 10-20 Hz high-pass on the master (or on the track that carries it) and re-bounce.',
      [{ action: 'insert', parameter: 'master.high_pass_hz', value: 15, reason: `DC offset ${fmt(worst, 4)}` }],
    );
  }
  const balance = report.stereo?.balance_db;
  if (balance !== null && balance !== undefined && Math.abs(balance) > BALANCE_LIMIT_DB) {
    book.add(
      'channel_imbalance',
      'warning',
      6,
      `The ${balance > 0 ? 'left' : 'right'} channel is ${fmt(Math.abs(balance))} dB louder than the other (over ${BALANCE_LIMIT_DB} dB).`,
      { balance_db: balance, limit_db: BALANCE_LIMIT_DB },
      'Check the panning of the loudest parts and any stereo-widening plugin on the master; re-centre with a balance control if it is global.',
    );
  }
  if (report.channel_count === 1) {
    book.add(
      'mono_file',
      'info',
      0,
      'The file is mono: correlation and width do not apply.',
      { channels: 1 },
      'Nothing to change if mono is intended; streaming services play it on both sides.',
    );
  }
  const sample = report.peak.sample_peak_dbfs;
  const tp = report.peak.true_peak_dbtp;
  if (sample !== null && tp !== null && tp - sample > 0.5) {
    book.add(
      'intersample_peaks',
      'info',
      0,
      `True peak ${signed(tp, 2)} dBTP is ${fmt(tp - sample, 2)} dB above the sample peak ${signed(sample, 2)} dBFS: intersample overs that a sample-peak meter misses.`,
      { true_peak_dbtp: tp, sample_peak_dbfs: sample },
      'Use a limiter with true-peak detection (oversampling) rather than a sample-peak clipper.',
    );
  }
  const result = book.result(
    `Within ${t.label}'s target: ${fmt(report.loudness.integrated_lufs ?? NaN)} LUFS integrated, ${tp === null ? 'no true peak' : `${signed(tp, 2)} dBTP`} true peak.`,
  );
  const chatContext: DawContext = {
    ...(report.tempo?.bpm && report.tempo.bpm >= 20 && report.tempo.bpm <= 400 ? { bpm: report.tempo.bpm } : {}),
    ...(report.key ? { key: report.key.label.slice(0, 20) } : {}),
    metrics: {
      target: targetName,
      integrated_lufs: report.loudness.integrated_lufs,
      short_term_max_lufs: report.loudness.short_term_max_lufs,
      momentary_max_lufs: report.loudness.momentary_max_lufs,
      range_lu: report.loudness.range_lu,
      true_peak_dbtp: report.peak.true_peak_dbtp,
      sample_peak_dbfs: report.peak.sample_peak_dbfs,
      crest_db: report.crest.db,
      correlation: report.stereo?.correlation ?? null,
      low_end_ratio: report.spectrum?.low_end_ratio ?? null,
      spectral_centroid_hz: report.spectrum?.centroid_hz ?? null,
      tilt_db_per_octave: report.spectrum?.tilt_db_per_octave ?? null,
      duration_seconds: report.duration_s,
      file_id: file.id,
      file_name: file.name.slice(0, 200),
    },
  };
  return {
    ...report,
    file: { id: file.id, name: file.name, size_bytes: file.size_bytes, sha256: file.sha256 },
    duration_seconds: report.duration_s,
    channels: report.channel_count,
    bit_depth: analysis.bitDepth,
    sample_format: analysis.format,
    target: { name: targetName, ...t },
    status: result.status,
    score: result.score,
    summary: result.summary,
    findings: result.findings,
    recommendations: result.recommendations,
    chat_context: chatContext,
    timing: {
      analysis_ms: Math.round(analysis.ms * 10) / 10,
      realtime_factor: analysis.ms > 0 ? Math.round((report.duration_s / (analysis.ms / 1000)) * 10) / 10 : 0,
      worker: analysis.worker,
    },
  };
}
