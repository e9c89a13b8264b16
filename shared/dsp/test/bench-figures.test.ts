/**
 * The DSP's speed is measured by `npm run bench` and `server/bench/dsp-floors.ts`, not asserted here (a busy machine
 * made wall-clock floors fail): this checks that what those benchmarks time is the real work and that their figures
 * are well formed.
 */
import { describe, expect, it } from 'vitest';
import { analyzeAudio } from '../analyze';
import { meterCpuShare, wholeFileRealtime } from '../bench';
import { LoudnessMeter } from '../meter';
import { normalNoise } from './synth';

const fs = 48000;
const noise = [normalNoise(fs * 2, 1, 0.1), normalNoise(fs * 2, 2, 0.1)];

describe('the DSP benchmark figures', () => {
  it('times the whole analysis: a finite, positive real-time factor, and the analysis it runs reads the noise', () => {
    const x = wholeFileRealtime(noise, 1);
    expect(Number.isFinite(x)).toBe(true);
    expect(x).toBeGreaterThan(0);
    // -20 dBFS RMS Gaussian noise per channel: an integrated loudness a few LU around -20 LUFS, peaks below 0 dBTP.
    const report = analyzeAudio(noise, fs);
    expect(report.loudness.integrated_lufs!).toBeGreaterThan(-25);
    expect(report.loudness.integrated_lufs!).toBeLessThan(-12);
  });

  it('times the streaming meter in blocks: a share of one core between 0 and 1, the meter then reading the noise', () => {
    const share = meterCpuShare(noise, 128, 1);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(1);
    const meter = new LoudnessMeter(fs, 2);
    for (let pos = 0; pos + 128 <= noise[0]!.length; pos += 128)
      meter.push(
        noise.map((c) => c.subarray(pos, pos + 128)),
        128,
      );
    const reading = meter.read();
    expect(reading.momentaryLufs).toBeGreaterThan(-25);
    expect(reading.momentaryLufs).toBeLessThan(-12);
  });
});
