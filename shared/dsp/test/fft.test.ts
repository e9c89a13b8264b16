import { describe, expect, it } from 'vitest';
import { RealFFT, hannWindow } from '../fft';

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      re[k] = re[k]! + x[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im[k] = im[k]! - x[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
  }
  return { re, im };
}

function pseudoRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

describe('RealFFT', () => {
  it.each([4, 8, 64, 512])('matches a direct DFT for size %i', (n) => {
    const rnd = pseudoRandom(n);
    const x = new Float64Array(n).map(() => rnd());
    const fft = new RealFFT(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    const ref = naiveDft(x);
    for (let k = 0; k <= n / 2; k++) {
      expect(re[k]).toBeCloseTo(ref.re[k]!, 9);
      expect(im[k]).toBeCloseTo(ref.im[k]!, 9);
    }
    const power = new Float64Array(n / 2 + 1);
    fft.powerSpectrum(x, power);
    for (let k = 0; k <= n / 2; k++) expect(power[k]).toBeCloseTo(ref.re[k]! ** 2 + ref.im[k]! ** 2, 8);
  });

  it('puts a windowed sine in the right bin with the Hann coherent gain', () => {
    const n = 1024;
    const x = new Float64Array(n).map((_, i) => Math.sin((2 * Math.PI * 100 * i) / n));
    const power = new Float64Array(n / 2 + 1);
    new RealFFT(n).powerSpectrum(x, power, hannWindow(n));
    let best = 0;
    for (let k = 1; k <= n / 2; k++) if (power[k]! > power[best]!) best = k;
    expect(best).toBe(100);
    // Amplitude 1 sine, Hann coherent gain 0.5: |X| = n/2 * 0.5.
    expect(Math.sqrt(power[100]!)).toBeCloseTo(n / 4, 6);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealFFT(1000)).toThrow(RangeError);
  });
});
