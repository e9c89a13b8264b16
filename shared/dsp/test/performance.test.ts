/**
 * Regression floors, deliberately far below the measured figures (see bench.ts) so a busy shared machine does
 * not make them flaky: whole-file analysis > 100x real time, streaming meter < 5 % of one core.
 */
import { describe, expect, it } from 'vitest';
import { meterCpuShare, wholeFileRealtime } from '../bench';
import { normalNoise } from './synth';

const fs = 48000;

describe('performance floors', () => {
  const seconds = 60;
  const gauss = [normalNoise(fs * seconds, 1, 0.1), normalNoise(fs * seconds, 2, 0.1)];

  it('analyses 48 kHz stereo noise (true peak included) faster than 100x real time', () => {
    expect(wholeFileRealtime(gauss, 2)).toBeGreaterThan(100);
  });

  it('runs the streaming meter (128-sample blocks, stereo, true peak) under 5 % of one core', () => {
    expect(
      meterCpuShare(
        gauss.map((c) => c.subarray(0, fs * 20)),
        128,
        2,
      ),
    ).toBeLessThan(0.05);
  });
});
