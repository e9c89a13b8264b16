/**
 * Whole-file analysis: one call, one plain JSON-able report. Non-finite figures (silence, too short, mono-only)
 * are `null`. Conventions are documented next to each figure's computation:
 * loudness.ts (LUFS/LU), true-peak.ts (dBTP), stats.ts (RMS, crest, DC, stereo), spectrum.ts (bands, centroid,
 * tilt, low-end ratio), tempo.ts, key.ts.
 */
import { decimatedMono, type Decimated } from './decimate';
import { estimateKey } from './key';
import { defaultChannelWeights, measureLoudness, type LoudnessFigures } from './loudness';
import {
  OCTAVE_CENTRES_HZ,
  THIRD_OCTAVE_CENTRES_HZ,
  averagedSpectrum,
  bandLevels,
  lowEndRatio,
  spectralCentroid,
  spectralTilt,
  spectrumCurve,
  type AveragedSpectrum,
  type BandLevel,
  type SpectrumOptions,
} from './spectrum';
import { channelLevels, stereoLevels, type ChannelLevels, type StereoImage } from './stats';
import { estimateTempo } from './tempo';
import { TruePeakDetector, defaultInterpolator } from './true-peak';
import { amplitudeToDb, finiteOrNull } from './units';

export interface AnalyzeOptions {
  /** Channel weights G_i for loudness; default per BS.1770 for the channel count (see defaultChannelWeights). */
  channelWeights?: readonly number[];
  truePeak?: boolean;
  spectrum?: boolean | SpectrumOptions;
  tempo?: boolean;
  key?: boolean;
  /** Called with the fraction done (0..1), at most a few hundred times, finally with 1. */
  onProgress?: (fraction: number) => void;
}

export interface AnalysisReport {
  sample_rate: number;
  channel_count: number;
  duration_s: number;
  loudness: {
    integrated_lufs: number | null;
    short_term_max_lufs: number | null;
    momentary_max_lufs: number | null;
    range_lu: number | null;
  };
  peak: {
    /** null when true peak was not requested. */
    true_peak_dbtp: number | null;
    sample_peak_dbfs: number | null;
    per_channel_true_peak_dbtp: Array<number | null>;
    per_channel_sample_peak_dbfs: Array<number | null>;
  };
  /** RMS in dBFS, full-scale sine = -3.01 dBFS. `dbfs` is over all channels. */
  rms: { dbfs: number | null; per_channel_dbfs: Array<number | null> };
  /** Sample peak over RMS in dB (sine = 3.01 dB). */
  crest: { db: number | null; per_channel_db: Array<number | null> };
  /** Mean sample value per channel (linear, full scale = 1). */
  dc: { per_channel: number[]; max_abs: number };
  /** Only for two or more channels (first two = L, R). */
  stereo: {
    correlation: number | null;
    width: number | null;
    side_to_mid_db: number | null;
    balance_db: number | null;
  } | null;
  spectrum: {
    fft_size: number;
    frames: number;
    centroid_hz: number | null;
    tilt_db_per_octave: number | null;
    low_end_ratio: number | null;
    octave_bands: BandLevel[];
    third_octave_bands: BandLevel[];
    curve: { freq_hz: number[]; level_db: Array<number | null> };
  } | null;
  tempo: { bpm: number | null; confidence: number } | null;
  key: { tonic: string; mode: 'major' | 'minor'; label: string; confidence: number; correlation: number } | null;
}

export function analyzeAudio(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: AnalyzeOptions = {},
): AnalysisReport {
  if (channels.length === 0) throw new RangeError('analyzeAudio needs at least one channel');
  const length = channels[0]!.length;
  for (const ch of channels) {
    if (ch.length !== length) throw new RangeError('all channels must have the same length');
  }
  if (!(sampleRate >= 8000 && sampleRate <= 768000)) throw new RangeError(`sample rate ${sampleRate} Hz out of range`);
  const nch = channels.length;
  const doTruePeak = options.truePeak ?? true;
  const doSpectrum = options.spectrum ?? true;
  const doTempo = options.tempo ?? true;
  const doKey = options.key ?? true;

  // Progress budget (rough share of run time): K-weighting 40 %, levels 10 %, true peak 20 %, the rest 30 %.
  const report = options.onProgress;
  let last = -1;
  const progress = (f: number) => {
    if (!report) return;
    const r = Math.min(1, Math.max(0, f));
    if (r >= 1 || r - last >= 0.005) {
      last = r;
      report(r);
    }
  };
  progress(0);

  const weights = options.channelWeights ? Float64Array.from(options.channelWeights) : defaultChannelWeights(nch);
  const loud = measureLoudness(channels, sampleRate, weights, (f) => progress(0.4 * f));
  progress(0.4);

  let stereo: StereoImage | null = null;
  const levels: ChannelLevels[] = [];
  for (let c = 0; c < nch; c++) {
    if (c === 0 && nch >= 2) {
      const pair = stereoLevels(channels[0]!, channels[1]!);
      levels.push(pair.left, pair.right);
      stereo = pair.image;
      c++;
    } else {
      levels.push(channelLevels(channels[c]!));
    }
    progress(0.4 + (0.1 * (c + 1)) / nch);
  }

  const truePeaks: number[] = [];
  if (doTruePeak) {
    const detector = new TruePeakDetector(defaultInterpolator());
    channels.forEach((ch, c) => {
      detector.reset();
      detector.seed(levels[c]!.samplePeak);
      const chunk = 65536;
      for (let i = 0; i < ch.length; i += chunk) {
        detector.push(ch, i, Math.min(ch.length, i + chunk));
        progress(0.5 + (0.2 * (c + (i + chunk) / Math.max(1, ch.length))) / nch);
      }
      detector.flush();
      truePeaks.push(detector.peak);
    });
  }
  progress(0.7);

  const spectrum =
    doSpectrum !== false
      ? averagedSpectrum(channels, sampleRate, typeof doSpectrum === 'object' ? doSpectrum : {})
      : null;
  progress(0.8);
  const mono = doTempo || doKey ? decimatedMono(channels, sampleRate) : null;
  progress(0.9);
  return assembleReport(
    {
      sampleRate,
      channelCount: nch,
      length,
      loudness: loud,
      levels,
      stereo,
      truePeaks: doTruePeak ? truePeaks : null,
      spectrum,
      mono,
      tempo: doTempo,
      key: doKey,
    },
    progress,
  );
}

/** What the whole-file figures are made of, however they were measured (at once, or streamed: analyzer.ts). */
export interface AnalysisParts {
  sampleRate: number;
  channelCount: number;
  /** Frames per channel. */
  length: number;
  loudness: Pick<LoudnessFigures, 'integratedLufs' | 'shortTermMaxLufs' | 'momentaryMaxLufs' | 'rangeLu'> & {
    shortTerm: { length: number };
  };
  levels: ChannelLevels[];
  stereo: StereoImage | null;
  /** Per channel; null when not asked for. */
  truePeaks: number[] | null;
  spectrum: AveragedSpectrum | null;
  /** The decimated mono mix for tempo and key; null when neither is asked for. */
  mono: Decimated | null;
  tempo: boolean;
  key: boolean;
}

/** The report from its parts: rounding, nulls for what is not finite, tempo and key estimated from the mono mix. */
export function assembleReport(
  parts: AnalysisParts,
  progress: (fraction: number) => void = () => undefined,
): AnalysisReport {
  const { sampleRate, channelCount: nch, length, loudness: loud, levels, stereo, truePeaks } = parts;
  let spectrum: AnalysisReport['spectrum'] = null;
  if (parts.spectrum) {
    const spec = parts.spectrum;
    const octaves = bandLevels(spec, OCTAVE_CENTRES_HZ, 1);
    spectrum = {
      fft_size: spec.fftSize,
      frames: spec.frames,
      centroid_hz: finiteOrNull(spectralCentroid(spec), 1),
      tilt_db_per_octave: finiteOrNull(spectralTilt(octaves), 2),
      low_end_ratio: finiteOrNull(lowEndRatio(spec), 4),
      octave_bands: roundBands(octaves),
      third_octave_bands: roundBands(bandLevels(spec, THIRD_OCTAVE_CENTRES_HZ, 3)),
      curve: spectrumCurve(spec),
    };
  }

  let tempo: AnalysisReport['tempo'] = null;
  let key: AnalysisReport['key'] = null;
  if (parts.mono) {
    const mono = parts.mono;
    if (parts.tempo) {
      const t = estimateTempo(mono);
      tempo = { bpm: finiteOrNull(t.bpm, 1), confidence: finiteOrNull(t.confidence, 3) ?? 0 };
    }
    progress(0.95);
    if (parts.key) {
      const k = estimateKey(mono);
      key = k
        ? {
            tonic: k.tonic,
            mode: k.mode,
            label: k.label,
            confidence: finiteOrNull(k.confidence, 3) ?? 0,
            correlation: finiteOrNull(k.correlation, 3) ?? 0,
          }
        : null;
    }
  }
  let peakAll = 0;
  let sumSquares = 0;
  for (const l of levels) {
    peakAll = Math.max(peakAll, l.samplePeak);
    sumSquares += l.sumSquares;
  }
  const rmsAll = length > 0 ? Math.sqrt(sumSquares / (length * nch)) : 0;
  const crestDb = (peak: number, rms: number) => (rms > 0 ? amplitudeToDb(peak / rms) : NaN);

  const result: AnalysisReport = {
    sample_rate: sampleRate,
    channel_count: nch,
    duration_s: finiteOrNull(length / sampleRate, 4) ?? 0,
    loudness: {
      integrated_lufs: finiteOrNull(loud.integratedLufs, 2),
      short_term_max_lufs: finiteOrNull(loud.shortTermMaxLufs, 2),
      momentary_max_lufs: finiteOrNull(loud.momentaryMaxLufs, 2),
      range_lu: loud.shortTerm.length > 0 ? finiteOrNull(loud.rangeLu, 2) : null,
    },
    peak: {
      true_peak_dbtp: truePeaks ? finiteOrNull(amplitudeToDb(Math.max(0, ...truePeaks)), 2) : null,
      sample_peak_dbfs: finiteOrNull(amplitudeToDb(peakAll), 2),
      per_channel_true_peak_dbtp: (truePeaks ?? []).map((p) => finiteOrNull(amplitudeToDb(p), 2)),
      per_channel_sample_peak_dbfs: levels.map((l) => finiteOrNull(amplitudeToDb(l.samplePeak), 2)),
    },
    rms: {
      dbfs: finiteOrNull(amplitudeToDb(rmsAll), 2),
      per_channel_dbfs: levels.map((l) => finiteOrNull(amplitudeToDb(l.rms), 2)),
    },
    crest: {
      db: finiteOrNull(crestDb(peakAll, rmsAll), 2),
      per_channel_db: levels.map((l) => finiteOrNull(crestDb(l.samplePeak, l.rms), 2)),
    },
    dc: {
      per_channel: levels.map((l) => finiteOrNull(l.dc, 6) ?? 0),
      max_abs: finiteOrNull(Math.max(...levels.map((l) => Math.abs(l.dc))), 6) ?? 0,
    },
    stereo: stereo
      ? {
          correlation: finiteOrNull(stereo.correlation, 3),
          width: finiteOrNull(stereo.width, 3),
          side_to_mid_db: finiteOrNull(stereo.sideToMidDb, 2),
          balance_db: finiteOrNull(stereo.balanceDb, 2),
        }
      : null,
    spectrum,
    tempo,
    key,
  };
  progress(1);
  return result;
}

function roundBands(bands: BandLevel[]): BandLevel[] {
  return bands.map((b) => ({
    centre_hz: b.centre_hz,
    level_db: b.level_db === null ? null : finiteOrNull(b.level_db, 2),
  }));
}
