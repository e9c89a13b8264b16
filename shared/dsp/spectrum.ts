/**
 * Averaged power spectrum (Hann window, 50 % overlap, optionally on an evenly strided subset of frames) and the
 * figures derived from it.
 *
 * Scaling: `power[k]` is the one-sided mean-square contribution of bin k, so sum(power) ~ mean(x^2) (Parseval with
 * the window's energy removed). Band levels are "dB relative to a full-scale sine": 10 log10(2 * band power), so a
 * sine of amplitude 1 whose frequency lies inside a band reads 0 dB in that band.
 */
import { RealFFT, hannWindow } from './fft';

/** IEC 61260 nominal octave centres used here (Hz). */
export const OCTAVE_CENTRES_HZ = [31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000] as const;
/** IEC 61260 nominal third-octave centres used here (Hz). */
export const THIRD_OCTAVE_CENTRES_HZ = [
  31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000,
  5000, 6300, 8000, 10000, 12500, 16000,
] as const;

export interface AveragedSpectrum {
  sampleRate: number;
  fftSize: number;
  /** One-sided mean-square power per bin, bins 0..fftSize/2, bin k at k * sampleRate / fftSize Hz. */
  power: Float64Array;
  /** Number of frames averaged (per channel). */
  frames: number;
}

export interface SpectrumOptions {
  /** FFT size (power of two). Default: the power of two nearest 0.34 s (16384 at 44.1/48 kHz, 2.9 Hz bins), fine
   * enough that the 31.5 and 40 Hz third-octave bands are resolved. */
  fftSize?: number;
  /** Upper bound on frames per channel; frames are spread evenly over the signal. Default 64 (about 22 s of a
   * 48 kHz signal is analysed: plenty for a long-term average, and it bounds the cost for long files). */
  maxFrames?: number;
}

export function defaultFftSize(sampleRate: number): number {
  return 1 << Math.round(Math.log2(sampleRate * 0.34));
}

/** Power spectrum averaged over frames and over channels. */
export function averagedSpectrum(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: SpectrumOptions = {},
): AveragedSpectrum {
  const length = channels[0]?.length ?? 0;
  let n = options.fftSize ?? defaultFftSize(sampleRate);
  while (n > 256 && n > length) n >>= 1;
  const fft = new RealFFT(n);
  const window = hannWindow(n);
  let wss = 0;
  for (let i = 0; i < n; i++) wss += window[i]! * window[i]!;
  const bins = n / 2 + 1;
  const acc = new Float64Array(bins);
  const frame = new Float64Array(bins);
  const maxFrames = Math.max(1, options.maxFrames ?? 64);
  let starts: number[];
  if (length < n) {
    starts = [0];
  } else {
    const available = Math.floor((length - n) / (n / 2)) + 1;
    const count = Math.min(available, maxFrames);
    const span = length - n;
    starts = [];
    for (let f = 0; f < count; f++) starts.push(count === 1 ? 0 : Math.round((f * span) / (count - 1)));
  }
  const padded = length < n ? new Float32Array(n) : undefined;
  for (const x of channels) {
    for (const s of starts) {
      let input: Float32Array;
      if (padded) {
        padded.fill(0);
        padded.set(x.subarray(0, length));
        input = padded;
      } else {
        input = x.subarray(s, s + n);
      }
      fft.powerSpectrum(input, frame, window);
      for (let k = 0; k < bins; k++) acc[k] = acc[k]! + frame[k]!;
    }
  }
  const frames = starts.length;
  const norm = 1 / (frames * Math.max(1, channels.length) * n * wss);
  for (let k = 0; k < bins; k++) acc[k] = acc[k]! * norm * (k === 0 || k === bins - 1 ? 1 : 2);
  return { sampleRate, fftSize: n, power: acc, frames };
}

/**
 * Power in [lo, hi) Hz. Each bin covers [f_k - df/2, f_k + df/2) and contributes in proportion to its overlap,
 * so narrow low-frequency bands are not all-or-nothing.
 */
export function bandPower(spec: AveragedSpectrum, lo: number, hi: number): number {
  const df = spec.sampleRate / spec.fftSize;
  const last = spec.power.length - 1;
  const k0 = Math.max(0, Math.floor(lo / df - 0.5));
  const k1 = Math.min(last, Math.ceil(hi / df + 0.5));
  let p = 0;
  for (let k = k0; k <= k1; k++) {
    const a = Math.max(lo, (k - 0.5) * df);
    const b = Math.min(hi, (k + 0.5) * df);
    if (b > a) p += (spec.power[k]! * (b - a)) / df;
  }
  return p;
}

export interface BandLevel {
  centre_hz: number;
  /** dB relative to a full-scale sine; null when the band lies above Nyquist or holds no energy. */
  level_db: number | null;
}

/**
 * Levels of fractional-octave bands (1/fraction octave). Exact base-10 band edges per IEC 61260:
 * the exact centre is 1000 * 10^(0.3 x / fraction) for the band index x nearest the nominal centre,
 * edges at centre * 10^(+/-0.15 / fraction).
 */
export function bandLevels(spec: AveragedSpectrum, nominalCentres: readonly number[], fraction: number): BandLevel[] {
  const nyquist = spec.sampleRate / 2;
  return nominalCentres.map((nominal) => {
    const x = Math.round((fraction * Math.log10(nominal / 1000)) / 0.3);
    const centre = 1000 * Math.pow(10, (0.3 * x) / fraction);
    const lo = centre * Math.pow(10, -0.15 / fraction);
    const hi = Math.min(nyquist, centre * Math.pow(10, 0.15 / fraction));
    if (lo >= nyquist) return { centre_hz: nominal, level_db: null };
    const p = bandPower(spec, lo, hi);
    return { centre_hz: nominal, level_db: p > 0 ? 10 * Math.log10(2 * p) : null };
  });
}

/** Power-weighted mean frequency (Hz) over bins 1..N/2 (DC excluded). NaN for silence. */
export function spectralCentroid(spec: AveragedSpectrum): number {
  const df = spec.sampleRate / spec.fftSize;
  let num = 0;
  let den = 0;
  for (let k = 1; k < spec.power.length; k++) {
    num += k * df * spec.power[k]!;
    den += spec.power[k]!;
  }
  return den > 0 ? num / den : NaN;
}

/**
 * Spectral tilt in dB per octave: least-squares slope of octave-band level against log2(centre), over the octave
 * bands that are below Nyquist and not more than 80 dB under the loudest band. White noise gives about +3 dB/oct,
 * pink noise about 0. NaN with fewer than three usable bands.
 */
export function spectralTilt(octaves: readonly BandLevel[]): number {
  let max = -Infinity;
  for (const b of octaves) if (b.level_db !== null && b.level_db > max) max = b.level_db;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const b of octaves) {
    if (b.level_db === null || b.level_db < max - 80) continue;
    const x = Math.log2(b.centre_hz / 1000);
    n++;
    sx += x;
    sy += b.level_db;
    sxx += x * x;
    sxy += x * b.level_db;
  }
  if (n < 3) return NaN;
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

/** Share (0..1) of the energy (DC excluded) below `cutoffHz` (default 120 Hz). NaN for silence. */
export function lowEndRatio(spec: AveragedSpectrum, cutoffHz = 120): number {
  const df = spec.sampleRate / spec.fftSize;
  let total = 0;
  for (let k = 1; k < spec.power.length; k++) total += spec.power[k]!;
  if (!(total > 0)) return NaN;
  return bandPower(spec, df / 2, cutoffHz) / total;
}

/** 1/6-octave levels from 20 Hz to 20 kHz (or Nyquist): a compact curve for display. */
export function spectrumCurve(spec: AveragedSpectrum): { freq_hz: number[]; level_db: Array<number | null> } {
  const freq: number[] = [];
  const level: Array<number | null> = [];
  const top = Math.min(20000, spec.sampleRate / 2);
  for (let f = 20; f <= top; f *= Math.pow(2, 1 / 6)) {
    const lo = f * Math.pow(2, -1 / 12);
    const hi = Math.min(spec.sampleRate / 2, f * Math.pow(2, 1 / 12));
    const p = bandPower(spec, lo, hi);
    freq.push(Math.round(f * 10) / 10);
    level.push(p > 0 ? Math.round(100 * 10 * Math.log10(2 * p)) / 100 : null);
  }
  return { freq_hz: freq, level_db: level };
}
