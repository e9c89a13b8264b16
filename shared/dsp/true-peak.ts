/**
 * True peak per ITU-R BS.1770-4 Annex 2: oversample (default 4x) with a polyphase FIR interpolator and take the
 * largest magnitude. Works in float, so the standard's 12.04 dB pre-attenuation is unnecessary.
 *
 * The interpolator is a Kaiser-windowed sinc with its cut-off at the original Nyquist frequency. Such a filter is a
 * "Nyquist filter": its phase 0 reproduces the input samples exactly, so only phases 1..L-1 are computed and the
 * sample peak is folded in directly.
 *
 * Speed: an interpolated value between samples can never exceed (sum_i |c_i|) * max|x| over the filter support.
 * Samples are handled in groups of 32; a group whose local bound cannot beat the running maximum is skipped.
 * This is exact (the bound is a hard bound) and skips almost everything in ordinary programme material, because
 * the running maximum is seeded with the sample peak.
 */

export interface Interpolator {
  /** Oversampling factor L. */
  readonly factor: number;
  /** Taps per phase P (even). Latency is P/2 input samples. */
  readonly taps: number;
  /** Coefficients of phases 1..L-1, phase-major: coef[(phase - 1) * taps + i]. */
  readonly coef: Float64Array;
  /** max over phases of sum |c|: the worst-case gain used for pruning. */
  readonly l1: number;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * Designs an L-phase interpolator with P taps per phase. The tap i of phase p multiplies x[n - P/2 + 1 + i] to give
 * the value at time n + p/L. Each phase is normalised to unity DC gain.
 */
export function designInterpolator(factor = 4, taps = 16, kaiserBeta = 7): Interpolator {
  if (!Number.isInteger(factor) || factor < 2 || factor > 16) throw new RangeError('factor must be an integer 2..16');
  if (!Number.isInteger(taps) || taps < 4 || taps % 2 !== 0) throw new RangeError('taps must be an even integer >= 4');
  const half = taps / 2;
  const coef = new Float64Array((factor - 1) * taps);
  const i0b = besselI0(kaiserBeta);
  let l1 = 0;
  for (let p = 1; p < factor; p++) {
    let sum = 0;
    for (let i = 0; i < taps; i++) {
      const t = p / factor + half - 1 - i; // distance (in input samples) from tap to the interpolated instant
      const sinc = Math.sin(Math.PI * t) / (Math.PI * t);
      const r = t / half; // -1..1 across the support
      const w = besselI0(kaiserBeta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
      const c = sinc * w;
      coef[(p - 1) * taps + i] = c;
      sum += c;
    }
    let abs = 0;
    for (let i = 0; i < taps; i++) {
      const c = coef[(p - 1) * taps + i]! / sum;
      coef[(p - 1) * taps + i] = c;
      abs += Math.abs(c);
    }
    if (abs > l1) l1 = abs;
  }
  return { factor, taps, coef, l1 };
}

const GROUP = 32;

let sharedDefault: Interpolator | undefined;
/** The default 4x, 16-tap-per-phase interpolator (64-tap prototype). */
export function defaultInterpolator(): Interpolator {
  return (sharedDefault ??= designInterpolator());
}

/**
 * Streaming true-peak detector for one channel: push any block size; `peak` is the largest |value| seen so far
 * on the oversampled signal (linear). Output lags the input by taps/2 samples; call `flush()` at end of stream.
 */
export class TruePeakDetector {
  private readonly f: Interpolator;
  private readonly hist: number;
  private buf: Float32Array;
  /** Largest oversampled magnitude so far (linear, includes the samples themselves). */
  peak = 0;
  /** Largest sample magnitude so far (linear). */
  samplePeak = 0;

  constructor(interpolator: Interpolator = defaultInterpolator()) {
    this.f = interpolator;
    this.hist = interpolator.taps - 1;
    this.buf = new Float32Array(this.hist + 4096);
  }

  reset(): void {
    this.buf.fill(0);
    this.peak = 0;
    this.samplePeak = 0;
  }

  /** Raises the running maximum to `value` (e.g. a sample peak known in advance) so more groups are pruned. */
  seed(value: number): void {
    if (value > this.peak) this.peak = value;
  }

  push(input: Float32Array, from = 0, to = input.length): void {
    const count = to - from;
    if (count <= 0) return;
    const hist = this.hist;
    if (this.buf.length < hist + count) {
      const grown = new Float32Array(hist + count);
      grown.set(this.buf.subarray(0, hist));
      this.buf = grown;
    }
    const buf = this.buf;
    buf.set(input.subarray(from, to), hist);
    let sp = this.samplePeak;
    for (let i = hist, end = hist + count; i < end; i++) {
      const a = Math.abs(buf[i]!);
      if (a > sp) sp = a;
    }
    this.samplePeak = sp;
    if (sp > this.peak) this.peak = sp;
    this.scan(count);
    buf.copyWithin(0, count, count + hist);
  }

  /** Feeds taps/2 zeros so that the interpolated values around the last real samples are examined. */
  flush(): void {
    const zeros = new Float32Array(this.f.taps / 2);
    const keep = this.samplePeak;
    this.push(zeros);
    this.samplePeak = keep;
  }

  /** Interpolates between buf[n] and buf[n+1] for the `count` positions whose full support is in the buffer. */
  private scan(count: number): void {
    const { taps, coef, l1, factor } = this.f;
    const buf = this.buf;
    const half = taps / 2;
    const first = half - 1;
    const last = first + count; // exclusive
    let peak = this.peak;
    for (let g = first; g < last; g += GROUP) {
      const gEnd = Math.min(last, g + GROUP);
      // Bound over the support of every position in the group: [g - half + 1, gEnd - 1 + half].
      let local = 0;
      for (let i = g - half + 1, e = gEnd + half; i < e; i++) {
        const a = Math.abs(buf[i]!);
        if (a > local) local = a;
      }
      if (local * l1 <= peak) continue;
      for (let n = g; n < gEnd; n++) {
        const base = n - half + 1;
        for (let p = 0; p < factor - 1; p++) {
          const off = p * taps;
          let v = 0;
          for (let i = 0; i < taps; i++) v += coef[off + i]! * buf[base + i]!;
          if (v < 0) v = -v;
          if (v > peak) peak = v;
        }
      }
    }
    this.peak = peak;
  }
}

/**
 * True peak (linear) of a whole channel. `samplePeak`, when known, seeds the running maximum for better pruning.
 */
export function truePeak(
  channel: Float32Array,
  samplePeak = 0,
  interpolator: Interpolator = defaultInterpolator(),
  detector: TruePeakDetector = new TruePeakDetector(interpolator),
): number {
  detector.reset();
  detector.seed(samplePeak);
  const chunk = 16384;
  for (let i = 0; i < channel.length; i += chunk) detector.push(channel, i, Math.min(channel.length, i + chunk));
  detector.flush();
  return detector.peak;
}
