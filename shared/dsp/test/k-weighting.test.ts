import { describe, expect, it } from 'vitest';
import { kWeightingCoefficients, kWeightingGain } from '../k-weighting';

describe('K-weighting coefficients derived by bilinear transform', () => {
  it('reproduce the ITU-R BS.1770-4 48 kHz table to 1e-6', () => {
    // BS.1770-4 Table 1 (pre-filter) and Table 2 (RLB filter), 48 kHz.
    const c = kWeightingCoefficients(48000);
    const tol = 1e-6;
    expect(Math.abs(c.shelf.b0 - 1.53512485958697)).toBeLessThan(tol);
    expect(Math.abs(c.shelf.b1 - -2.69169618940638)).toBeLessThan(tol);
    expect(Math.abs(c.shelf.b2 - 1.19839281085285)).toBeLessThan(tol);
    expect(Math.abs(c.shelf.a1 - -1.69065929318241)).toBeLessThan(tol);
    expect(Math.abs(c.shelf.a2 - 0.73248077421585)).toBeLessThan(tol);
    expect(c.highPass.b0).toBe(1);
    expect(c.highPass.b1).toBe(-2);
    expect(c.highPass.b2).toBe(1);
    expect(Math.abs(c.highPass.a1 - -1.99004745483398)).toBeLessThan(tol);
    expect(Math.abs(c.highPass.a2 - 0.99007225036621)).toBeLessThan(tol);
  });

  it.each([44100, 48000, 96000])('give the same analog response at %i Hz', (fs) => {
    const c = kWeightingCoefficients(fs);
    const db = (f: number) => 20 * Math.log10(kWeightingGain(c, f, fs));
    // ~+0.69 dB at 1 kHz is what cancels the -0.691 offset for a 1 kHz sine.
    expect(db(1000)).toBeCloseTo(0.69, 1);
    // High shelf plateau about +4 dB, high-pass about -3 dB near 38 Hz (plus the shelf's small LF contribution).
    expect(db(10000)).toBeGreaterThan(3.8);
    expect(db(10000)).toBeLessThan(4.3);
    expect(db(20)).toBeLessThan(-8);
    // Cross-rate agreement within 0.05 dB across the audio band (warping differs only near Nyquist).
    const ref = kWeightingCoefficients(192000);
    for (const f of [30, 100, 500, 1000, 2000, 5000, 10000]) {
      const refDb = 20 * Math.log10(kWeightingGain(ref, f, 192000));
      expect(Math.abs(db(f) - refDb)).toBeLessThan(0.05);
    }
  });

  it('refuses sample rates too low for the shelf', () => {
    expect(() => kWeightingCoefficients(3000)).toThrow(RangeError);
  });
});
