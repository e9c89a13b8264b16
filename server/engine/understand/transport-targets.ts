/** Where to seek or what to loop, in the words musicians use: "bar 3 beat 2", "1:30", "90 seconds", "the top". */
import type { TimeSignature, TransportCommandInput } from '../../../shared/schemas/transport';
import { barSeconds } from '../../transport/musical-time';

export interface TransportContext {
  bpm: number;
  time_signature: TimeSignature;
  position_seconds: number;
}

export interface ClauseResult {
  commands: TransportCommandInput[];
  problems: string[];
}

export const MAX_SECONDS = 86_400;
const MAX_BAR = 100_000;

export const ok = (...commands: TransportCommandInput[]): ClauseResult => ({ commands, problems: [] });
export const problem = (message: string): ClauseResult => ({ commands: [], problems: [message] });

const NUM = '(\\d+(?:\\.\\d+)?)';
const SECONDS_UNIT = '(?:s|sec|secs|second|seconds)';
const MINUTES_UNIT = '(?:m|min|mins|minute|minutes)';
const CLOCK = /^(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d+)?)$/;
const SECONDS = new RegExp(`^${NUM} ?${SECONDS_UNIT}$`);
const MINUTES = new RegExp(`^${NUM} ?${MINUTES_UNIT}(?: ${NUM} ?${SECONDS_UNIT}?)?$`);
const START = /^(?:very )?(?:start|beginning|top|zero|0|home)(?: of (?:song|track|project|session|it))?$/;

/** "1:30", "90 seconds", "2 minutes 15", "the top" -> seconds; undefined when the words are no time. */
export function parseTime(text: string): number | undefined {
  if (START.test(text)) return 0;
  const clock = CLOCK.exec(text);
  if (clock) return Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const seconds = SECONDS.exec(text);
  if (seconds) return Number(seconds[1]);
  const minutes = MINUTES.exec(text);
  if (minutes) return Number(minutes[1]) * 60 + Number(minutes[2] ?? 0);
  return undefined;
}

/** Checks a bar (and beat) against the schema and the time signature; a message when it cannot exist. */
export function barProblem(bar: number, beat: number | undefined, ctx: TransportContext): string | undefined {
  if (bar < 1) return `there is no bar ${bar}: bars start at 1`;
  if (bar > MAX_BAR) return `bar ${bar} is beyond the last bar Codette can address (${MAX_BAR})`;
  const { numerator, denominator } = ctx.time_signature;
  if (beat !== undefined && (beat < 1 || beat > numerator)) {
    return `beat ${beat} does not exist in ${numerator}/${denominator} (beats 1-${numerator})`;
  }
  return undefined;
}

function timeProblem(seconds: number): string | undefined {
  return seconds > MAX_SECONDS ? `${seconds} seconds is beyond the 24 hours a position can be` : undefined;
}

const BAR_BEAT = /^(?:bar|measure|bars) (\d+)(?: beat (\d+))?$/;
const BEAT_OF_BAR = /^beat (\d+) of (?:bar|measure) (\d+)$/;

/** The seek command for a target, a problem when it is out of range, undefined when the words are no target. */
export function seekTo(target: string, ctx: TransportContext): ClauseResult | undefined {
  const barBeat = BAR_BEAT.exec(target);
  const beatOfBar = BEAT_OF_BAR.exec(target);
  if (barBeat || beatOfBar) {
    const bar = Number(barBeat ? barBeat[1] : beatOfBar?.[2]);
    const beatText = barBeat ? barBeat[2] : beatOfBar?.[1];
    const beat = beatText === undefined ? undefined : Number(beatText);
    const bad = barProblem(bar, beat, ctx);
    if (bad) return problem(bad);
    return ok(beat === undefined ? { action: 'seek', bar } : { action: 'seek', bar, beat });
  }
  const seconds = parseTime(target);
  if (seconds === undefined) return undefined;
  const bad = timeProblem(seconds);
  return bad ? problem(bad) : ok({ action: 'seek', time_seconds: seconds });
}

/** Loop from the start of bar `first` to the end of bar `last` (both inclusive). */
export function loopBars(first: number, last: number, ctx: TransportContext): ClauseResult {
  const bad = barProblem(first, undefined, ctx) ?? barProblem(last, undefined, ctx);
  if (bad) return problem(bad);
  if (last < first) return problem(`the loop runs backwards: bar ${first} comes after bar ${last}`);
  const bar = barSeconds(ctx.bpm, ctx.time_signature);
  return loopSeconds((first - 1) * bar, last * bar);
}

export function loopSeconds(start: number, end: number): ClauseResult {
  if (end > MAX_SECONDS)
    return problem(`a loop ending at ${Math.round(end)} seconds is beyond the 24 hours a position can be`);
  if (end <= start) return problem('the loop must end after it starts');
  return ok({ action: 'loop', enabled: true, start_seconds: start, end_seconds: end });
}

/** The next `count` bars from the start of the bar the playhead is in. */
export function loopNextBars(count: number, ctx: TransportContext): ClauseResult {
  if (count < 1) return problem('a loop needs at least 1 bar');
  const bar = barSeconds(ctx.bpm, ctx.time_signature);
  const current = Math.floor(ctx.position_seconds / bar + 1e-9);
  return loopBars(current + 1, current + count, ctx);
}

/** The last `count` bars up to the end of the bar the playhead is in (from bar 1 when there are fewer). */
export function loopLastBars(count: number, ctx: TransportContext): ClauseResult {
  if (count < 1) return problem('a loop needs at least 1 bar');
  const bar = barSeconds(ctx.bpm, ctx.time_signature);
  const current = Math.floor(ctx.position_seconds / bar + 1e-9) + 1;
  const last = Math.max(current, count);
  return loopBars(last - count + 1, last, ctx);
}

/** Moves the playhead by an amount of bars, beats or seconds, never before the start. */
export function seekBy(amount: number, unit: string, backwards: boolean, ctx: TransportContext): ClauseResult {
  const bar = barSeconds(ctx.bpm, ctx.time_signature);
  const unitSeconds =
    unit.startsWith('bar') || unit.startsWith('measure')
      ? bar
      : unit.startsWith('beat')
        ? bar / ctx.time_signature.numerator
        : 1;
  const target = Math.max(0, ctx.position_seconds + (backwards ? -1 : 1) * amount * unitSeconds);
  const bad = timeProblem(target);
  return bad ? problem(bad) : ok({ action: 'seek', time_seconds: target });
}
