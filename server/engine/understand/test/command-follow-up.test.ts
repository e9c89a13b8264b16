import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvalHarness, openHarness } from '../../../eval/harness';
import { resolveCommandFollowUp } from '../command-follow-up';

describe('commands that lean on the conversation', () => {
  it('rewrites "turn it off", "now 5 to 8" and "set the tempo to that" into standalone commands', () => {
    expect(resolveCommandFollowUp(['turn on the metronome'], 'ok turn it off')).toBe('metronome off');
    expect(resolveCommandFollowUp(['loop bars 1 to 4'], 'turn it off')).toBe('loop off');
    expect(resolveCommandFollowUp(['start recording'], 'switch it off')).toBe('stop recording');
    expect(resolveCommandFollowUp(['loop bars 1 to 4'], 'now 5 to 8')).toBe('loop bars 5 to 8');
    expect(resolveCommandFollowUp(['delay times at 140 bpm'], 'ok set the tempo to that')).toBe('tempo 140');
  });

  it('leaves messages alone without a conversation or an object to act on', () => {
    expect(resolveCommandFollowUp([], 'turn it off')).toBeUndefined();
    expect(resolveCommandFollowUp(['how do i eq vocals'], 'turn it off')).toBeUndefined();
    expect(resolveCommandFollowUp(['how do i eq vocals'], 'now 5 to 8')).toBeUndefined();
  });

  describe('through the real chat path', () => {
    let harness: EvalHarness;
    beforeAll(async () => {
      harness = await openHarness();
    });
    afterAll(() => harness.close());

    it('acts on the follow-up, and loops "those 16 bars" as a count from bar 1', async () => {
      expect((await harness.ask('turn it off', { history: ['loop bars 1 to 4'] })).reply.actions).toEqual([
        { action: 'loop', enabled: false },
      ]);
      const { reply } = await harness.ask('set the tempo to 90 and loop those 16 bars', {
        history: ['how long is 16 bars at 90 bpm'],
      });
      expect(reply.actions).toEqual([
        { action: 'tempo', bpm: 90 },
        { action: 'loop', enabled: true, start_seconds: 0, end_seconds: (16 * 4 * 60) / 90 },
      ]);
    });
  });
});
