import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths';
import { checkReply } from '../checks';
import { loadEvalSet } from '../eval-set';
import { evaluateHalf, type HalfSummary } from '../evaluate';
import { handAgreement, loadHandGrades } from '../hand-grades';
import { type EvalHarness, openHarness } from '../harness';
import { expectedCalibrationError } from '../metrics';

const dir = join(PROJECT_ROOT, 'server/eval');
let harness: EvalHarness;
let test: HalfSummary;
let dev: HalfSummary;
let dev2: HalfSummary;
beforeAll(async () => {
  harness = await openHarness();
  test = await evaluateHalf(harness, loadEvalSet(join(dir, 'blind/test.jsonl')));
  dev = await evaluateHalf(harness, loadEvalSet(join(dir, 'blind/dev.jsonl')));
  dev2 = await evaluateHalf(harness, loadEvalSet(join(dir, 'blind/dev2.jsonl')));
});
afterAll(() => harness.close());

const share = (c: { pass: number; total: number }) => c.pass / c.total;

// Thresholds at the level reached when they were set (test 80.5 % useful, commands 19/23, declines 13/14, ECE 0.099;
// dev 96.0 %, 22/22, 14/14; dev2 99.4 %, 25/25, 16/16): a change that makes the blind answers worse fails here.
// The calibration errors of dev and dev2 are larger than test's on purpose: confidence is fitted on questions the
// engine was not tuned on (understand-question.ts), and dev and dev2 are the halves it was tuned on, where it is now
// under-confident. The test half's error (0.099-0.103 across the last changes) sits at the 0.1 goal.
describe('the blind evaluation set through the real chat path', () => {
  it('keeps the held-out test half at its measured level', () => {
    expect(test.total).toBe(174);
    expect(test.useful).toBeGreaterThanOrEqual(0.8);
    expect(share(test.commands)).toBeGreaterThanOrEqual(19 / 23);
    expect(share(test.declines)).toBeGreaterThanOrEqual(13 / 14);
    expect(test.ece).toBeLessThanOrEqual(0.11);
  });

  it('keeps the dev half at its measured level', () => {
    expect(dev.useful).toBeGreaterThanOrEqual(0.96);
    expect(share(dev.commands)).toBe(1);
    expect(share(dev.declines)).toBe(1);
    expect(dev.ece).toBeLessThanOrEqual(0.13);
  });

  it('keeps the second dev half (written blind later) at its measured level', () => {
    expect(dev2.total).toBe(165);
    expect(dev2.useful).toBeGreaterThanOrEqual(0.99);
    expect(share(dev2.commands)).toBe(1);
    expect(share(dev2.declines)).toBe(1);
    expect(dev2.ece).toBeLessThanOrEqual(0.16);
  });

  it('agrees with the hand grades on at least 80 % of the graded dev replies', () => {
    const agreement = handAgreement(
      loadHandGrades(join(dir, 'hand-graded.jsonl')),
      dev.outcomes.map((o) => o.question),
    );
    expect(agreement.n).toBeGreaterThanOrEqual(40);
    expect(agreement.agree).toBeGreaterThanOrEqual(0.8);
  });
});

describe('the checks themselves', () => {
  const command = loadEvalSet(join(dir, 'blind/dev.jsonl')).find((q) => q.id === 'cmd-comp-001')!;
  const reply = {
    response: 'Done: tempo set to 92 BPM, then looping bars 9-16 (20.9-41.7 s at 92 BPM).',
    follow_ups: [],
    sources: [],
  };

  it('compare applied commands in order and reject float noise in the text', () => {
    const loop = {
      action: 'loop' as const,
      enabled: true,
      start_seconds: (8 * 240) / 92,
      end_seconds: (16 * 240) / 92,
    };
    expect(checkReply(command, { ...reply, actions: [{ action: 'tempo', bpm: 92 }, loop] }).pass).toBe(true);
    expect(checkReply(command, { ...reply, actions: [loop, { action: 'tempo', bpm: 92 }] }).pass).toBe(false);
    expect(
      checkReply(command, {
        ...reply,
        response: 'Done: loop on (20.869565217391305-41.73913043478261 s).',
        actions: [{ action: 'tempo', bpm: 92 }, loop],
      }).pass,
    ).toBe(false);
  });

  it('measure calibration as the confidence-weighted gap per bin', () => {
    expect(
      expectedCalibrationError([
        { pass: true, confidence: 0.95 },
        { pass: false, confidence: 0.05 },
      ]),
    ).toBeCloseTo(0.05, 9);
    expect(expectedCalibrationError([{ pass: false, confidence: 0.95 }])).toBeCloseTo(0.95, 9);
  });
});
