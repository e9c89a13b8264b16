/**
 * Streaming EBU R128 meter: push planar blocks of any size (e.g. 128-sample AudioWorklet quanta) and read
 * momentary, short-term, integrated loudness, loudness range, maxima and true peak at any time.
 *
 * Cost per block: K-weighting and the true-peak interpolator per sample, a few operations per 100 ms sub-block.
 * Integrated loudness is recomputed lazily (only when read after a new 100 ms block, O(blocks so far), exact).
 * Loudness range uses a 0.01 LU histogram of short-term values, so reading it costs O(8000) however long the
 * stream; the result is within 0.01 LU of the exact percentile computation.
 * No allocation after construction except when a block is longer than any seen before or the gating-block store
 * doubles (every ~2^k x 100 ms).
 */
import { KWeightingFilter, sumSquaresPair } from './k-weighting';
import {
  ABSOLUTE_GATE_LUFS,
  LRA_HIGH_PERCENTILE,
  LRA_LOW_PERCENTILE,
  LRA_RELATIVE_GATE_LU,
  SUB_BLOCKS_PER_MOMENTARY,
  SUB_BLOCKS_PER_SHORT_TERM,
  defaultChannelWeights,
  gatedLoudness,
  powerToLufs,
  subBlockStart,
} from './loudness';
import { TruePeakDetector, defaultInterpolator } from './true-peak';
import { amplitudeToDb } from './units';

export interface LoudnessMeterOptions {
  /** BS.1770 channel weights; default per channel count (see defaultChannelWeights). */
  channelWeights?: readonly number[];
  /** Track true peak (default true). */
  truePeak?: boolean;
}

export interface MeterReading {
  momentaryLufs: number;
  shortTermLufs: number;
  integratedLufs: number;
  loudnessRangeLu: number;
  momentaryMaxLufs: number;
  shortTermMaxLufs: number;
  truePeakDbtp: number;
  samplePeakDbfs: number;
  truePeakDbtpPerChannel: number[];
  durationSeconds: number;
}

const HIST_MIN = ABSOLUTE_GATE_LUFS;
const HIST_STEP = 0.01;
const HIST_BINS = 8000; // -70 .. +10 LUFS
const RING = SUB_BLOCKS_PER_SHORT_TERM;

export class LoudnessMeter {
  readonly sampleRate: number;
  readonly channelCount: number;
  private readonly weights: Float64Array;
  private readonly filters: KWeightingFilter[];
  private readonly peaks: TruePeakDetector[] | null;
  private readonly pair = new Float64Array(2);
  private zeros = new Float32Array(128);

  private samples = 0;
  private subIndex = 0;
  private subEnd: number;
  private subEnergy = 0;
  private readonly ringEnergy = new Float64Array(RING);
  private readonly ringCount = new Float64Array(RING);

  private momentaryPower = 0;
  private shortTermPower = 0;
  private momentaryMax = -Infinity;
  private shortTermMax = -Infinity;
  private blocks = new Float64Array(1024);
  private blockCount = 0;
  private integratedCache = -Infinity;
  private integratedDirty = false;
  private readonly hist = new Uint32Array(HIST_BINS);
  private histPowerSum = 0;
  private histCount = 0;
  private lraCache = 0;
  private lraDirty = false;

  constructor(sampleRate: number, channelCount: number, options: LoudnessMeterOptions = {}) {
    if (!(channelCount >= 1 && channelCount <= 32)) throw new RangeError(`channel count ${channelCount} out of range`);
    this.sampleRate = sampleRate;
    this.channelCount = channelCount;
    this.weights = options.channelWeights
      ? Float64Array.from({ length: channelCount }, (_, i) => options.channelWeights![i] ?? 1)
      : defaultChannelWeights(channelCount);
    this.filters = Array.from({ length: channelCount }, () => new KWeightingFilter(sampleRate));
    const interp = defaultInterpolator();
    this.peaks =
      options.truePeak === false ? null : Array.from({ length: channelCount }, () => new TruePeakDetector(interp));
    this.subEnd = subBlockStart(1, sampleRate);
  }

  /** Starts again on a new stream: filters and the true-peak history return to silence, every measure restarts. */
  reset(): void {
    for (const f of this.filters) f.reset();
    for (const p of this.peaks ?? []) p.reset();
    this.restartMeasures();
  }

  /**
   * Starts new measurements on a stream that goes on (a live meter's Reset): loudness, maxima and the peak hold
   * restart, while the K-weighting filters and the true-peak interpolator keep their history. reset() there would read
   * the sound's continuation as a step from silence: up to about 1 dB of false true peak on a sine.
   */
  restart(): void {
    for (const p of this.peaks ?? []) p.restartHold();
    this.restartMeasures();
  }

  private restartMeasures(): void {
    this.samples = 0;
    this.subIndex = 0;
    this.subEnd = subBlockStart(1, this.sampleRate);
    this.subEnergy = 0;
    this.ringEnergy.fill(0);
    this.ringCount.fill(0);
    this.momentaryPower = 0;
    this.shortTermPower = 0;
    this.momentaryMax = -Infinity;
    this.shortTermMax = -Infinity;
    this.blockCount = 0;
    this.integratedCache = -Infinity;
    this.integratedDirty = false;
    this.hist.fill(0);
    this.histPowerSum = 0;
    this.histCount = 0;
    this.lraCache = 0;
    this.lraDirty = false;
  }

  /**
   * Pushes one block: planar channels, `length` samples each (default: the first channel's length). Missing
   * channels count as silence.
   */
  push(block: readonly Float32Array[], length = block[0]?.length ?? 0): void {
    if (length <= 0) return;
    const nch = this.channelCount;
    if (block.length < nch && this.zeros.length < length) this.zeros = new Float32Array(length);
    const zeros = this.zeros;
    if (this.peaks) for (let c = 0; c < nch; c++) this.peaks[c]!.push(block[c] ?? zeros, 0, length);
    let pos = 0;
    while (pos < length) {
      const take = Math.min(length - pos, this.subEnd - this.samples);
      const end = pos + take;
      let e = 0;
      for (let c = 0; c < nch; c++) {
        const x = block[c] ?? zeros;
        if (c + 1 < nch) {
          sumSquaresPair(this.filters[c]!, this.filters[c + 1]!, x, block[c + 1] ?? zeros, pos, end, this.pair);
          e += this.weights[c]! * this.pair[0]! + this.weights[c + 1]! * this.pair[1]!;
          c++;
        } else {
          e += this.weights[c]! * this.filters[c]!.sumSquares(x, pos, end);
        }
      }
      this.subEnergy += e;
      this.samples += take;
      pos = end;
      if (this.samples === this.subEnd) this.closeSubBlock();
    }
  }

  private closeSubBlock(): void {
    const j = this.subIndex;
    const slot = j % RING;
    this.ringEnergy[slot] = this.subEnergy;
    this.ringCount[slot] = this.subEnd - subBlockStart(j, this.sampleRate);
    this.subEnergy = 0;
    this.subIndex = j + 1;
    this.subEnd = subBlockStart(j + 2, this.sampleRate);
    const done = j + 1;
    if (done >= SUB_BLOCKS_PER_MOMENTARY) {
      const p = this.windowPower(SUB_BLOCKS_PER_MOMENTARY);
      this.momentaryPower = p;
      const l = powerToLufs(p);
      if (l > this.momentaryMax) this.momentaryMax = l;
      if (this.blockCount === this.blocks.length) {
        const grown = new Float64Array(this.blocks.length * 2);
        grown.set(this.blocks);
        this.blocks = grown;
      }
      this.blocks[this.blockCount++] = p;
      this.integratedDirty = true;
    }
    if (done >= SUB_BLOCKS_PER_SHORT_TERM) {
      const p = this.windowPower(SUB_BLOCKS_PER_SHORT_TERM);
      this.shortTermPower = p;
      const l = powerToLufs(p);
      if (l > this.shortTermMax) this.shortTermMax = l;
      if (l > ABSOLUTE_GATE_LUFS) {
        const bin = Math.min(HIST_BINS - 1, Math.floor((l - HIST_MIN) / HIST_STEP));
        this.hist[bin] = this.hist[bin]! + 1;
        this.histPowerSum += p;
        this.histCount++;
        this.lraDirty = true;
      }
    }
  }

  /** Mean power of the last `span` sub-blocks. */
  private windowPower(span: number): number {
    let e = 0;
    let n = 0;
    for (let k = 1; k <= span; k++) {
      const slot = (this.subIndex - k + RING * 4) % RING;
      e += this.ringEnergy[slot]!;
      n += this.ringCount[slot]!;
    }
    return n > 0 ? Math.max(0, e) / n : 0;
  }

  /** Momentary loudness (400 ms), LUFS; -Infinity before 400 ms or in silence. Updated every 100 ms. */
  get momentary(): number {
    return this.subIndex >= SUB_BLOCKS_PER_MOMENTARY ? powerToLufs(this.momentaryPower) : -Infinity;
  }

  /** Short-term loudness (3 s), LUFS; -Infinity before 3 s. Updated every 100 ms. */
  get shortTerm(): number {
    return this.subIndex >= SUB_BLOCKS_PER_SHORT_TERM ? powerToLufs(this.shortTermPower) : -Infinity;
  }

  get momentaryMaxLufs(): number {
    return this.momentaryMax;
  }

  get shortTermMaxLufs(): number {
    return this.shortTermMax;
  }

  /** Gated integrated loudness since the last reset, LUFS (BS.1770-4). */
  get integrated(): number {
    if (this.integratedDirty) {
      this.integratedCache = gatedLoudness(this.blocks, this.blockCount);
      this.integratedDirty = false;
    }
    return this.integratedCache;
  }

  /** Loudness range since the last reset, LU (EBU Tech 3342), from the short-term histogram. */
  get loudnessRange(): number {
    if (this.lraDirty) {
      this.lraCache = this.computeRange();
      this.lraDirty = false;
    }
    return this.lraCache;
  }

  private computeRange(): number {
    if (this.histCount === 0) return 0;
    const gate = Math.max(ABSOLUTE_GATE_LUFS, powerToLufs(this.histPowerSum / this.histCount) + LRA_RELATIVE_GATE_LU);
    // Bin b holds [HIST_MIN + b step, HIST_MIN + (b+1) step): keep bins whose lower edge is above the gate.
    const first = Math.max(0, Math.ceil((gate - HIST_MIN) / HIST_STEP - 1e-9));
    let k = 0;
    for (let b = first; b < HIST_BINS; b++) k += this.hist[b]!;
    if (k < 2) return 0;
    const rankLo = Math.round((k - 1) * LRA_LOW_PERCENTILE);
    const rankHi = Math.round((k - 1) * LRA_HIGH_PERCENTILE);
    let seen = 0;
    let lo = NaN;
    let hi = NaN;
    for (let b = first; b < HIST_BINS; b++) {
      const c = this.hist[b]!;
      if (c === 0) continue;
      if (Number.isNaN(lo) && seen + c > rankLo) lo = b;
      if (seen + c > rankHi) {
        hi = b;
        break;
      }
      seen += c;
    }
    return (hi - lo) * HIST_STEP;
  }

  /** Largest true peak so far over all channels, dBTP (-Infinity if disabled or silent). */
  get truePeak(): number {
    if (!this.peaks) return -Infinity;
    let m = 0;
    for (const p of this.peaks) m = Math.max(m, p.peak);
    return amplitudeToDb(m);
  }

  truePeakOfChannel(channel: number): number {
    return this.peaks ? amplitudeToDb(this.peaks[channel]?.peak ?? 0) : -Infinity;
  }

  /** Largest sample magnitude so far, dBFS (needs truePeak enabled). */
  get samplePeak(): number {
    if (!this.peaks) return -Infinity;
    let m = 0;
    for (const p of this.peaks) m = Math.max(m, p.samplePeak);
    return amplitudeToDb(m);
  }

  get durationSeconds(): number {
    return this.samples / this.sampleRate;
  }

  /** Snapshot of every figure (one small object; call it at display rate, not per block). */
  read(): MeterReading {
    return {
      momentaryLufs: this.momentary,
      shortTermLufs: this.shortTerm,
      integratedLufs: this.integrated,
      loudnessRangeLu: this.loudnessRange,
      momentaryMaxLufs: this.momentaryMax,
      shortTermMaxLufs: this.shortTermMax,
      truePeakDbtp: this.truePeak,
      samplePeakDbfs: this.samplePeak,
      truePeakDbtpPerChannel: Array.from({ length: this.channelCount }, (_, c) => this.truePeakOfChannel(c)),
      durationSeconds: this.durationSeconds,
    };
  }
}
