/**
 * True peak, EBU Tech 3341 cases 15-19 as reconstructed from the specification: stereo sines at fs/4
 * (0.5 x Nyquist) whose phase puts the waveform peak between samples. Expected values and the Tech 3341 true-peak
 * tolerance (+0.2 / -0.4 dB):
 *   case 15: -6 dBFS amplitude, phase 0      -> -6.0 dBTP (peak on a sample)
 *   case 16: -6 dBFS amplitude, phase 45     -> -6.0 dBTP (samples at -9.0 dBFS, peak halfway between)
 *   case 17: -6 dBFS amplitude, phase 60     -> -6.0 dBTP (peak at 1/3 sample: not on the 4x grid)
 *   case 18: -6 dBFS amplitude, phase 67.5   -> -6.0 dBTP (peak at 1/4 sample)
 *   case 19: +3.01 dBFS amplitude, phase 45  -> +3.0 dBTP with samples at exactly 0 dBFS
 */
import { describe, expect, it } from 'vitest';
import { TruePeakDetector, designInterpolator, truePeak } from '../true-peak';
import { amplitudeToDb } from '../units';
import { gaussianNoise, steppedSine } from './synth';

/**
 * fs/4 sine with a 10 ms linear fade in and out. A hard start is a real discontinuity whose band-limited
 * reconstruction overshoots (about +0.13 dB here, still inside the tolerance); the fades keep the measurement about
 * the steady tone the Tech 3341 cases describe.
 */
function quarterRateSine(fs: number, seconds: number, ampDb: number, phaseDeg: number, fade = true): Float32Array {
  const n = Math.round(fs * seconds);
  const a = Math.pow(10, ampDb / 20);
  const ph = (phaseDeg * Math.PI) / 180;
  const ramp = fade ? Math.round(fs * 0.01) : 1;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.min(1, i / ramp, (n - 1 - i) / ramp);
    x[i] = a * (fade ? g : 1) * Math.sin((Math.PI / 2) * i + ph);
  }
  return x;
}

const cases: Array<[number, number, number, number]> = [
  [15, -6, 0, -6],
  [16, -6, 45, -6],
  [17, -6, 60, -6],
  [18, -6, 67.5, -6],
  [19, 20 * Math.log10(Math.SQRT2), 45, 3.01],
];

describe.each([48000, 44100, 96000])('true peak, Tech 3341 cases 15-19 at %i Hz', (fs) => {
  it.each(cases)('case %i: amplitude %f dB, phase %f deg reads %f dBTP', (_n, ampDb, phase, expected) => {
    const dbtp = amplitudeToDb(truePeak(quarterRateSine(fs, 1, ampDb, phase)));
    expect(dbtp).toBeLessThanOrEqual(expected + 0.2);
    expect(dbtp).toBeGreaterThanOrEqual(expected - 0.4);
    // In fact within 0.1 dB: the 4x grid and a flat passband at fs/4.
    expect(Math.abs(dbtp - expected)).toBeLessThan(0.1);
    // Abrupt start and end as well: still within the Tech 3341 tolerance.
    const hard = amplitudeToDb(truePeak(quarterRateSine(fs, 1, ampDb, phase, false)));
    expect(hard).toBeLessThanOrEqual(expected + 0.2);
    expect(hard).toBeGreaterThanOrEqual(expected - 0.4);
  });
});

describe('true peak detector', () => {
  it('case 19 has a sample peak of 0 dBFS but a true peak 3 dB higher', () => {
    const x = quarterRateSine(48000, 1, 20 * Math.log10(Math.SQRT2), 45, false);
    let sp = 0;
    for (const v of x) sp = Math.max(sp, Math.abs(v));
    expect(amplitudeToDb(sp)).toBeCloseTo(0, 3);
    expect(amplitudeToDb(truePeak(x))).toBeGreaterThan(2.8);
  });

  it('is exact on the samples (Nyquist filter): a lone full-scale impulse reads 0 dBTP', () => {
    const x = new Float32Array(1000);
    x[500] = -1;
    expect(truePeak(x)).toBeCloseTo(1, 12);
  });

  it('reads a 997 Hz full-scale sine at 0 dBTP (+0.2/-0.4)', () => {
    const x = steppedSine(48000, [{ dbfs: 0, seconds: 1 }], 997);
    const db = amplitudeToDb(truePeak(x));
    expect(db).toBeLessThanOrEqual(0.2);
    expect(db).toBeGreaterThanOrEqual(-0.4);
  });

  it('gives the same result for any block size and with or without pruning', () => {
    const x = gaussianNoise(48000, 3, 0.25);
    const whole = truePeak(x);
    for (const block of [1, 7, 128, 1000]) {
      const d = new TruePeakDetector();
      for (let i = 0; i < x.length; i += block) d.push(x, i, Math.min(x.length, i + block));
      d.flush();
      expect(d.peak).toBe(whole);
    }
    // Brute force: every interpolated value, no pruning.
    const f = designInterpolator();
    const padded = new Float32Array(x.length + f.taps);
    padded.set(x, f.taps / 2);
    let brute = 0;
    for (const v of x) brute = Math.max(brute, Math.abs(v));
    for (let n = f.taps / 2 - 1; n + f.taps / 2 < padded.length; n++) {
      for (let p = 0; p < f.factor - 1; p++) {
        let v = 0;
        for (let i = 0; i < f.taps; i++) v += f.coef[p * f.taps + i]! * padded[n - f.taps / 2 + 1 + i]!;
        brute = Math.max(brute, Math.abs(v));
      }
    }
    expect(whole).toBeCloseTo(brute, 6);
    expect(whole).toBeGreaterThan(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
  });

  it('has a flat passband: 0.35 fs within 0.05 dB on every phase', () => {
    const f = designInterpolator();
    for (let p = 0; p < f.factor - 1; p++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < f.taps; i++) {
        const t = (p + 1) / f.factor + f.taps / 2 - 1 - i;
        re += f.coef[p * f.taps + i]! * Math.cos(2 * Math.PI * 0.35 * t);
        im += f.coef[p * f.taps + i]! * Math.sin(2 * Math.PI * 0.35 * t);
      }
      expect(Math.abs(20 * Math.log10(Math.hypot(re, im)))).toBeLessThan(0.05);
    }
  });
});
