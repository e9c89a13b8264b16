import { describe, expect, it } from 'vitest';
import { matchTransport } from '../transport-phrases';
import { commandReply } from '../../answer/command-reply';
import { TEMPO_NUDGE_BPM } from '../command-text';

const ctx = { bpm: 120, time_signature: { numerator: 4, denominator: 4 as const }, position_seconds: 0 };
const parse = (text: string) => matchTransport(text, ctx).commands;

describe('commands said loosely', () => {
  it('reads fuzzy tempo amounts: "a bit faster" is the stated nudge, "like 5 bpm" the amount, half and double time', () => {
    expect(parse('can you make it a bit faster')).toEqual([{ action: 'tempo', bpm: 120 + TEMPO_NUDGE_BPM }]);
    expect(parse('can you make it a bit faster, like 8 bpm')).toEqual([{ action: 'tempo', bpm: 128 }]);
    expect(parse('slow it down a lot')).toEqual([{ action: 'tempo', bpm: 120 - 2 * TEMPO_NUDGE_BPM }]);
    expect(parse('half time')).toEqual([{ action: 'tempo', bpm: 60 }]);
    expect(parse('double time please')).toEqual([{ action: 'tempo', bpm: 240 }]);
  });

  it('takes "at 140" and "set it to 140" as a tempo without the word bpm', () => {
    expect(parse('set it to 140')).toEqual([{ action: 'tempo', bpm: 140 }]);
    expect(parse('play it at 140')).toEqual([{ action: 'tempo', bpm: 140 }, { action: 'play' }]);
  });

  it('loops a section named with its bars', () => {
    expect(parse("loop the chorus, it's bars 17 to 24")).toEqual([{ action: 'loop', enabled: true, start_seconds: 32, end_seconds: 48 }]);
  });

  it('applies composite commands in order: the loop is computed at the new tempo and reported in bars, seconds rounded', () => {
    const commands = parse('set tempo to 92 and loop bars 9 to 16');
    expect(commands[0]).toEqual({ action: 'tempo', bpm: 92 });
    expect(commands[1]).toMatchObject({ action: 'loop', enabled: true });
    const loop = commands[1] as { start_seconds: number; end_seconds: number };
    expect(loop.start_seconds).toBeCloseTo((8 * 4 * 60) / 92, 9);
    expect(loop.end_seconds).toBeCloseTo((16 * 4 * 60) / 92, 9);
    const reply = commandReply(commands, [], ctx, 'en');
    expect(reply.markdown).toBe('Done: tempo set to 92 BPM, then looping bars 9-16 (20.9-41.7 s at 92 BPM).');
  });

  it('understands French commands and answers in French', () => {
    expect(parse('boucle les mesures 5 à 8 puis joue')).toEqual([{ action: 'loop', enabled: true, start_seconds: 8, end_seconds: 16 }, { action: 'play' }]);
    expect(parse('mets le tempo à 100 et active le métronome')).toEqual([{ action: 'tempo', bpm: 100 }, { action: 'metronome', enabled: true }]);
    expect(parse('arrête')).toEqual([{ action: 'stop' }]);
    expect(parse('un peu plus vite')).toEqual([{ action: 'tempo', bpm: 125 }]);
    expect(parse('va à la mesure 9')).toEqual([{ action: 'seek', bar: 9 }]);
    expect(commandReply(parse('arrête'), [], ctx, 'fr').markdown).toBe("C'est fait : arrêt.");
  });

  it('offers next steps, never the one just done', () => {
    expect(commandReply(parse('metronome on'), [], ctx, 'en').follow_ups).not.toContain('Metronome on');
    expect(commandReply(parse('tempo 100'), [], ctx, 'en').follow_ups).toContain('Metronome on');
    for (const fr of commandReply(parse('boucle les mesures 1 à 4'), [], ctx, 'fr').follow_ups) expect(parse(fr).length).toBeGreaterThan(0);
  });
});
