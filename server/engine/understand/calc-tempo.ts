/** Tempo arithmetic: delay times, reverb pre-delay and decay, bpm <-> ms, bars <-> seconds. Quarter note = 60000 / bpm ms. */
import type { CalculationAnswer, Calculator } from './calculation-types';
import { round } from './note-names';

const NOTES = [
  { key: 'whole', label: '1/1', quarters: 4 },
  { key: 'half', label: '1/2', quarters: 2 },
  { key: 'quarter', label: '1/4', quarters: 1 },
  { key: 'eighth', label: '1/8', quarters: 0.5 },
  { key: 'sixteenth', label: '1/16', quarters: 0.25 },
  { key: 'thirty_second', label: '1/32', quarters: 0.125 },
] as const;
const FEELS = [
  { key: 'straight', factor: 1 },
  { key: 'dotted', factor: 1.5 },
  { key: 'triplet', factor: 2 / 3 },
] as const;

const valueKey = (note: string, feel: string) =>
  feel === 'straight' ? note : feel === 'dotted' ? `dotted_${note}` : `${note}_triplet`;
const quarterMs = (bpm: number) => 60000 / bpm;

const BPM_RE =
  /(\d+(?:\.\d+)?) ?(?:bpm|beats per minute)|(?:tempo|bpm)(?: of| is| at| =|:)? (\d+(?:\.\d+)?)(?![\d.])(?! ?(?:ms|milli|seconds?|secs?|s\b|bars?|beats?|minutes?))/;
/** "dotted eighth at 140": a bare number after "at" is a tempo when note values are talked about. */
const AT_TEMPO_RE = /\b(?:at|@|for) (\d{2,3}(?:\.\d+)?)\b(?! ?(?:hz|khz|ms|%|db|bars?|beats?|seconds?|secs?|s\b|k\b))/;
function findBpm(lower: string): number | undefined {
  const m = BPM_RE.exec(lower);
  const at = m ? undefined : AT_TEMPO_RE.exec(lower);
  const timeTalk =
    REQUEST_RE.test(lower) ||
    /\bdelay|\breverb|\bpre-?delay|\btempo|\becho|\bbars?\b|\bbeats?\b|\bmeasures?\b|\bms\b|\bseconds?\b|\bminutes?\b|\bhow long\b|\bsong\b/.test(
      lower,
    );
  const bpm = m
    ? Number(m[1] ?? m[2])
    : at && timeTalk && Number(at[1]) >= 40 && Number(at[1]) <= 300
      ? Number(at[1])
      : NaN;
  return bpm > 0 && bpm <= 1000 ? bpm : undefined;
}

function findTimeSignature(lower: string): { numerator: number; denominator: number } {
  const m = /\b(\d{1,2}) ?\/ ?(1|2|4|8|16|32)\b/.exec(lower);
  return m ? { numerator: Number(m[1]), denominator: Number(m[2]) } : { numerator: 4, denominator: 4 };
}

const NOTE_WORDS: Record<string, string> = {
  whole: 'whole',
  '1/1': 'whole',
  half: 'half',
  '1/2': 'half',
  quarter: 'quarter',
  '1/4': 'quarter',
  crotchet: 'quarter',
  eighth: 'eighth',
  '8th': 'eighth',
  '1/8': 'eighth',
  quaver: 'eighth',
  sixteenth: 'sixteenth',
  '16th': 'sixteenth',
  '1/16': 'sixteenth',
  semiquaver: 'sixteenth',
  'thirty-second': 'thirty_second',
  'thirty second': 'thirty_second',
  '32nd': 'thirty_second',
  '1/32': 'thirty_second',
};
// Longest first, and not followed by a digit: "1/16" is not "1/1" followed by a 6.
const REQUEST_RE = new RegExp(
  `(dotted |triplet |tripleted )?(${Object.keys(NOTE_WORDS)
    .sort((a, b) => b.length - a.length)
    .join('|')
    .replace(/\//g, '\\/')})(?!\\d)(?: notes?)?( triplets?|t\\b)?`,
);

const ms = (x: number) => `${round(x)} ms`;

const delayTimes: Calculator = (lower) => {
  const bpm = findBpm(lower);
  const asksDelay =
    /\bdelay\b|\becho\b/.test(lower) ||
    (REQUEST_RE.test(lower) && (/\b(?:ms|milliseconds?|millis)\b/.test(lower) || AT_TEMPO_RE.test(lower)));
  if (bpm === undefined || !asksDelay) return undefined;
  const values: CalculationAnswer['values'] = { bpm };
  const rows: string[] = [];
  for (const note of NOTES) {
    const cells = FEELS.map((feel) => {
      const t = quarterMs(bpm) * note.quarters * feel.factor;
      const key = valueKey(note.key, feel.key);
      values[`${key}_ms`] = round(t);
      values[`${key}_hz`] = round(1000 / t, 3);
      return `${ms(t)} (${round(1000 / t, 3)} Hz)`;
    });
    rows.push(`| ${note.label} | ${cells.join(' | ')} |`);
  }
  let headline = `**Delay times at ${bpm} BPM** (quarter note = 60000 / ${bpm} = ${ms(quarterMs(bpm))})`;
  const req = REQUEST_RE.exec(lower);
  if (req) {
    const note = NOTE_WORDS[req[2] ?? ''] ?? 'quarter';
    const feel = req[1]?.startsWith('dotted') ? 'dotted' : req[1] || req[3] ? 'triplet' : 'straight';
    const key = valueKey(note, feel);
    values.requested = key;
    values.requested_ms = values[`${key}_ms`] ?? 0;
    headline = `**${key.replace(/_/g, ' ')} at ${bpm} BPM = ${values.requested_ms} ms**\n\n${headline}`;
  }
  const table = ['| Note | Straight | Dotted (x1.5) | Triplet (x2/3) |', '|---|---|---|---|', ...rows].join('\n');
  return { kind: 'delay_times', answer_markdown: `${headline}\n\n${table}`, values };
};

const reverbTimes: Calculator = (lower) => {
  const bpm = findBpm(lower);
  if (bpm === undefined || !/\breverb|pre-?delay|\bdecay\b|\brt60\b|\btail\b/.test(lower)) return undefined;
  const ts = findTimeSignature(lower);
  const beat = quarterMs(bpm);
  const bar = beat * ts.numerator * (4 / ts.denominator);
  const pre64 = beat / 16;
  const pre128 = beat / 32;
  const values = {
    bpm,
    predelay_64th_ms: round(pre64),
    predelay_128th_ms: round(pre128),
    decay_to_next_beat_ms: round(beat - pre64),
    decay_to_next_bar_ms: round(bar - pre64),
    beat_ms: round(beat),
    bar_ms: round(bar),
  };
  const answer = [
    `**Reverb timed to ${bpm} BPM** (${ts.numerator}/${ts.denominator}: beat ${ms(beat)}, bar ${ms(bar)})`,
    '',
    `- Pre-delay: 1/64 note = **${ms(pre64)}**, or 1/128 note = **${ms(pre128)}** for a tighter source.`,
    `- Decay so the tail ends by the next beat: **${ms(beat - pre64)}** (beat minus the 1/64 pre-delay).`,
    `- Decay so the tail ends by the next bar: **${ms(bar - pre64)}** (bar minus the 1/64 pre-delay).`,
    '',
    'Short decay keeps a busy part clear; the bar-long tail suits sparse sections and pads.',
  ].join('\n');
  return { kind: 'reverb_times', answer_markdown: answer, values };
};

const bpmToMs: Calculator = (lower) => {
  const bpm = findBpm(lower);
  if (bpm === undefined || !/\b(?:ms|milliseconds?|millis)\b/.test(lower)) return undefined;
  const beat = quarterMs(bpm);
  const values = {
    bpm,
    quarter_ms: round(beat),
    eighth_ms: round(beat / 2),
    sixteenth_ms: round(beat / 4),
    bar_4_4_ms: round(beat * 4),
  };
  const answer = `**${bpm} BPM = ${ms(beat)} per beat** (60000 / ${bpm}). Eighth ${ms(beat / 2)}, sixteenth ${ms(beat / 4)}, a 4/4 bar ${ms(beat * 4)}.`;
  return { kind: 'bpm_to_ms', answer_markdown: answer, values };
};

const msToBpm: Calculator = (lower) => {
  const m = /(\d+(?:\.\d+)?) ?(?:ms|milliseconds?|millis)\b/.exec(lower);
  if (!m || !/\b(?:bpm|tempo)\b/.test(lower) || findBpm(lower) !== undefined) return undefined;
  const t = Number(m[1]);
  if (!(t > 0)) return undefined;
  const values = {
    ms: t,
    bpm_if_quarter: round(60000 / t),
    bpm_if_eighth: round(30000 / t),
    bpm_if_half: round(120000 / t),
  };
  const answer = `**${t} ms as a quarter note = ${values.bpm_if_quarter} BPM** (60000 / ${t}). As an eighth note: ${values.bpm_if_eighth} BPM; as a half note: ${values.bpm_if_half} BPM.`;
  return { kind: 'ms_to_bpm', answer_markdown: answer, values };
};

const periodHz: Calculator = (lower) => {
  const hz = /(\d+(?:\.\d+)?) ?(?:hz|hertz) (?:in|to|as|into) (?:ms|milliseconds)/.exec(lower);
  if (hz) {
    const f = Number(hz[1]);
    if (!(f > 0)) return undefined;
    return {
      kind: 'period',
      answer_markdown: `**${f} Hz = ${ms(1000 / f)}** per cycle (1000 / ${f}).`,
      values: { hz: f, ms: round(1000 / f) },
    };
  }
  const t = /(\d+(?:\.\d+)?) ?(?:ms|milliseconds) (?:in|to|as|into) (?:hz|hertz)/.exec(lower);
  if (!t || !(Number(t[1]) > 0)) return undefined;
  const period = Number(t[1]);
  return {
    kind: 'period',
    answer_markdown: `**${period} ms = ${round(1000 / period, 3)} Hz** (1000 / ${period}).`,
    values: { ms: period, hz: round(1000 / period, 3) },
  };
};

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s < 10 ? '0' : ''}${round(s, 3)}`;
}

const barsAndSeconds: Calculator = (lower) => {
  const bpm = findBpm(lower);
  if (bpm === undefined) return undefined;
  const ts = findTimeSignature(lower);
  const barSec = (60 / bpm) * (4 / ts.denominator) * ts.numerator;
  const sig = `${ts.numerator}/${ts.denominator}`;
  const bars = /(\d+(?:\.\d+)?) (bars?|measures?|beats?)\b/.exec(lower);
  if (bars && /how long|seconds|duration|length|minutes|time|last/.test(lower)) {
    const count = Number(bars[1]);
    const isBeats = (bars[2] ?? '').startsWith('beat');
    const seconds = isBeats ? (count * barSec) / ts.numerator : count * barSec;
    const values = { bpm, [isBeats ? 'beats' : 'bars']: count, seconds: round(seconds, 3), clock: clock(seconds) };
    const answer = `**${count} ${isBeats ? (count === 1 ? 'beat' : 'beats') : count === 1 ? 'bar' : 'bars'} at ${bpm} BPM (${sig}) = ${round(seconds, 3)} s** (${clock(seconds)}); one bar is ${round(barSec, 3)} s.`;
    return { kind: 'bars_to_seconds', answer_markdown: answer, values };
  }
  const time = /(\d+(?:\.\d+)?) ?(seconds?|secs?|s|minutes?|mins?)\b/.exec(lower);
  const clockTime = /\b(\d{1,2}):(\d{2})\b/.exec(lower);
  if ((time || clockTime) && /how many (?:bars|measures|beats)|\bin (?:bars|measures|beats)\b/.test(lower)) {
    const seconds = clockTime
      ? Number(clockTime[1]) * 60 + Number(clockTime[2])
      : Number(time![1]) * ((time![2] ?? '').startsWith('m') ? 60 : 1);
    const values = {
      bpm,
      seconds,
      bars: round(seconds / barSec, 3),
      beats: round((seconds / barSec) * ts.numerator, 3),
    };
    const answer = `**${seconds} s at ${bpm} BPM (${sig}) = ${values.bars} bars** (${values.beats} beats); one bar is ${round(barSec, 3)} s.`;
    return { kind: 'seconds_to_bars', answer_markdown: answer, values };
  }
  return undefined;
};

/** "my 4 bar loop is 8 seconds long, what bpm", "2 bars in 4 seconds", "16 beats last 7.5 s", "a bar is 2 seconds". */
const loopToBpm: Calculator = (lower) => {
  if (!/\b(?:bpm|tempo|what speed)\b/.test(lower) || findBpmStrict(lower) !== undefined) return undefined;
  const m =
    /\b(\d+(?:\.\d+)?|a|one) ?[- ]?(bars?|measures?|beats?)\b[^\d]{0,40}?(\d+(?:\.\d+)?) ?(seconds?|secs?|s|ms|milliseconds?)\b/.exec(
      lower,
    );
  if (!m) return undefined;
  const count = m[1] === 'a' || m[1] === 'one' ? 1 : Number(m[1]);
  const ts = findTimeSignature(lower);
  const beats = (m[2] ?? '').startsWith('beat') ? count : count * ts.numerator * (4 / ts.denominator);
  const seconds = Number(m[3]) / ((m[4] ?? '').startsWith('m') ? 1000 : 1);
  if (!(seconds > 0 && beats > 0)) return undefined;
  const bpm = (beats * 60) / seconds;
  const unit = (m[2] ?? '').startsWith('beat') ? (count === 1 ? 'beat' : 'beats') : count === 1 ? 'bar' : 'bars';
  return {
    kind: 'loop_to_bpm',
    answer_markdown: `**${count} ${unit} in ${round(seconds, 3)} s = ${round(bpm)} BPM** (${round(beats)} quarter-note beats x 60 / ${round(seconds, 3)} s${(m[2] ?? '').startsWith('beat') ? '' : `, in ${ts.numerator}/${ts.denominator}`}). Half time would be ${round(bpm / 2)} BPM, double time ${round(bpm * 2)} BPM.`,
    values: { bpm: round(bpm), seconds, beats },
  };
};

function findBpmStrict(lower: string): number | undefined {
  const m = BPM_RE.exec(lower);
  return m ? Number(m[1] ?? m[2]) : undefined;
}

/** Order matters: reverb before delay ("pre-delay"), delay before plain bpm -> ms. */
export const TEMPO_CALCULATORS: Calculator[] = [
  loopToBpm,
  reverbTimes,
  barsAndSeconds,
  delayTimes,
  periodHz,
  bpmToMs,
  msToBpm,
];
