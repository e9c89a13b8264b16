import { describe, expect, it } from 'vitest';
import { matchTransport } from '../transport-phrases';
import { commandReply } from '../../answer/command-reply';
import { TEMPO_NUDGE_BPM, clarifyCommand } from '../command-text';

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
    expect(parse("loop the chorus, it's bars 17 to 24")).toEqual([
      { action: 'loop', enabled: true, start_seconds: 32, end_seconds: 48 },
    ]);
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
    expect(parse('boucle les mesures 5 à 8 puis joue')).toEqual([
      { action: 'loop', enabled: true, start_seconds: 8, end_seconds: 16 },
      { action: 'play' },
    ]);
    expect(parse('mets le tempo à 100 et active le métronome')).toEqual([
      { action: 'tempo', bpm: 100 },
      { action: 'metronome', enabled: true },
    ]);
    expect(parse('arrête')).toEqual([{ action: 'stop' }]);
    expect(parse('un peu plus vite')).toEqual([{ action: 'tempo', bpm: 125 }]);
    expect(parse('va à la mesure 9')).toEqual([{ action: 'seek', bar: 9 }]);
    expect(commandReply(parse('arrête'), [], ctx, 'fr').markdown).toBe("C'est fait : arrêt.");
  });

  it('survives everyday phrasings in both languages', () => {
    const cases: [string, object[]][] = [
      ['pause for a sec', [{ action: 'pause' }]],
      ['hold on', [{ action: 'pause' }]],
      ['stop it there', [{ action: 'stop' }]],
      [
        'punch in at bar 17',
        [
          { action: 'seek', bar: 17 },
          { action: 'record', enabled: true },
        ],
      ],
      ['loop between bar 5 and 9', [{ action: 'loop', enabled: true, start_seconds: 8, end_seconds: 18 }]],
      ['set a loop from 1:00 to 1:30', [{ action: 'loop', enabled: true, start_seconds: 60, end_seconds: 90 }]],
      ['10 bpm slower', [{ action: 'tempo', bpm: 110 }]],
      ['way too fast, slow it down', [{ action: 'tempo', bpm: 110 }]],
      ['too slow', [{ action: 'tempo', bpm: 125 }]],
      ['try it at 128', [{ action: 'tempo', bpm: 128 }]],
      ['tempo one twenty', [{ action: 'tempo', bpm: 120 }]],
      ['tempo a hundred and ten', [{ action: 'tempo', bpm: 110 }]],
      ['i need a click', [{ action: 'metronome', enabled: true }]],
      ["let's hear it from bar 25", [{ action: 'seek', bar: 25 }, { action: 'play' }]],
      ['mets pause', [{ action: 'pause' }]],
      ["commence l'enregistrement", [{ action: 'record', enabled: true }]],
      [
        'tempo 85 et boucle de la mesure 1 à 8',
        [
          { action: 'tempo', bpm: 85 },
          { action: 'loop', enabled: true, start_seconds: 0, end_seconds: (8 * 4 * 60) / 85 },
        ],
      ],
      ['ralentis de 5 bpm', [{ action: 'tempo', bpm: 115 }]],
      ['passe en 3/4', [{ action: 'time_signature', numerator: 3, denominator: 4 }]],
      ['joue à partir de la mesure 9', [{ action: 'seek', bar: 9 }, { action: 'play' }]],
      ['recule de 2 mesures', [{ action: 'seek', time_seconds: 0 }]],
      ['stop la boucle', [{ action: 'loop', enabled: false }]],
      ['mets le métronome en route', [{ action: 'metronome', enabled: true }]],
      ['va à 1 min 30', [{ action: 'seek', time_seconds: 90 }]],
      ['tempo 92,5', [{ action: 'tempo', bpm: 92.5 }]],
      ['en 6/8', [{ action: 'time_signature', numerator: 6, denominator: 8 }]],
      [
        "lance l'enregistrement à la mesure 9",
        [
          { action: 'seek', bar: 9 },
          { action: 'record', enabled: true },
        ],
      ],
      ['un peu moins vite', [{ action: 'tempo', bpm: 115 }]],
      ['baisse le tempo de 5', [{ action: 'tempo', bpm: 115 }]],
      ['relance la lecture', [{ action: 'play' }]],
      ['boucle les 8 premières mesures', [{ action: 'loop', enabled: true, start_seconds: 0, end_seconds: 16 }]],
    ];
    for (const [text, expected] of cases) expect(parse(text), text).toEqual(expected);
  });

  it('asks back, with buttons, when a section is named without its bars', () => {
    expect(parse('loop the chorus')).toEqual([]);
    const ask = clarifyCommand('loop the chorus', false);
    expect(ask?.question).toMatch(/^Which bars is the chorus\?/);
    expect(parse(ask!.options[0]!)).toHaveLength(1);
    expect(clarifyCommand('boucle le refrain', true)?.question).toMatch(/^Sur quelles mesures est le refrain/);
    expect(clarifyCommand('loop bars 17 to 24', false)).toBeUndefined();
    expect(clarifyCommand('set the tempo', false)?.question).toMatch(/^What tempo\?/);
    expect(clarifyCommand('change the time signature', false)?.options).toContain('Switch to 3/4');
    for (const option of clarifyCommand('mets le tempo', true)!.options) expect(parse(option).length).toBe(1);
  });

  it('offers next steps, never the one just done', () => {
    expect(commandReply(parse('metronome on'), [], ctx, 'en').follow_ups).not.toContain('Metronome on');
    expect(commandReply(parse('tempo 100'), [], ctx, 'en').follow_ups).toContain('Metronome on');
    for (const fr of commandReply(parse('boucle les mesures 1 à 4'), [], ctx, 'fr').follow_ups)
      expect(parse(fr).length).toBeGreaterThan(0);
  });
});
