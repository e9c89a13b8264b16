import { describe, expect, it } from 'vitest';
import { analyzeAudio, type AnalysisReport } from '../analyze';
import { AudioAnalyzer } from '../analyzer';
import { chordSequence, clickTrack, midi, pinkNoise, uniformNoise } from './synth';

/** Feeds `channels` to an AudioAnalyzer in slices of the given sizes (cycled). */
function streamed(channels: Float32Array[], sampleRate: number, sizes: number[]): AnalysisReport {
  const analyzer = new AudioAnalyzer(channels.length, sampleRate, channels[0]!.length);
  for (let pos = 0, k = 0; pos < channels[0]!.length; k++) {
    const n = sizes[k % sizes.length]!;
    analyzer.push(channels.map((c) => c.subarray(pos, pos + n)));
    pos += n;
  }
  return analyzer.finish();
}

/** Equal, but for the last rounded digit of a figure (a sum split across slices rounds differently). */
function expectSameReport(actual: unknown, expected: unknown, path = 'report'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
      Math.max(0.011, Math.abs(expected) * 1e-6),
    );
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectSameReport((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected))
      expectSameReport((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe('AudioAnalyzer (the analysis fed a slice at a time)', () => {
  const rate = 48000;
  const music = (seconds: number) => {
    const chords = chordSequence(
      rate,
      [
        [midi('A3'), midi('C4'), midi('E4')],
        [midi('F3'), midi('A3'), midi('C4')],
      ],
      seconds,
    );
    const clicks = clickTrack(rate, 124, seconds);
    const left = pinkNoise(chords.length, 3, 0.05).map((v, i) => v + 0.3 * chords[i]! + 0.4 * clicks[i]!);
    const right = pinkNoise(chords.length, 4, 0.05).map((v, i) => v + 0.3 * chords[i]! + 0.4 * clicks[i]!);
    return [left, right];
  };

  it('gives the report of analyzeAudio for stereo music, whatever the slice sizes', () => {
    const channels = music(20);
    const whole = analyzeAudio(channels, rate);
    for (const sizes of [[channels[0]!.length], [1 << 20], [4096], [1, 7, 1000, 65_537, 333]])
      expectSameReport(streamed(channels, rate, sizes), whole);
  });

  it('gives the report of analyzeAudio for mono at 44.1 kHz, 96 kHz stereo, and files shorter than an FFT frame', () => {
    const mono = [uniformNoise(44100 * 7 + 13, 5, 0.3)];
    expectSameReport(streamed(mono, 44100, [10_000]), analyzeAudio(mono, 44100));
    const hi = [uniformNoise(96000 * 4, 6, 0.2), uniformNoise(96000 * 4, 7, 0.2)];
    expectSameReport(streamed(hi, 96000, [12_345]), analyzeAudio(hi, 96000));
    const short = [uniformNoise(3000, 8, 0.5), uniformNoise(3000, 9, 0.5)];
    expectSameReport(streamed(short, rate, [100]), analyzeAudio(short, rate));
    const tiny = [uniformNoise(5, 10, 0.5), uniformNoise(5, 11, 0.5)];
    expectSameReport(streamed(tiny, rate, [2]), analyzeAudio(tiny, rate));
  });
});
