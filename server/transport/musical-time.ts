import { TICKS_PER_BEAT } from '../../shared/constants';
import type { TimeSignature, TransportPosition } from '../../shared/schemas/transport';

/** Length of one beat (the time signature's denominator note) in seconds, with bpm counted in quarter notes. */
export function beatSeconds(bpm: number, ts: TimeSignature): number {
  return (60 / bpm) * (4 / ts.denominator);
}

export function barSeconds(bpm: number, ts: TimeSignature): number {
  return beatSeconds(bpm, ts) * ts.numerator;
}

/** Seconds to bars.beats.ticks, 1-based, as a DAW shows it. */
export function toMusicalPosition(seconds: number, bpm: number, ts: TimeSignature): TransportPosition {
  const totalBeats = seconds / beatSeconds(bpm, ts);
  const wholeBeats = Math.floor(totalBeats + 1e-9);
  const tick = Math.min(TICKS_PER_BEAT - 1, Math.floor((totalBeats - wholeBeats) * TICKS_PER_BEAT + 1e-6));
  const bar = Math.floor(wholeBeats / ts.numerator) + 1;
  const beat = (wholeBeats % ts.numerator) + 1;
  return {
    seconds: Math.round(seconds * 1000) / 1000,
    bar,
    beat,
    tick: Math.max(0, tick),
    display: `${bar}.${beat}.${String(Math.max(0, tick)).padStart(3, '0')}`,
  };
}

/** bar and beat (1-based) to seconds. */
export function barToSeconds(bar: number, beat: number, bpm: number, ts: TimeSignature): number {
  return ((bar - 1) * ts.numerator + (beat - 1)) * beatSeconds(bpm, ts);
}
