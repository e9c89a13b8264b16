import type { DelaySync } from '../../shared/schemas/analysis';

const NOTES: [string, number][] = [
  ['1/1', 4],
  ['1/2', 2],
  ['1/4', 1],
  ['1/8', 0.5],
  ['1/16', 0.25],
  ['1/32', 0.125],
  ['1/64', 0.0625],
];

/** Rounded to 3 decimals (microseconds): 120 bpm gives exactly 500, 250, 375 and 333.333. */
const ms = (v: number) => Math.round(v * 1000) / 1000;

/** Delay, reverb and release times locked to a tempo: one beat is 60000 / bpm ms; dotted 1.5x, triplet 2/3x. */
export function delaySync(bpm: number): DelaySync {
  const beat = 60000 / bpm;
  return {
    bpm,
    beat_ms: ms(beat),
    bar_ms_4_4: ms(beat * 4),
    notes: NOTES.map(([note, beats]) => ({
      note,
      beats,
      straight_ms: ms(beat * beats),
      dotted_ms: ms(beat * beats * 1.5),
      triplet_ms: ms((beat * beats * 2) / 3),
      straight_hz: Math.round((1000 / (beat * beats)) * 10000) / 10000,
    })),
    reverb: {
      pre_delay_ms: { sixty_fourth: ms(beat / 16), thirty_second: ms(beat / 8), sixteenth: ms(beat / 4) },
      decay_ms: { short_eighth: ms(beat / 2), medium_quarter: ms(beat), long_half: ms(beat * 2), bar: ms(beat * 4) },
    },
    release_ms: { sixteenth: ms(beat / 4), eighth: ms(beat / 2), quarter: ms(beat) },
  };
}
