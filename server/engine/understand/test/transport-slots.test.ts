import { describe, expect, it } from 'vitest';
import { matchTransport } from '../transport-phrases';
import { slotCommand } from '../transport-slots';
import { clarifyCommand } from '../command-text';

const ctx = { bpm: 120, time_signature: { numerator: 4, denominator: 4 as const }, position_seconds: 0 };
const parse = (text: string) => matchTransport(text, ctx).commands;

describe('commands read as slots when no phrase rule matches', () => {
  it('finds the action and its values among extra words', () => {
    expect(parse('put a loop on bars 9 to 12')).toEqual([
      { action: 'loop', enabled: true, start_seconds: 16, end_seconds: 24 },
    ]);
    expect(parse('i want the loop on bars 3-6')).toEqual([
      { action: 'loop', enabled: true, start_seconds: 4, end_seconds: 12 },
    ]);
    expect(parse('arm recording')).toEqual([{ action: 'record', enabled: true }]);
    expect(parse('hold on stop')).toEqual([{ action: 'stop' }]);
    expect(parse('yo turn the click on real quick')).toEqual([{ action: 'metronome', enabled: true }]);
  });

  it('tells a tempo change by an amount from a tempo set to a value', () => {
    expect(slotCommand('bpm up by 6', ctx)?.commands).toEqual([{ action: 'tempo', bpm: 126 }]);
    expect(slotCommand('tempo up to 140', ctx)?.commands).toEqual([{ action: 'tempo', bpm: 140 }]);
    expect(parse('tempo +5')).toEqual([{ action: 'tempo', bpm: 125 }]);
    expect(parse('tempo -10')).toEqual([{ action: 'tempo', bpm: 110 }]);
    expect(parse('gimme 128')).toEqual([{ action: 'tempo', bpm: 128 }]);
    expect(parse('bring it back to 120')).toEqual([{ action: 'tempo', bpm: 120 }]);
  });

  it('sets the tempo before looping bars "at 140", so the loop is computed at the new tempo', () => {
    for (const text of ['loop bars 9-16 at 140', 'at 140 loop bars 9 to 16']) {
      const [tempo, loop] = parse(text);
      expect(tempo).toEqual({ action: 'tempo', bpm: 140 });
      expect(loop).toMatchObject({ action: 'loop', enabled: true });
      expect((loop as { start_seconds: number }).start_seconds).toBeCloseTo((8 * 240) / 140, 9);
      expect((loop as { end_seconds: number }).end_seconds).toBeCloseTo((16 * 240) / 140, 9);
    }
  });

  it('reads percentages and French loose amounts', () => {
    expect(matchTransport('make it 20% faster', { ...ctx, bpm: 100 }).commands).toEqual([
      { action: 'tempo', bpm: 120 },
    ]);
    expect(matchTransport('un peu plus vite, genre 10 bpm', { ...ctx, bpm: 90 }).commands).toEqual([
      { action: 'tempo', bpm: 100 },
    ]);
  });

  it('asks which bars for "the last 4 bars" at the start and for a loop with no bars', () => {
    expect(parse('loop the last 4 bars')).toEqual([]);
    expect(clarifyCommand('loop the last 4 bars', false)?.question).toMatch(/Which bars\?/);
    expect(parse('mets une boucle')).toEqual([]);
    expect(clarifyCommand('mets une boucle', true)?.question).toMatch(/Quelles mesures/);
    expect(matchTransport('loop the last 4 bars', { ...ctx, position_seconds: 20 }).commands).toEqual([
      { action: 'loop', enabled: true, start_seconds: 14, end_seconds: 22 },
    ]);
  });

  it('reads metres said aloud, "record on bar 5", "arm" and French percentages and loops', () => {
    expect(parse('change to three four')).toEqual([{ action: 'time_signature', numerator: 3, denominator: 4 }]);
    expect(parse('switch to common time')).toEqual([{ action: 'time_signature', numerator: 4, denominator: 4 }]);
    expect(parse('record on bar 5')).toEqual([
      { action: 'seek', bar: 5 },
      { action: 'record', enabled: true },
    ]);
    expect(parse('arm')).toEqual([{ action: 'record', enabled: true }]);
    expect(matchTransport('accélère de 10 %', { ...ctx, bpm: 100 }).commands).toEqual([{ action: 'tempo', bpm: 110 }]);
    expect(parse('mets le tempo à 90 et lance la boucle des mesures 1 à 4')).toEqual([
      { action: 'tempo', bpm: 90 },
      { action: 'loop', enabled: true, start_seconds: 0, end_seconds: (4 * 4 * 60) / 90 },
    ]);
    expect(clarifyCommand('skip the intro', false)?.question).toMatch(/Which bars is the intro/);
  });

  it('switches the click on first when a command is said "with the click"', () => {
    expect(parse('record at bar 9 with the click on')).toEqual([
      { action: 'metronome', enabled: true },
      { action: 'seek', bar: 9 },
      { action: 'record', enabled: true },
    ]);
  });

  it('leaves questions and requests with other content words alone', () => {
    expect(parse('record vocals at home')).toEqual([]);
    expect(parse('loop pedal tips')).toEqual([]);
    expect(parse('loop the drums')).toEqual([]);
    expect(slotCommand('stop the loop and the click', ctx)).toBeUndefined();
  });
});
