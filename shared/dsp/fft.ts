/**
 * Radix-2 real FFT. A real input of length N is packed into a complex sequence of length N/2
 * (z[n] = x[2n] + i x[2n+1]), transformed with an iterative in-place radix-2 FFT, then split into the spectrum of
 * the real signal. Bit-reversal indices and all twiddles are computed once per size; transforms allocate nothing.
 */

export class RealFFT {
  readonly size: number;
  private readonly half: number;
  private readonly rev: Uint32Array;
  private readonly cosM: Float64Array;
  private readonly sinM: Float64Array;
  private readonly cosN: Float64Array;
  private readonly sinN: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FFT size must be a power of two >= 4, got ${size}`);
    }
    this.size = size;
    const m = size / 2;
    this.half = m;
    const bits = Math.round(Math.log2(m));
    this.rev = new Uint32Array(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cosM = new Float64Array(m / 2);
    this.sinM = new Float64Array(m / 2);
    for (let k = 0; k < m / 2; k++) {
      this.cosM[k] = Math.cos((2 * Math.PI * k) / m);
      this.sinM[k] = Math.sin((2 * Math.PI * k) / m);
    }
    this.cosN = new Float64Array(m + 1);
    this.sinN = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.cosN[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinN[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
  }

  /**
   * Spectrum of the real `input` (length >= size; only the first `size` values are read), optionally multiplied by
   * `window` first. Writes bins 0..size/2 into outRe/outIm (length >= size/2 + 1).
   */
  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, window?: Float64Array): void {
    this.packAndTransform(input, window);
    const m = this.half;
    const re = this.re;
    const im = this.im;
    const cosN = this.cosN;
    const sinN = this.sinN;
    for (let k = 0; k <= m; k++) {
      const a = k === m ? 0 : k;
      const b = k === 0 ? 0 : m - k;
      const zr = re[a]!;
      const zi = im[a]!;
      const cr = re[b]!;
      const ci = -im[b]!;
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      // (Z - conj(Z[M-k])) / (2i)
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = cosN[k]!;
      const wi = -sinN[k]!;
      outRe[k] = er + wr * or - wi * oi;
      outIm[k] = ei + wr * oi + wi * or;
    }
  }

  /** |X_k|^2 for k = 0..size/2 into `out` (length >= size/2 + 1). */
  powerSpectrum(input: ArrayLike<number>, out: Float64Array, window?: Float64Array): void {
    this.packAndTransform(input, window);
    const m = this.half;
    const re = this.re;
    const im = this.im;
    const cosN = this.cosN;
    const sinN = this.sinN;
    for (let k = 0; k <= m; k++) {
      const a = k === m ? 0 : k;
      const b = k === 0 ? 0 : m - k;
      const zr = re[a]!;
      const zi = im[a]!;
      const cr = re[b]!;
      const ci = -im[b]!;
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = cosN[k]!;
      const wi = -sinN[k]!;
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      out[k] = xr * xr + xi * xi;
    }
  }

  private packAndTransform(input: ArrayLike<number>, window?: Float64Array): void {
    const m = this.half;
    const re = this.re;
    const im = this.im;
    const rev = this.rev;
    if (window) {
      for (let i = 0; i < m; i++) {
        const r = rev[i]!;
        re[r] = input[2 * i]! * window[2 * i]!;
        im[r] = input[2 * i + 1]! * window[2 * i + 1]!;
      }
    } else {
      for (let i = 0; i < m; i++) {
        const r = rev[i]!;
        re[r] = input[2 * i]!;
        im[r] = input[2 * i + 1]!;
      }
    }
    const cosM = this.cosM;
    const sinM = this.sinM;
    for (let len = 2; len <= m; len <<= 1) {
      const halfLen = len >> 1;
      const step = m / len;
      for (let start = 0; start < m; start += len) {
        for (let j = 0, t = 0; j < halfLen; j++, t += step) {
          const wr = cosM[t]!;
          const wi = -sinM[t]!;
          const p = start + j;
          const q = p + halfLen;
          const qr = re[q]! * wr - im[q]! * wi;
          const qi = re[q]! * wi + im[q]! * wr;
          const pr = re[p]!;
          const pi = im[p]!;
          re[p] = pr + qr;
          im[p] = pi + qi;
          re[q] = pr - qr;
          im[q] = pi - qi;
        }
      }
    }
  }
}

/** Periodic Hann window of length n (the form used for spectral analysis / overlap-add). */
export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}
