import { describe, expect, it } from 'vitest';
import { parseTransportCommands, type TransportContext } from '../transport-phrases';

const ctx = (bpm = 120, numerator = 4, denominator: 4 | 8 = 4, position_seconds = 0): TransportContext => ({
  bpm,
  time_signature: { numerator, denominator },
  position_seconds,
});
const parse = (text: string, context = ctx()) => parseTransportCommands(text, context);

describe('transport phrases: loops from bar numbers', () => {
  it('loops bars 5 to 8 inclusive: from the start of bar 5 to the start of bar 9', () => {
    expect(parse('loop bars 5 to 8').commands).toEqual([
      { action: 'loop', enabled: true, start_seconds: 8, end_seconds: 16 },
    ]);
    expect(parse('loop 5-8', ctx(128)).commands).toEqual([
      { action: 'loop', enabled: true, start_seconds: 7.5, end_seconds: 15 },
    ]);
  });

  it('uses the time signature, with bpm counted in quarter notes', () => {
    // 6/8 at 120: a bar is 6 eighths = 1.5 s
    expect(parse('cycle bars 9 through 12', ctx(120, 6, 8)).commands).toEqual([
      { action: 'loop', enabled: true, start_seconds: 12, end_seconds: 18 },
    ]);
    // 3/4 at 90: a bar is 2 s
    expect(parse('loop bar 2', ctx(90, 3)).commands).toEqual([
      { action: 'loop', enabled: true, start_seconds: 2, end_seconds: 4 },
    ]);
  });

  it('refuses a backwards range with a message', () => {
    expect(parse('loop bars 8 to 5')).toEqual({
      commands: [],
      problems: ['the loop runs backwards: bar 8 comes after bar 5'],
    });
  });
});

describe('transport phrases: tempo', () => {
  it('sets absolute and relative tempos from the context bpm', () => {
    expect(parse('set bpm to 90.5').commands).toEqual([{ action: 'tempo', bpm: 90.5 }]);
    expect(parse('slow down by 10 bpm', ctx(97)).commands).toEqual([{ action: 'tempo', bpm: 87 }]);
    expect(parse('speed up to 100', ctx(97)).commands).toEqual([{ action: 'tempo', bpm: 100 }]);
  });

  it('doubles and halves, clamped to 20-400', () => {
    expect(parse('double time', ctx(140)).commands).toEqual([{ action: 'tempo', bpm: 280 }]);
    expect(parse('double time', ctx(300)).commands).toEqual([{ action: 'tempo', bpm: 400 }]);
    expect(parse('half time', ctx(35)).commands).toEqual([{ action: 'tempo', bpm: 20 }]);
  });

  it('rejects an out-of-range tempo but keeps the other commands of the message', () => {
    expect(parse('tempo 1000')).toEqual({ commands: [], problems: ['tempo 1000 is outside 20-400 BPM'] });
    expect(parse('stop and set the tempo to 5')).toEqual({
      commands: [{ action: 'stop' }],
      problems: ['tempo 5 is outside 20-400 BPM'],
    });
  });
});

describe('transport phrases: seeking', () => {
  it('seeks to bars, beats and clock times', () => {
    expect(parse('jump to bar 3 beat 2').commands).toEqual([{ action: 'seek', bar: 3, beat: 2 }]);
    expect(parse('go to 1:30').commands).toEqual([{ action: 'seek', time_seconds: 90 }]);
    expect(parse('rewind to the top').commands).toEqual([{ action: 'seek', time_seconds: 0 }]);
  });

  it('moves relative to the playhead and never before zero', () => {
    expect(parse('skip forward 2 bars', ctx(120, 4, 4, 3)).commands).toEqual([{ action: 'seek', time_seconds: 7 }]);
    expect(parse('go back 8 bars', ctx(120, 4, 4, 3)).commands).toEqual([{ action: 'seek', time_seconds: 0 }]);
  });

  it('names a beat that the time signature does not have', () => {
    expect(parse('go to bar 4 beat 4', ctx(120, 3))).toEqual({
      commands: [],
      problems: ['beat 4 does not exist in 3/4 (beats 1-3)'],
    });
  });
});

describe('transport phrases: whole messages', () => {
  it('keeps the order of several commands and expands "play from"', () => {
    expect(parse('stop and go to bar 1').commands).toEqual([{ action: 'stop' }, { action: 'seek', bar: 1 }]);
    expect(parse('play from bar 9').commands).toEqual([{ action: 'seek', bar: 9 }, { action: 'play' }]);
  });

  it('gives nothing for questions about transport and for half-commands mixed with chat', () => {
    for (const text of [
      'how do I loop a section in bandlab?',
      'what tempo is drum and bass?',
      'is the click on?',
      'stop and explain sidechain',
    ]) {
      expect(parse(text), text).toEqual({ commands: [], problems: [] });
    }
  });

  it('parses a message in well under a millisecond', () => {
    const start = performance.now();
    for (let i = 0; i < 2000; i++) parse('ok could you please stop, go to bar 17 and then loop bars 17 to 24');
    expect((performance.now() - start) / 2000).toBeLessThan(0.5);
  });
});
