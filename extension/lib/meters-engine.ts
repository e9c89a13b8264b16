import { LoudnessMeter } from '../../shared/dsp/meter';
import { RealFFT, hannWindow } from '../../shared/dsp/fft';
import { THIRD_OCTAVE_CENTRES_HZ, bandLevels, lowEndRatio, type AveragedSpectrum } from '../../shared/dsp/spectrum';
// Types only: the worklet bundle must not carry zod (the band list equals METER_BAND_CENTRES_HZ, see the unit test).
import type { MeterSnapshot } from '../../shared/schemas/meters';

/** The name the worklet module registers its processor under. */
export const METER_PROCESSOR = 'codette-meter';
/** Where the built worklet module sits in the extension (see wxt.config.ts). */
export const METER_WORKLET_PATH = '/meter-worklet.js' as const;

/**
 * Everything the live meters compute, for blocks of any size (128-sample AudioWorklet quanta): the streaming BS.1770
 * meter of shared/dsp, a live sample peak, left/right correlation (per interval and since the reset), and a
 * third-octave spectrum from one FFT per snapshot. No DOM, no allocation per block: it runs in the worklet and in
 * unit tests alike.
 */
export class MeterEngine {
  readonly sampleRate: number;
  readonly channels: number;
  readonly fftSize: number;
  private readonly meter: LoudnessMeter;
  private readonly fft: RealFFT;
  private readonly window: Float64Array;
  private readonly windowSum: number;
  private readonly ring: Float32Array;
  private readonly frame: Float32Array;
  private readonly power: Float64Array;
  private readonly smooth: Float64Array;
  private readonly longTerm: Float64Array;
  private ringPos = 0;
  private ringFilled = 0;
  private longFrames = 0;
  private seq = 0;
  private sinceSnapshot = 0;
  private peak = 0;
  private ll = 0;
  private rr = 0;
  private lr = 0;
  private llAll = 0;
  private rrAll = 0;
  private lrAll = 0;
  /** Samples between snapshots (100 ms). */
  readonly interval: number;

  constructor(sampleRate: number, channels = 2, snapshotsPerSecond = 10) {
    this.sampleRate = sampleRate;
    this.channels = Math.max(1, Math.min(2, channels));
    this.meter = new LoudnessMeter(sampleRate, this.channels);
    // ~0.17 s: 8192 at 44.1/48 kHz (5.9 Hz bins, enough to place the 40 Hz third-octave).
    this.fftSize = 1 << Math.round(Math.log2(sampleRate * 0.17));
    this.fft = new RealFFT(this.fftSize);
    this.window = hannWindow(this.fftSize);
    let w = 0;
    for (let i = 0; i < this.fftSize; i++) w += this.window[i]! * this.window[i]!;
    this.windowSum = w;
    this.ring = new Float32Array(this.fftSize);
    this.frame = new Float32Array(this.fftSize);
    this.power = new Float64Array(this.fftSize / 2 + 1);
    this.smooth = new Float64Array(this.fftSize / 2 + 1);
    this.longTerm = new Float64Array(this.fftSize / 2 + 1);
    this.interval = Math.round(sampleRate / snapshotsPerSecond);
  }

  /** The musician's Reset (or the DAW starting to play): measures restart, the sound goes on (no false over). */
  reset(): void {
    this.meter.restart();
    this.seq = 0;
    this.sinceSnapshot = 0;
    this.peak = 0;
    this.ll = this.rr = this.lr = 0;
    this.llAll = this.rrAll = this.lrAll = 0;
    this.smooth.fill(0);
    this.longTerm.fill(0);
    this.longFrames = 0;
    this.ring.fill(0);
    this.ringFilled = 0;
  }

  /** Pushes planar channels (missing channels are silence). True when a snapshot is due. */
  push(block: readonly Float32Array[], length = block[0]?.length ?? 0): boolean {
    if (length <= 0) return false;
    this.meter.push(block, length);
    const left = block[0]!;
    const right = this.channels > 1 ? (block[1] ?? left) : left;
    let peak = this.peak;
    let ll = 0;
    let rr = 0;
    let lr = 0;
    const ring = this.ring;
    const n = ring.length;
    let pos = this.ringPos;
    for (let i = 0; i < length; i++) {
      const l = left[i]!;
      const r = right[i]!;
      ll += l * l;
      rr += r * r;
      lr += l * r;
      const a = l > 0 ? l : -l;
      const b = r > 0 ? r : -r;
      peak = a > peak ? a : peak;
      peak = b > peak ? b : peak;
      ring[pos] = (l + r) * 0.5;
      pos = pos + 1 === n ? 0 : pos + 1;
    }
    this.ringPos = pos;
    this.ringFilled = Math.min(n, this.ringFilled + length);
    this.peak = peak;
    this.ll += ll;
    this.rr += rr;
    this.lr += lr;
    this.sinceSnapshot += length;
    return this.sinceSnapshot >= this.interval;
  }

  /** The figures now; starts the next interval (live peak, live correlation). */
  snapshot(): MeterSnapshot {
    const r = this.meter.read();
    this.llAll += this.ll;
    this.rrAll += this.rr;
    this.lrAll += this.lr;
    const correlation = this.channels > 1 ? corr(this.ll, this.rr, this.lr) : null;
    const correlationAvg = this.channels > 1 ? corr(this.llAll, this.rrAll, this.lrAll) : null;
    const bands = this.spectrum();
    const snap: MeterSnapshot = {
      seq: this.seq++,
      duration_s: round(r.durationSeconds, 3),
      sample_rate: this.sampleRate,
      channels: this.channels,
      momentary_lufs: fin(r.momentaryLufs),
      short_term_lufs: fin(r.shortTermLufs),
      integrated_lufs: fin(r.integratedLufs),
      range_lu: round(Math.max(0, Math.min(100, r.loudnessRangeLu)), 2),
      momentary_max_lufs: fin(r.momentaryMaxLufs),
      short_term_max_lufs: fin(r.shortTermMaxLufs),
      true_peak_dbtp: fin(r.truePeakDbtp),
      sample_peak_dbfs: this.peak > 0 ? round(20 * Math.log10(this.peak), 2) : null,
      correlation,
      correlation_avg: correlationAvg,
      low_end_ratio: bands.lowEnd,
      bands: bands.levels,
    };
    // Keep the cadence exact on average (4800 is not a multiple of 128).
    this.sinceSnapshot = Math.max(0, this.sinceSnapshot - this.interval);
    this.peak = 0;
    this.ll = this.rr = this.lr = 0;
    return snap;
  }

  private spectrum(): { levels: (number | null)[]; lowEnd: number | null } {
    const n = this.fftSize;
    if (this.ringFilled < n / 2) return { levels: THIRD_OCTAVE_CENTRES_HZ.map(() => null), lowEnd: null };
    // Oldest sample first.
    const tail = this.ring.subarray(this.ringPos);
    this.frame.set(tail, 0);
    this.frame.set(this.ring.subarray(0, this.ringPos), tail.length);
    this.fft.powerSpectrum(this.frame, this.power, this.window);
    const norm = 1 / (n * this.windowSum);
    const bins = this.power.length;
    // About 300 ms of visual smoothing at ten snapshots a second.
    const a = 0.35;
    let loud = 0;
    for (let k = 0; k < bins; k++) {
      const p = this.power[k]! * norm * (k === 0 || k === bins - 1 ? 1 : 2);
      this.smooth[k] = this.smooth[k]! + a * (p - this.smooth[k]!);
      this.longTerm[k] = this.longTerm[k]! + p;
      loud += p;
    }
    if (loud > 0) this.longFrames++;
    const smooth: AveragedSpectrum = { sampleRate: this.sampleRate, fftSize: n, power: this.smooth, frames: 1 };
    const levels = bandLevels(smooth, THIRD_OCTAVE_CENTRES_HZ, 3).map((b) =>
      b.level_db === null || b.level_db < -120 ? null : round(b.level_db, 1),
    );
    let lowEnd: number | null = null;
    if (this.longFrames > 0) {
      const long: AveragedSpectrum = {
        sampleRate: this.sampleRate,
        fftSize: n,
        power: this.longTerm,
        frames: this.longFrames,
      };
      const v = lowEndRatio(long);
      lowEnd = Number.isFinite(v) ? round(Math.max(0, Math.min(1, v)), 3) : null;
    }
    return { levels, lowEnd };
  }
}

function corr(ll: number, rr: number, lr: number): number | null {
  const d = Math.sqrt(ll * rr);
  if (!(d > 1e-12)) return null;
  return round(Math.max(-1, Math.min(1, lr / d)), 3);
}

function fin(v: number): number | null {
  return Number.isFinite(v) ? round(v, 2) : null;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
