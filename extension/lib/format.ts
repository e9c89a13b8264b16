import { TICKS_PER_BEAT } from '../../shared/constants';
import type { TimeSignature } from '../../shared/schemas/transport';

/** 83.25 -> "1:23.2" */
export function formatTime(seconds: number): string {
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${m}:${rest < 10 ? '0' : ''}${rest.toFixed(1)}`;
}

/** Seconds to "bar.beat" (1-based, beats of the time signature's denominator, bpm in quarter notes): 8 s at 120 -> "5.1". */
export function formatBarsBeats(
  seconds: number,
  bpm: number,
  ts: TimeSignature = { numerator: 4, denominator: 4 },
): string {
  const beat = (60 / bpm) * (4 / ts.denominator);
  const beats = Math.floor(Math.max(0, seconds) / beat + 1e-6);
  return `${Math.floor(beats / ts.numerator) + 1}.${(beats % ts.numerator) + 1}`;
}

/** Seconds to "bar.beat.tick" as the server and DAWs show a position: 0.5 s at 120 -> "1.2.000". */
export function formatPosition(
  seconds: number,
  bpm: number,
  ts: TimeSignature = { numerator: 4, denominator: 4 },
): string {
  const total = Math.max(0, seconds) / ((60 / bpm) * (4 / ts.denominator));
  const beats = Math.floor(total + 1e-9);
  const tick = Math.max(0, Math.min(TICKS_PER_BEAT - 1, Math.floor((total - beats) * TICKS_PER_BEAT + 1e-6)));
  return `${Math.floor(beats / ts.numerator) + 1}.${(beats % ts.numerator) + 1}.${String(tick).padStart(3, '0')}`;
}

/** A loop region as a DAW shows it, "5.1 – 9.1" (empty when it has no length). */
export function formatLoop(start: number, end: number, bpm: number, ts?: TimeSignature): string {
  return end > start ? `${formatBarsBeats(start, bpm, ts)} – ${formatBarsBeats(end, bpm, ts)}` : '';
}

/** Taps further apart than this start a new count. */
export const TAP_RESET_MS = 2000;
/** At most this many taps are averaged (about four bars of quarter notes). */
const TAP_WINDOW = 16;

/**
 * Tap tempo averaged over the whole run of taps: (last - first) / (taps - 1), so each tap's own jitter counts once and
 * shrinks as the run grows. Rounded to a whole BPM, the precision a tapping hand has; null until two taps.
 */
export function tapTempo(taps: number[], now: number): { taps: number[]; bpm: number | null } {
  const last = taps.at(-1);
  const run = [...(last !== undefined && now - last < TAP_RESET_MS ? taps : []), now].slice(-TAP_WINDOW);
  if (run.length < 2) return { taps: run, bpm: null };
  const mean = (run.at(-1)! - run[0]!) / (run.length - 1);
  const bpm = Math.round(60_000 / mean);
  return { taps: run, bpm: bpm >= 20 && bpm <= 400 ? bpm : null };
}
