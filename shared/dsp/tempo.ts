/**
 * Tempo estimate from an onset-strength envelope and its autocorrelation.
 *
 * 1. Onset envelope at ~200 frames/s from the decimated mono signal: energy per frame in three bands (below 200 Hz,
 *    full band, above 2 kHz), compressed by a fourth root (so accents still weigh more than soft off-beats, which a
 *    log would flatten), scaled by the band's mean, differenced, half-wave rectified and summed over bands.
 * 2. Autocorrelation of the mean-removed envelope through the FFT (unbiased: divided by the overlap length) and
 *    normalised so lag 0 = 1.
 * 3. Period choice over 60-200 BPM: the fastest autocorrelation peak that reaches 85 % of the strongest peak in
 *    range. Multiples of the beat correlate about as well as the beat (a 180 BPM click also correlates at 90 BPM),
 *    an unaccented subdivision (straight eighth-note hats over kick/snare) correlates clearly less. Known limit: the
 *    usual octave ambiguity (a song felt at 90 BPM with equally loud eighths may read 180).
 * 4. Refinement: parabolic interpolation of the peaks near T, 2T, 3T, 4T; the period is sum(lag_k) / sum(k).
 * Confidence = normalised autocorrelation at the chosen period (1 for a perfectly periodic envelope, ~0 for noise).
 */
import { bandPass, highPass, lowPass } from './biquad';
import type { Biquad } from './k-weighting';
import type { Decimated } from './decimate';
import { RealFFT } from './fft';

export interface TempoEstimate {
  /** Beats per minute, or NaN when the signal is too short or has no onsets. */
  bpm: number;
  /** 0..1: normalised autocorrelation of the onset envelope at the beat period. */
  confidence: number;
}

export interface TempoOptions {
  minBpm?: number;
  maxBpm?: number;
}

export const ONSET_FRAME_RATE_TARGET = 200;
/** Flux below 6 % of the band's mean compressed level is ignored: steady tones and hum make no onsets (a steady
 * sine still ripples by ~4 % from frame to frame when the hop is not a whole number of periods). */
const MIN_FLUX = 0.06;
/** The beat is the fastest autocorrelation peak reaching this share of the strongest peak in range. */
const PULSE_SHARE = 0.85;

export interface OnsetEnvelope {
  envelope: Float64Array;
  frameRate: number;
}

function bandEnergies(x: Float32Array, hop: number, frames: number, q: Biquad | null, out: Float64Array): void {
  let s1 = 0;
  let s2 = 0;
  const b0 = q?.b0 ?? 1;
  const b1 = q?.b1 ?? 0;
  const b2 = q?.b2 ?? 0;
  const a1 = q?.a1 ?? 0;
  const a2 = q?.a2 ?? 0;
  let i = 0;
  for (let f = 0; f < frames; f++) {
    let e = 0;
    for (const end = i + hop; i < end; i++) {
      const v = x[i]!;
      const y = b0 * v + s1;
      s1 = b1 * v - a1 * y + s2;
      s2 = b2 * v - a2 * y;
      e += y * y;
    }
    out[f] = e;
  }
}

export function onsetEnvelope(signal: Decimated): OnsetEnvelope {
  const hop = Math.max(1, Math.round(signal.sampleRate / ONSET_FRAME_RATE_TARGET));
  const frameRate = signal.sampleRate / hop;
  const frames = Math.floor(signal.samples.length / hop);
  const envelope = new Float64Array(frames);
  if (frames < 2) return { envelope, frameRate };
  const bands: Array<Biquad | null> = [
    lowPass(200, Math.SQRT1_2, signal.sampleRate),
    null,
    signal.sampleRate > 5000 ? highPass(2000, Math.SQRT1_2, signal.sampleRate) : bandPass(1000, 1, signal.sampleRate),
  ];
  const e = new Float64Array(frames);
  for (const band of bands) {
    bandEnergies(signal.samples, hop, frames, band, e);
    // Compress with a fourth root (amplitude^0.5): loud accents still outweigh soft off-beats, unlike a log.
    let mean = 0;
    for (let f = 0; f < frames; f++) {
      const c = Math.sqrt(Math.sqrt(e[f]!));
      e[f] = c;
      mean += c;
    }
    mean /= frames;
    if (!(mean > 0)) continue;
    const scale = 1 / mean; // every band contributes on the same scale whatever its level
    for (let f = 1; f < frames; f++) {
      const d = (e[f]! - e[f - 1]!) * scale - MIN_FLUX;
      if (d > 0) envelope[f] = envelope[f]! + d;
    }
  }
  return { envelope, frameRate };
}

/** Unbiased autocorrelation of the mean-removed sequence, normalised to 1 at lag 0, lags 0..maxLag. */
export function autocorrelation(x: Float64Array, maxLag: number): Float64Array {
  const n = x.length;
  let size = 4;
  while (size < 2 * n) size <<= 1;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n || 1;
  const padded = new Float64Array(size);
  for (let i = 0; i < n; i++) padded[i] = x[i]! - mean;
  const fft = new RealFFT(size);
  const half = new Float64Array(size / 2 + 1);
  fft.powerSpectrum(padded, half);
  // Inverse transform of a real, even spectrum = forward transform of its full-length mirror image.
  const full = padded;
  for (let k = 0; k <= size / 2; k++) full[k] = half[k]!;
  for (let k = size / 2 + 1; k < size; k++) full[k] = half[size - k]!;
  const re = new Float64Array(size / 2 + 1);
  const im = new Float64Array(size / 2 + 1);
  fft.forward(full, re, im);
  const lags = Math.min(maxLag, n - 1);
  const out = new Float64Array(Math.max(0, lags + 1));
  const zero = re[0]! / n;
  for (let l = 0; l <= lags; l++) out[l] = zero > 0 ? re[l]! / (n - l) / zero : 0;
  return out;
}

/** Triangular smoothing [1 2 3 2 1]/9: widens single-frame onset spikes so that periods that are not a whole
 * number of frames still give one clear autocorrelation peak. */
function smooth(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = (3 * x[i]! + 2 * ((x[i - 1] ?? 0) + (x[i + 1] ?? 0)) + (x[i - 2] ?? 0) + (x[i + 2] ?? 0)) / 9;
  }
  return out;
}

/** Lag of the local maximum of `a` within [centre - radius, centre + radius], refined by a parabola. */
function refinedPeak(a: Float64Array, centre: number, radius: number): number {
  let best = -1;
  let bestV = -Infinity;
  for (let l = Math.max(1, Math.round(centre - radius)); l <= Math.round(centre + radius) && l < a.length - 1; l++) {
    if (a[l]! > bestV) {
      bestV = a[l]!;
      best = l;
    }
  }
  if (best < 1) return NaN;
  const y0 = a[best - 1]!;
  const y1 = a[best]!;
  const y2 = a[best + 1]!;
  const den = y0 - 2 * y1 + y2;
  const shift = den < 0 ? (0.5 * (y0 - y2)) / den : 0;
  return best + Math.max(-0.5, Math.min(0.5, shift));
}

export function estimateTempoFromEnvelope(onsets: OnsetEnvelope, options: TempoOptions = {}): TempoEstimate {
  const minBpm = options.minBpm ?? 60;
  const maxBpm = options.maxBpm ?? 200;
  const { envelope, frameRate } = onsets;
  const lagMin = Math.max(2, Math.floor((60 * frameRate) / maxBpm));
  const lagMax = Math.ceil((60 * frameRate) / minBpm);
  // Need at least a few periods for a meaningful estimate.
  if (envelope.length < 2 * lagMax + 2) return { bpm: NaN, confidence: 0 };
  const ac = autocorrelation(smooth(envelope), Math.min(envelope.length >> 1, 4 * lagMax + 4));
  if (!(ac[0]! > 0)) return { bpm: NaN, confidence: 0 };
  // Candidate periods: autocorrelation peaks in range. A beat's multiples (half tempo, ...) correlate about as
  // well as the beat itself, while a subdivision without accents (off-beat hi-hats) correlates less. So take the
  // fastest peak that reaches PULSE_SHARE of the strongest one.
  let strongest = 0;
  for (let t = lagMin; t <= lagMax && t < ac.length - 1; t++) {
    if (ac[t]! >= ac[t - 1]! && ac[t]! >= ac[t + 1]! && ac[t]! > strongest) strongest = ac[t]!;
  }
  let best = -1;
  if (strongest > 0) {
    for (let t = lagMin; t <= lagMax && t < ac.length - 1; t++) {
      if (ac[t]! >= ac[t - 1]! && ac[t]! >= ac[t + 1]! && ac[t]! >= PULSE_SHARE * strongest) {
        best = t;
        break;
      }
    }
  }
  if (best < 0) return { bpm: NaN, confidence: 0 };
  let sumLag = 0;
  let sumK = 0;
  let period = refinedPeak(ac, best, 1);
  for (let k = 1; k <= 4; k++) {
    const centre = k * period;
    if (centre + 3 >= ac.length) break;
    const lag = refinedPeak(ac, centre, 2);
    if (!Number.isFinite(lag)) break;
    sumLag += lag;
    sumK += k;
    period = sumLag / sumK;
  }
  const bpm = (60 * frameRate) / period;
  return { bpm, confidence: Math.max(0, Math.min(1, ac[best]!)) };
}

export function estimateTempo(signal: Decimated, options: TempoOptions = {}): TempoEstimate {
  return estimateTempoFromEnvelope(onsetEnvelope(signal), options);
}
