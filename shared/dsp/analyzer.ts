// Over 400 lines: the streaming stages (halver, decimator, spectrum) and the analyzer that feeds them, one pipeline.
/**
 * The whole-file analysis, fed a slice at a time: memory stays a few slices and some per-file tables (100 ms
 * loudness blocks, the decimated mono mix for tempo and key), whatever the file's length or sample rate. The figures
 * are those of analyzeAudio on the same samples (test/analyzer.test.ts compares them).
 */
import { assembleReport, type AnalysisReport, type AnalyzeOptions } from './analyze';
import { decimationFactor, type Decimated } from './decimate';
import { RealFFT, hannWindow } from './fft';
import { KWeightingFilter, sumSquaresPair } from './k-weighting';
import {
  defaultChannelWeights,
  gatedLoudness,
  loudnessRange,
  powerToLufs,
  subBlockStart,
  SUB_BLOCKS_PER_MOMENTARY,
  SUB_BLOCKS_PER_SHORT_TERM,
  windowPowers,
} from './loudness';
import { defaultFftSize, type AveragedSpectrum } from './spectrum';
import { imageFromSums, type ChannelLevels } from './stats';
import { TruePeakDetector, defaultInterpolator } from './true-peak';

/**
 * decimate.ts's halving stage ([1 3 3 1]/8, edges held) on a stream of known total length `n`: outputs come out as
 * soon as their four inputs are in, with the same arithmetic (so the same float32 values) as the whole-array one.
 * `stereo`: the first stage of a stereo pair, which mixes as it halves (decimate.ts halveStereo).
 */
class StreamingHalver {
  readonly #m: number;
  #a: Float32Array<ArrayBufferLike> = new Float32Array(0);
  #b: Float32Array<ArrayBufferLike> = new Float32Array(0);
  /** Index (in the input) of #a[0]. */
  #base = 0;
  #received = 0;
  #next = 0;

  constructor(
    private readonly n: number,
    private readonly stereo: boolean,
  ) {
    this.#m = n >> 1;
  }

  push(a: Float32Array, b?: Float32Array): Float32Array {
    this.#a = concat(this.#a, a);
    if (this.stereo) this.#b = concat(this.#b, b!);
    this.#received += a.length;
    return this.#emit(false);
  }

  finish(): Float32Array {
    return this.#emit(true);
  }

  #emit(final: boolean): Float32Array {
    const m = this.#m;
    const n = this.n;
    const out: number[] = [];
    const A = this.#a;
    const B = this.#b;
    const base = this.#base;
    const x = (i: number) => A[i - base]!;
    const s = (i: number) => A[i - base]! + B[i - base]!;
    // Small stereo files: decimate.ts mixes, then halves as mono.
    const smallStereo = this.stereo && m < 3;
    const at = (i: number) => (smallStereo ? Math.fround(Math.fround(A[i - base]! * 0.5) + B[i - base]! * 0.5) : x(i));
    while (this.#next < m) {
      const j = this.#next;
      const last = j === m - 1;
      // Inputs needed: up to 2j+2 (clamped to n-1); the last output waits for the end of the stream.
      if (last ? !final && this.#received < n : this.#received < Math.min(n, 2 * j + 3)) break;
      let y: number;
      if (this.stereo && !smallStereo) {
        if (j === 0) y = (s(0) * 4 + s(1) * 3 + s(2)) / 16;
        else if (!last) {
          const i = 2 * j;
          y =
            (A[i - 1 - base]! +
              B[i - 1 - base]! +
              3 * (A[i - base]! + B[i - base]! + A[i + 1 - base]! + B[i + 1 - base]!) +
              A[i + 2 - base]! +
              B[i + 2 - base]!) *
            0.0625;
        } else {
          const i = 2 * (m - 1);
          y = (s(i - 1) + 3 * s(i) + 3 * s(i + 1) + (i + 2 < n ? s(i + 2) : s(i + 1))) / 16;
        }
      } else if (j === 0) {
        y = (at(0) * 4 + at(1) * 3 + (n > 2 ? at(2) : at(1))) / 8;
      } else if (!last) {
        const i = 2 * j;
        y = (at(i - 1) + 3 * (at(i) + at(i + 1)) + at(i + 2)) * 0.125;
      } else {
        const i = 2 * (m - 1);
        y = (at(i - 1) + 3 * at(i) + 3 * at(i + 1) + (i + 2 < n ? at(i + 2) : at(i + 1))) * 0.125;
      }
      out.push(y);
      this.#next += 1;
    }
    // Keep from the first input the next output needs (2j-1).
    const keepFrom = Math.max(0, 2 * this.#next - 1);
    if (keepFrom > this.#base) {
      this.#a = this.#a.subarray(keepFrom - this.#base);
      if (this.stereo) this.#b = this.#b.subarray(keepFrom - this.#base);
      this.#base = keepFrom;
    }
    return Float32Array.from(out);
  }
}

function concat(a: Float32Array<ArrayBufferLike>, b: Float32Array<ArrayBufferLike>): Float32Array<ArrayBufferLike> {
  if (a.length === 0) return b;
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** decimatedMono (decimate.ts) on a stream: a cascade of halvers, the decimated samples collected. */
class StreamingDecimator {
  readonly #stages: StreamingHalver[] = [];
  readonly #parts: Float32Array[] = [];
  readonly #mixOnly: boolean;
  readonly sampleRate: number;

  constructor(
    private readonly channels: number,
    sampleRate: number,
    length: number,
  ) {
    const d = decimationFactor(sampleRate);
    this.sampleRate = sampleRate / d;
    let n = length;
    let k = 1;
    if (channels === 2 && d >= 2) {
      this.#stages.push(new StreamingHalver(n, true));
      n >>= 1;
      k = 2;
    }
    for (; k < d; k *= 2) {
      this.#stages.push(new StreamingHalver(n, false));
      n >>= 1;
    }
    this.#mixOnly = !(channels === 2 && d >= 2);
  }

  push(slice: readonly Float32Array[]): void {
    let x: Float32Array;
    if (this.#mixOnly) {
      x = this.channels === 1 ? slice[0]!.slice() : mix(slice);
      this.#cascade(x, 0);
    } else {
      this.#cascade(this.#stages[0]!.push(slice[0]!, slice[1]!), 1);
    }
  }

  #cascade(x: Float32Array, from: number): void {
    for (let i = from; i < this.#stages.length; i++) x = this.#stages[i]!.push(x);
    if (x.length) this.#parts.push(x);
  }

  finish(): Decimated {
    for (let i = 0; i < this.#stages.length; i++) {
      let x = this.#stages[i]!.finish();
      for (let k = i + 1; k < this.#stages.length; k++) x = this.#stages[k]!.push(x);
      if (x.length) this.#parts.push(x);
    }
    const total = this.#parts.reduce((n, p) => n + p.length, 0);
    const samples = new Float32Array(total);
    let at = 0;
    for (const p of this.#parts) {
      samples.set(p, at);
      at += p.length;
    }
    return { samples, sampleRate: this.sampleRate };
  }
}

/** decimate.ts mixDown: sum / channel count, added channel by channel in float32. */
function mix(slice: readonly Float32Array[]): Float32Array {
  const n = slice[0]!.length;
  const mono = new Float32Array(n);
  const g = 1 / slice.length;
  for (const ch of slice) for (let i = 0; i < n; i++) mono[i] = mono[i]! + ch[i]! * g;
  return mono;
}

/** The averaged spectrum (spectrum.ts averagedSpectrum) from frames taken as the stream passes their place. */
class StreamingSpectrum {
  readonly fftSize: number;
  readonly #starts: number[];
  readonly #fft: RealFFT;
  readonly #window: Float64Array;
  readonly #wss: number;
  readonly #acc: Float64Array;
  readonly #frame: Float64Array;
  /** Frames being filled: start -> one buffer per channel. */
  readonly #open = new Map<number, Float32Array[]>();
  #nextFrame = 0;

  constructor(
    private readonly channels: number,
    private readonly sampleRate: number,
    private readonly length: number,
    options: { fftSize?: number; maxFrames?: number },
  ) {
    let n = options.fftSize ?? defaultFftSize(sampleRate);
    while (n > 256 && n > length) n >>= 1;
    this.fftSize = n;
    this.#fft = new RealFFT(n);
    this.#window = hannWindow(n);
    let wss = 0;
    for (let i = 0; i < n; i++) wss += this.#window[i]! * this.#window[i]!;
    this.#wss = wss;
    this.#acc = new Float64Array(n / 2 + 1);
    this.#frame = new Float64Array(n / 2 + 1);
    const maxFrames = Math.max(1, options.maxFrames ?? 64);
    if (length < n) this.#starts = [0];
    else {
      const available = Math.floor((length - n) / (n / 2)) + 1;
      const count = Math.min(available, maxFrames);
      const span = length - n;
      this.#starts = Array.from({ length: count }, (_, f) => (count === 1 ? 0 : Math.round((f * span) / (count - 1))));
    }
  }

  push(slice: readonly Float32Array[], pos: number): void {
    const end = pos + slice[0]!.length;
    const n = this.fftSize;
    while (this.#nextFrame < this.#starts.length && this.#starts[this.#nextFrame]! < end) {
      this.#open.set(
        this.#starts[this.#nextFrame]!,
        Array.from({ length: this.channels }, () => new Float32Array(n)),
      );
      this.#nextFrame += 1;
    }
    for (const [start, buffers] of this.#open) {
      const from = Math.max(start, pos);
      const to = Math.min(start + n, end, this.length);
      if (to > from) buffers.forEach((b, c) => b.set(slice[c]!.subarray(from - pos, to - pos), from - start));
      if (Math.min(start + n, this.length) <= end) {
        for (const b of buffers) this.#add(b);
        this.#open.delete(start);
      }
    }
  }

  #add(frame: Float32Array): void {
    this.#fft.powerSpectrum(frame, this.#frame, this.#window);
    for (let k = 0; k < this.#acc.length; k++) this.#acc[k] = this.#acc[k]! + this.#frame[k]!;
  }

  finish(): AveragedSpectrum {
    for (const buffers of this.#open.values()) for (const b of buffers) this.#add(b);
    this.#open.clear();
    const n = this.fftSize;
    const bins = n / 2 + 1;
    const frames = this.#starts.length;
    const norm = 1 / (frames * Math.max(1, this.channels) * n * this.#wss);
    const power = Float64Array.from(this.#acc, (v, k) => v * norm * (k === 0 || k === bins - 1 ? 1 : 2));
    return { sampleRate: this.sampleRate, fftSize: n, power, frames };
  }
}

/**
 * analyzeAudio on a stream: `push` the samples in order (planar slices of any length, the same for every channel),
 * then `finish`. The total length must be known at the start (a WAV header says it): the spectrum's frames and the
 * decimator's edges depend on it.
 */
export class AudioAnalyzer {
  readonly #nch: number;
  readonly #weights: Float64Array;
  readonly #filters: KWeightingFilter[];
  readonly #energy: Float64Array;
  readonly #count: Float64Array;
  readonly #pair = new Float64Array(2);
  readonly #sum: Float64Array;
  readonly #sq: Float64Array;
  readonly #peak: Float64Array;
  #lr = 0;
  readonly #truePeak: TruePeakDetector[] | null;
  readonly #spectrum: StreamingSpectrum | null;
  readonly #decimator: StreamingDecimator | null;
  #pos = 0;
  #subBlock = 0;

  constructor(
    channelCount: number,
    private readonly sampleRate: number,
    private readonly length: number,
    private readonly options: Omit<AnalyzeOptions, 'onProgress'> = {},
  ) {
    if (channelCount < 1) throw new RangeError('AudioAnalyzer needs at least one channel');
    if (!(sampleRate >= 8000 && sampleRate <= 768000))
      throw new RangeError(`sample rate ${sampleRate} Hz out of range`);
    this.#nch = channelCount;
    this.#weights = options.channelWeights
      ? Float64Array.from(options.channelWeights)
      : defaultChannelWeights(channelCount);
    this.#filters = Array.from({ length: channelCount }, () => new KWeightingFilter(sampleRate));
    let blocks = 0;
    while (subBlockStart(blocks + 1, sampleRate) <= length) blocks++;
    this.#energy = new Float64Array(blocks);
    this.#count = new Float64Array(blocks);
    for (let j = 0; j < blocks; j++) this.#count[j] = subBlockStart(j + 1, sampleRate) - subBlockStart(j, sampleRate);
    this.#sum = new Float64Array(channelCount);
    this.#sq = new Float64Array(channelCount);
    this.#peak = new Float64Array(channelCount);
    this.#truePeak =
      (options.truePeak ?? true)
        ? Array.from({ length: channelCount }, () => {
            const d = new TruePeakDetector(defaultInterpolator());
            d.reset();
            return d;
          })
        : null;
    const spectrum = options.spectrum ?? true;
    this.#spectrum =
      spectrum !== false
        ? new StreamingSpectrum(channelCount, sampleRate, length, typeof spectrum === 'object' ? spectrum : {})
        : null;
    this.#decimator =
      (options.tempo ?? true) || (options.key ?? true)
        ? new StreamingDecimator(channelCount, sampleRate, length)
        : null;
  }

  /** Frames pushed so far. */
  get position(): number {
    return this.#pos;
  }

  push(slice: readonly Float32Array[]): void {
    if (slice.length !== this.#nch) throw new RangeError(`expected ${this.#nch} channels, got ${slice.length}`);
    const n = Math.min(slice[0]!.length, this.length - this.#pos);
    if (n <= 0) return;
    const part = slice.map((c) => c.subarray(0, n));
    this.#loudness(part);
    this.#levels(part);
    if (this.#truePeak) this.#truePeak.forEach((d, c) => d.push(part[c]!, 0, n));
    this.#spectrum?.push(part, this.#pos);
    this.#decimator?.push(part);
    this.#pos += n;
  }

  #loudness(part: readonly Float32Array[]): void {
    const n = part[0]!.length;
    const end = this.#pos + n;
    while (this.#subBlock < this.#energy.length) {
      const j = this.#subBlock;
      const blockEnd = subBlockStart(j + 1, this.sampleRate);
      const from = Math.max(subBlockStart(j, this.sampleRate), this.#pos) - this.#pos;
      const to = Math.min(blockEnd, end) - this.#pos;
      for (let c = 0; c < this.#nch; c += 2) {
        const ga = this.#weights[c] ?? 1;
        const gb = this.#weights[c + 1] ?? 1;
        if (c + 1 < this.#nch) {
          sumSquaresPair(this.#filters[c]!, this.#filters[c + 1]!, part[c]!, part[c + 1]!, from, to, this.#pair);
          this.#energy[j] = this.#energy[j]! + ga * this.#pair[0]! + gb * this.#pair[1]!;
        } else {
          this.#energy[j] = this.#energy[j]! + ga * this.#filters[c]!.sumSquares(part[c]!, from, to);
        }
      }
      if (blockEnd > end) break;
      this.#subBlock += 1;
    }
  }

  #levels(part: readonly Float32Array[]): void {
    const n = part[0]!.length;
    for (let c = 0; c < this.#nch; c++) {
      const x = part[c]!;
      let sum = this.#sum[c]!;
      let sq = this.#sq[c]!;
      let peak = this.#peak[c]!;
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        sum += v;
        sq += v * v;
        const a = Math.abs(v);
        peak = a > peak ? a : peak;
      }
      this.#sum[c] = sum;
      this.#sq[c] = sq;
      this.#peak[c] = peak;
    }
    if (this.#nch >= 2) {
      const l = part[0]!;
      const r = part[1]!;
      let lr = this.#lr;
      for (let i = 0; i < n; i++) lr += l[i]! * r[i]!;
      this.#lr = lr;
    }
  }

  finish(): AnalysisReport {
    const length = this.#pos;
    const sub = { energy: this.#energy, count: this.#count };
    const mPow = windowPowers(sub, SUB_BLOCKS_PER_MOMENTARY);
    const sPow = windowPowers(sub, SUB_BLOCKS_PER_SHORT_TERM);
    const maxLufs = (p: Float64Array) => p.reduce((m, v) => Math.max(m, powerToLufs(v)), -Infinity);
    const levels: ChannelLevels[] = Array.from({ length: this.#nch }, (_, c) => ({
      samplePeak: this.#peak[c]!,
      rms: length > 0 ? Math.sqrt(this.#sq[c]! / length) : 0,
      dc: length > 0 ? this.#sum[c]! / length : 0,
      sumSquares: this.#sq[c]!,
    }));
    const truePeaks = this.#truePeak?.map((d, c) => {
      d.flush();
      return Math.max(d.peak, levels[c]!.samplePeak);
    });
    return assembleReport({
      sampleRate: this.sampleRate,
      channelCount: this.#nch,
      length,
      loudness: {
        integratedLufs: gatedLoudness(mPow),
        momentaryMaxLufs: maxLufs(mPow),
        shortTermMaxLufs: maxLufs(sPow),
        rangeLu: loudnessRange(sPow),
        shortTerm: sPow,
      },
      levels,
      stereo: this.#nch >= 2 ? imageFromSums(this.#sq[0]!, this.#sq[1]!, this.#lr) : null,
      truePeaks: truePeaks ?? null,
      spectrum: this.#spectrum?.finish() ?? null,
      mono: this.#decimator?.finish() ?? null,
      tempo: this.options.tempo ?? true,
      key: this.options.key ?? true,
    });
  }
}
