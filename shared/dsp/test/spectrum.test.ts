import { describe, expect, it } from 'vitest';
import {
  OCTAVE_CENTRES_HZ,
  THIRD_OCTAVE_CENTRES_HZ,
  averagedSpectrum,
  bandLevels,
  lowEndRatio,
  spectralCentroid,
  spectralTilt,
  spectrumCurve,
} from '../spectrum';
import { pinkNoise, steppedSine, uniformNoise } from './synth';

const fs = 48000;

describe('averaged spectrum', () => {
  it('is Parseval-scaled: total power equals the mean square of white noise', () => {
    const x = uniformNoise(fs * 4, 11, 0.5);
    const spec = averagedSpectrum([x], fs);
    const total = spec.power.reduce((a, b) => a + b, 0);
    const ms = x.reduce((a, v) => a + v * v, 0) / x.length;
    expect(total / ms).toBeGreaterThan(0.97);
    expect(total / ms).toBeLessThan(1.03);
    expect(spec.fftSize).toBe(16384);
  });

  it('puts a full-scale 1 kHz sine at 0 dB in the 1 kHz octave and third-octave bands only', () => {
    const x = steppedSine(fs, [{ dbfs: 0, seconds: 2 }], 1000);
    const spec = averagedSpectrum([x, x], fs);
    const oct = bandLevels(spec, OCTAVE_CENTRES_HZ, 1);
    const k = oct.findIndex((b) => b.centre_hz === 1000);
    expect(oct[k]!.level_db).toBeCloseTo(0, 1);
    expect(oct[k - 1]!.level_db ?? -200).toBeLessThan(-60);
    const third = bandLevels(spec, THIRD_OCTAVE_CENTRES_HZ, 3);
    expect(third.find((b) => b.centre_hz === 1000)!.level_db).toBeCloseTo(0, 1);
    expect(third.find((b) => b.centre_hz === 1250)!.level_db ?? -200).toBeLessThan(-60);
    expect(third).toHaveLength(28);
    expect(spectralCentroid(spec)).toBeCloseTo(1000, -1);
  });

  it('puts a -20 dBFS 40 Hz sine in the 40 Hz third-octave band', () => {
    const x = steppedSine(fs, [{ dbfs: -20, seconds: 3 }], 40);
    const third = bandLevels(averagedSpectrum([x], fs), THIRD_OCTAVE_CENTRES_HZ, 3);
    expect(third.find((b) => b.centre_hz === 40)!.level_db).toBeCloseTo(-20, 0);
    expect(third.find((b) => b.centre_hz === 50)!.level_db ?? -200).toBeLessThan(-35);
  });

  it('measures tilt: white noise about +3 dB/octave, pink noise about 0', () => {
    const white = averagedSpectrum([uniformNoise(fs * 6, 5, 0.3)], fs);
    const pink = averagedSpectrum([pinkNoise(fs * 6, 9, 0.05)], fs);
    const tw = spectralTilt(bandLevels(white, OCTAVE_CENTRES_HZ, 1));
    const tp = spectralTilt(bandLevels(pink, OCTAVE_CENTRES_HZ, 1));
    expect(tw).toBeGreaterThan(2.5);
    expect(tw).toBeLessThan(3.5);
    expect(Math.abs(tp)).toBeLessThan(0.7);
    expect(spectralCentroid(white)).toBeCloseTo(12000, -3);
  });

  it('low-end ratio: equal 60 Hz and 1 kHz sines split the energy in half', () => {
    const a = steppedSine(fs, [{ dbfs: -10, seconds: 2 }], 60);
    const b = steppedSine(fs, [{ dbfs: -10, seconds: 2 }], 1000);
    const x = a.map((v, i) => v + b[i]!);
    const spec = averagedSpectrum([x], fs);
    expect(lowEndRatio(spec)).toBeCloseTo(0.5, 2);
    expect(lowEndRatio(averagedSpectrum([b], fs))).toBeLessThan(1e-4);
  });

  it('caps the frames analysed and handles signals shorter than one frame', () => {
    const x = uniformNoise(fs * 20, 2, 0.1);
    expect(averagedSpectrum([x], fs, { maxFrames: 40 }).frames).toBe(40);
    const short = averagedSpectrum([uniformNoise(300, 1)], fs);
    expect(short.fftSize).toBe(256);
    expect(spectrumCurve(short).freq_hz.length).toBeGreaterThan(50);
  });
});
