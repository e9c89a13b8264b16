/**
 * Key estimate: chromagram + Krumhansl-Schmuckler key finding with the Krumhansl-Kessler (1982) probe-tone
 * profiles. The chroma vector sums FFT magnitudes (Hann, 4096 points at ~12 kHz: 2.9 Hz bins) of every bin between
 * 65 Hz (C2) and 2.1 kHz into its nearest equal-tempered pitch class (A4 = 440 Hz). The key is the rotation of the
 * major or minor profile with the highest Pearson correlation with that vector.
 * confidence = (r1 - r2) / (1 - r2) for the best and runner-up correlations, clamped to 0..1: how much of the
 * remaining headroom the best key wins by (relative major/minor pairs are the usual runners-up).
 */
import type { Decimated } from './decimate';
import { RealFFT, hannWindow } from './fft';

export const PITCH_CLASS_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

// Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

export interface KeyEstimate {
  tonic: (typeof PITCH_CLASS_NAMES)[number];
  mode: 'major' | 'minor';
  /** e.g. "A minor". */
  label: string;
  /** Pearson correlation of the chroma with the chosen key profile, -1..1. */
  correlation: number;
  confidence: number;
  /** Chroma vector C..B, scaled so the largest entry is 1. */
  chroma: number[];
}

export interface ChromaOptions {
  fftSize?: number;
  maxFrames?: number;
  minHz?: number;
  maxHz?: number;
}

export function chromagram(signal: Decimated, options: ChromaOptions = {}): Float64Array {
  const x = signal.samples;
  let n = options.fftSize ?? 4096;
  while (n > 256 && n > x.length) n >>= 1;
  const minHz = options.minHz ?? 65;
  const maxHz = Math.min(options.maxHz ?? 2100, signal.sampleRate / 2);
  const fft = new RealFFT(n);
  const window = hannWindow(n);
  const bins = n / 2 + 1;
  const pc = new Int8Array(bins).fill(-1);
  for (let k = 1; k < bins; k++) {
    const f = (k * signal.sampleRate) / n;
    if (f < minHz || f > maxHz) continue;
    const midi = Math.round(69 + 12 * Math.log2(f / 440));
    pc[k] = ((midi % 12) + 12) % 12;
  }
  const chroma = new Float64Array(12);
  if (x.length < n) return chroma;
  const power = new Float64Array(bins);
  const hop = n / 2;
  const available = Math.floor((x.length - n) / hop) + 1;
  const count = Math.min(available, options.maxFrames ?? 400);
  for (let f = 0; f < count; f++) {
    const start = count === 1 ? 0 : Math.round((f * (x.length - n)) / (count - 1));
    fft.powerSpectrum(x.subarray(start, start + n), power, window);
    for (let k = 1; k < bins; k++) {
      const c = pc[k]!;
      if (c >= 0) chroma[c] = chroma[c]! + Math.sqrt(power[k]!);
    }
  }
  return chroma;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>, rotate: number): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < 12; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= 12;
  mb /= 12;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < 12; i++) {
    const da = a[(i + rotate) % 12]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Best key for a 12-bin chroma vector (C first). Returns null for a flat or empty chroma. */
export function keyFromChroma(chroma: ArrayLike<number>): KeyEstimate | null {
  let max = 0;
  for (let i = 0; i < 12; i++) max = Math.max(max, chroma[i]!);
  if (!(max > 0)) return null;
  const scores: Array<{ tonic: number; mode: 'major' | 'minor'; r: number }> = [];
  for (let tonic = 0; tonic < 12; tonic++) {
    scores.push({ tonic, mode: 'major', r: pearson(chroma, MAJOR_PROFILE, tonic) });
    scores.push({ tonic, mode: 'minor', r: pearson(chroma, MINOR_PROFILE, tonic) });
  }
  scores.sort((p, q) => q.r - p.r);
  const best = scores[0]!;
  const second = scores[1]!;
  if (best.r === 0) return null;
  const tonic = PITCH_CLASS_NAMES[best.tonic]!;
  const confidence = best.r > second.r ? Math.max(0, Math.min(1, (best.r - second.r) / (1 - second.r))) : 0;
  const out: number[] = [];
  for (let i = 0; i < 12; i++) out.push(chroma[i]! / max);
  return { tonic, mode: best.mode, label: `${tonic} ${best.mode}`, correlation: best.r, confidence, chroma: out };
}

export function estimateKey(signal: Decimated, options: ChromaOptions = {}): KeyEstimate | null {
  return keyFromChroma(chromagram(signal, options));
}
