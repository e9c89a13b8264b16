/**
 * EBU Tech 3342 (V4) loudness-range cases, synthesised: stereo 1 kHz sines in 20 s blocks.
 *   case 1: -20, -30 dBFS              -> LRA 10 LU +/-1
 *   case 2: -20, -15 dBFS              -> LRA  5 LU +/-1
 *   case 3: -40, -20 dBFS              -> LRA 20 LU +/-1
 *   case 4: -50, -35, -20, -35, -50    -> LRA 15 LU +/-1 (the -50 blocks fall under the -20 LU relative gate)
 * Cases 5 and 6 are recorded programme and are not reproducible here.
 */
import { describe, expect, it } from 'vitest';
import { measureLoudness } from '../loudness';
import { steppedSine } from './synth';

const cases: Array<[number, number[], number]> = [
  [1, [-20, -30], 10],
  [2, [-20, -15], 5],
  [3, [-40, -20], 20],
  [4, [-50, -35, -20, -35, -50], 15],
];

describe.each([48000, 44100, 96000])('EBU Tech 3342 loudness range at %i Hz', (fs) => {
  it.each(cases)('case %i: levels %j give %i LU', (_n, levels, expected) => {
    const x = steppedSine(
      fs,
      levels.map((dbfs) => ({ dbfs, seconds: 20 })),
    );
    const r = measureLoudness([x, x], fs);
    expect(Math.abs(r.rangeLu - expected)).toBeLessThanOrEqual(1);
  });
});
