/**
 * K-weighting filter of ITU-R BS.1770-4, derived for any sample rate.
 *
 * BS.1770 only tabulates the two biquads for 48 kHz. Like libebur128, we go back to the analog prototypes the table
 * was made from and apply the bilinear transform with frequency pre-warping (K = tan(pi f0 / fs)):
 *
 *  - stage 1, "pre-filter": a second-order high shelf (models the acoustic effect of the head),
 *      H(s) = (Vh s^2 + Vb (w0/Q) s + w0^2) / (s^2 + (w0/Q) s + w0^2)
 *    with f0 ~ 1681.97 Hz, Q ~ 0.7072, shelf gain ~ +4.0 dB (Vh = 10^(G/20)), Vb = Vh^0.49967;
 *  - stage 2, "RLB" high-pass: H(s) = s^2 / (s^2 + (w0/Q) s + w0^2) with f0 ~ 38.135 Hz, Q ~ 0.5003.
 *    As in the standard's table its numerator is left at (1, -2, 1), i.e. not divided by a0.
 *
 * The prototype parameters are the published fit that reproduces the BS.1770 table (to ~1e-9 at 48 kHz).
 */

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  /** Denominator, normalised so that a0 = 1: y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2]. */
  a1: number;
  a2: number;
}

export interface KWeightingCoefficients {
  shelf: Biquad;
  highPass: Biquad;
}

const SHELF_F0 = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
const SHELF_VB_EXPONENT = 0.4996667741545416;
const HIGHPASS_F0 = 38.13547087602444;
const HIGHPASS_Q = 0.5003270373238773;

/** Bilinear transform of the analog K-weighting prototypes at sample rate `sampleRate` (Hz). */
export function kWeightingCoefficients(sampleRate: number): KWeightingCoefficients {
  if (!(sampleRate > 2 * SHELF_F0)) throw new RangeError(`sample rate ${sampleRate} Hz is too low for K-weighting`);

  // Stage 1: high shelf. Substitute s = (1 - z^-1)/(1 + z^-1) / K (pre-warped) and collect powers of z^-1.
  const k = Math.tan((Math.PI * SHELF_F0) / sampleRate);
  const k2 = k * k;
  const vh = Math.pow(10, SHELF_GAIN_DB / 20);
  const vb = Math.pow(vh, SHELF_VB_EXPONENT);
  const den = 1 + k / SHELF_Q + k2;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / SHELF_Q + k2) / den,
    b1: (2 * (k2 - vh)) / den,
    b2: (vh - (vb * k) / SHELF_Q + k2) / den,
    a1: (2 * (k2 - 1)) / den,
    a2: (1 - k / SHELF_Q + k2) / den,
  };

  // Stage 2: second-order high-pass, numerator kept at (1, -2, 1) as in the BS.1770 table.
  const kh = Math.tan((Math.PI * HIGHPASS_F0) / sampleRate);
  const kh2 = kh * kh;
  const denH = 1 + kh / HIGHPASS_Q + kh2;
  const highPass: Biquad = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (kh2 - 1)) / denH,
    a2: (1 - kh / HIGHPASS_Q + kh2) / denH,
  };
  return { shelf, highPass };
}

/** Magnitude response (linear) of the K-weighting cascade at `freq` Hz; used by tests and for documentation. */
export function kWeightingGain(coefficients: KWeightingCoefficients, freq: number, sampleRate: number): number {
  const w = (2 * Math.PI * freq) / sampleRate;
  return biquadGain(coefficients.shelf, w) * biquadGain(coefficients.highPass, w);
}

function biquadGain(q: Biquad, w: number): number {
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  const nr = q.b0 + q.b1 * c1 + q.b2 * c2;
  const ni = -(q.b1 * s1 + q.b2 * s2);
  const dr = 1 + q.a1 * c1 + q.a2 * c2;
  const di = -(q.a1 * s1 + q.a2 * s2);
  return Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
}

/** Below this magnitude the filter state is flushed to zero so long silences never run on denormals. */
const DENORMAL_FLOOR = 1e-25;

/**
 * One channel of K-weighting with persistent state (transposed direct form II, float64 state).
 * The only operation loudness needs is "filter this span and give me the sum of squares", so the filtered signal
 * is never stored.
 */
export class KWeightingFilter {
  private readonly c: KWeightingCoefficients;
  private readonly scratch = new Float64Array(4);
  private s1 = 0;
  private s2 = 0;
  private t1 = 0;
  private t2 = 0;

  constructor(sampleRate: number) {
    this.c = kWeightingCoefficients(sampleRate);
  }

  reset(): void {
    this.s1 = this.s2 = this.t1 = this.t2 = 0;
  }

  get coefficients(): KWeightingCoefficients {
    return this.c;
  }

  /** Internal state [s1, s2, t1, t2] (a view reused between calls). */
  exportState(): Float64Array {
    const s = this.scratch;
    s[0] = this.s1;
    s[1] = this.s2;
    s[2] = this.t1;
    s[3] = this.t2;
    return s;
  }

  importState(s1: number, s2: number, t1: number, t2: number): void {
    this.s1 = Math.abs(s1) < DENORMAL_FLOOR ? 0 : s1;
    this.s2 = Math.abs(s2) < DENORMAL_FLOOR ? 0 : s2;
    this.t1 = Math.abs(t1) < DENORMAL_FLOOR ? 0 : t1;
    this.t2 = Math.abs(t2) < DENORMAL_FLOOR ? 0 : t2;
  }

  /** Filters input[from..to) and returns the sum of the squared K-weighted samples. */
  sumSquares(input: Float32Array, from: number, to: number): number {
    const { b0, b1, b2, a1, a2 } = this.c.shelf;
    const h = this.c.highPass;
    const c0 = h.b0;
    const c1 = h.b1;
    const c2 = h.b2;
    const d1 = h.a1;
    const d2 = h.a2;
    let s1 = this.s1;
    let s2 = this.s2;
    let t1 = this.t1;
    let t2 = this.t2;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const x = input[i]!;
      const y = b0 * x + s1;
      s1 = b1 * x - a1 * y + s2;
      s2 = b2 * x - a2 * y;
      const z = c0 * y + t1;
      t1 = c1 * y - d1 * z + t2;
      t2 = c2 * y - d2 * z;
      sum += z * z;
    }
    this.importState(s1, s2, t1, t2);
    return sum;
  }
}

/**
 * Two channels at once (e.g. L and R): the same as two sumSquares calls, but the two independent recursions are
 * interleaved so the CPU overlaps their latency chains (about 1.7x faster than channel by channel).
 * Writes the two sums of squares into out[0] and out[1].
 */
export function sumSquaresPair(
  fa: KWeightingFilter,
  fb: KWeightingFilter,
  xa: Float32Array,
  xb: Float32Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  const sa = fa.exportState();
  const sb = fb.exportState();
  const { b0, b1, b2, a1, a2 } = fa.coefficients.shelf;
  const h = fa.coefficients.highPass;
  const c0 = h.b0;
  const c1 = h.b1;
  const c2 = h.b2;
  const d1 = h.a1;
  const d2 = h.a2;
  let p1 = sa[0]!;
  let p2 = sa[1]!;
  let p3 = sa[2]!;
  let p4 = sa[3]!;
  let q1 = sb[0]!;
  let q2 = sb[1]!;
  let q3 = sb[2]!;
  let q4 = sb[3]!;
  let ea = 0;
  let eb = 0;
  for (let i = from; i < to; i++) {
    const x = xa[i]!;
    const u = xb[i]!;
    const y = b0 * x + p1;
    const v = b0 * u + q1;
    p1 = b1 * x - a1 * y + p2;
    q1 = b1 * u - a1 * v + q2;
    p2 = b2 * x - a2 * y;
    q2 = b2 * u - a2 * v;
    const z = c0 * y + p3;
    const w = c0 * v + q3;
    p3 = c1 * y - d1 * z + p4;
    q3 = c1 * v - d1 * w + q4;
    p4 = c2 * y - d2 * z;
    q4 = c2 * v - d2 * w;
    ea += z * z;
    eb += w * w;
  }
  fa.importState(p1, p2, p3, p4);
  fb.importState(q1, q2, q3, q4);
  out[0] = ea;
  out[1] = eb;
}
