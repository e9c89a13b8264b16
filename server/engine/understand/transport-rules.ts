/** One rule per way of saying a transport command. Every pattern is anchored: a clause matches whole or not at all. */
import { TEMPO_MAX_BPM, TEMPO_MIN_BPM } from '../../../shared/constants';
import { TEMPO_BIG_NUDGE_BPM, TEMPO_NUDGE_BPM } from './command-text';
import {
  type ClauseResult,
  type TransportContext,
  loopBars,
  loopLastBars,
  loopNextBars,
  loopSeconds,
  ok,
  parseTime,
  problem,
  seekBy,
  seekTo,
} from './transport-targets';

type Rule = (clause: string, ctx: TransportContext) => ClauseResult | undefined;

const NUM = '(\\d+(?:\\.\\d+)?)';
const PRESS = '(?:(?:hit|press|push|click|tap|smash) )?';
const OBJECT = '(?: it| this| that| track| song| music| playback| everything| here| there| button)?';
const LOOP = '(?:loop|looping|cycle|cycling|loop mode|cycle mode|loop region|repeat)';
const CLICK = '(?:metronome|click|click track|met|metronome click)';

/** A rule from a regex: `build` runs on a match and may still decline by returning undefined. */
function rule(pattern: string, build: (m: RegExpExecArray, ctx: TransportContext) => ClauseResult | undefined): Rule {
  const re = new RegExp(`^(?:${pattern})$`);
  return (clause, ctx) => {
    const m = re.exec(clause);
    return m ? build(m, ctx) : undefined;
  };
}

const fixed = (pattern: string, result: ClauseResult): Rule => rule(pattern, () => result);

function withThen(first: ClauseResult | undefined, ...after: ClauseResult['commands']): ClauseResult | undefined {
  if (!first) return undefined;
  return first.problems.length ? first : { commands: [...first.commands, ...after], problems: [] };
}

export function tempoResult(bpm: number): ClauseResult {
  const rounded = Math.round(bpm * 1000) / 1000;
  if (!(rounded >= TEMPO_MIN_BPM && rounded <= TEMPO_MAX_BPM)) {
    return problem(`tempo ${rounded} is outside ${TEMPO_MIN_BPM}-${TEMPO_MAX_BPM} BPM`);
  }
  return ok({ action: 'tempo', bpm: rounded });
}

const clampTempo = (bpm: number) => Math.min(TEMPO_MAX_BPM, Math.max(TEMPO_MIN_BPM, bpm));

const TEMPO_WORDS = new Set(
  'speed up slow down increase decrease raise lower bump push drop reduce turn bring nudge tempo bpm it take go faster slower a bit little make knock kick crank'.split(
    ' ',
  ),
);
const UP = /\b(?:up|increase|raise|faster|push|bump|crank)\b/;
const DOWN = /\b(?:down|decrease|lower|slower|slow|drop|reduce)\b/;

/** "speed up to 100", "slow down by 10 bpm", "tempo up 5", "lower the tempo to 90", "speed up by 10%". */
const relativeTempo: Rule = (clause, ctx) => {
  const m = new RegExp(`^([a-z ]+?) (?:(by|to) )?${NUM} ?(bpm|%|percent)?$`).exec(clause);
  if (!m) return undefined;
  const [, head = '', how, value, unit] = m;
  if (!head.split(' ').every((w) => TEMPO_WORDS.has(w))) return undefined;
  const tempoish = /\b(?:tempo|bpm|speed|slow|faster|slower)\b/.test(head) || unit !== undefined;
  const up = UP.test(head);
  const down = DOWN.test(head);
  const n = Number(value);
  // "nudge it to 124", "bring it up to 100": a tempo verb with a target is a tempo without the word.
  if (
    how === 'to' &&
    n >= 40 &&
    n <= 300 &&
    /\b(?:nudge|knock|bring|bump|take|push|drop|crank|speed|slow|raise|lower)\b/.test(head)
  )
    return tempoResult(n);
  if (!tempoish || up === down) return undefined;
  if (how === 'to') return tempoResult(n);
  const delta = unit === '%' || unit === 'percent' ? (ctx.bpm * n) / 100 : n;
  return tempoResult(ctx.bpm + (up ? delta : -delta));
};

const NUDGE_WORDS = new Set([
  ...TEMPO_WORDS,
  'bit',
  'tad',
  'touch',
  'hair',
  'smidge',
  'slightly',
  'lot',
  'much',
  'quicker',
  'somewhat',
  'little',
  'notch',
  'way',
  'more',
  'things',
  'this',
]);

/** "a bit faster", "speed it up a little", "much slower": a stated nudge (TEMPO_NUDGE_BPM, or twice it for "a lot"). */
const nudgeTempo: Rule = (clause, ctx) => {
  const words = clause.split(' ');
  if (!words.every((w) => NUDGE_WORDS.has(w))) return undefined;
  const tempoish = /\b(?:faster|quicker|slower|speed|slow|tempo|bpm|bump|nudge|crank|knock)\b/.test(clause);
  const up = tempoish && UP.test(clause);
  const down = tempoish && DOWN.test(clause);
  if (up === down) return undefined;
  const step = /\b(?:lot|much|way)\b/.test(clause) ? TEMPO_BIG_NUDGE_BPM : TEMPO_NUDGE_BPM;
  return tempoResult(ctx.bpm + (up ? step : -step));
};

const TIME_POINT = `(\\d+:\\d{1,2}(?:\\.\\d+)?|${NUM} ?(?:s|sec|secs|seconds?)|\\d+(?:\\.\\d+)?)`;

export const TRANSPORT_RULES: Rule[] = [
  // play, and play/record from somewhere
  fixed(
    `${PRESS}(?:play|playback|playing|start playback|start playing|begin playback)${OBJECT}(?: back)?|start|start it|go|roll it|let me hear it|hear it|play from here|play it from here`,
    ok({ action: 'play' }),
  ),
  rule(
    `(?:(?:hit |press )?play|playing|playback|start|start playing|start playback|take it|run it|roll it|roll|play it|start it|go|listen) (?:back )?(?:from|at) (.+)`,
    (m, ctx) => withThen(seekTo(m[1] ?? '', ctx), { action: 'play' }),
  ),
  fixed(
    'from (?:top|start|beginning)|restart|start over|start again|from top again',
    ok({ action: 'seek', time_seconds: 0 }, { action: 'play' }),
  ),
  rule('from (.+)', (m, ctx) => withThen(seekTo(m[1] ?? '', ctx), { action: 'play' })),
  rule('(?:record|start recording|recording|record it) (?:from|at) (.+)', (m, ctx) =>
    withThen(seekTo(m[1] ?? '', ctx), { action: 'record', enabled: true }),
  ),
  // pause, stop, resume
  fixed(`${PRESS}pause${OBJECT}|hold it`, ok({ action: 'pause' })),
  fixed(`${PRESS}stop${OBJECT}|stop playing|stop playback|halt|cut it|kill it`, ok({ action: 'stop' })),
  fixed(
    '(?:resume|unpause|un-pause|continue|carry on|keep going|keep playing|keep rolling|go on|pick up where (?:we|you) left off)(?: it| playback| playing| from here)?',
    ok({ action: 'resume' }),
  ),
  // record
  fixed(
    `${PRESS}(?:start |begin |go to )?(?:record|recording|rec)(?: it| this| that| a take| take| something)?|start a recording|punch in|start tracking|(?:record|recording) on|(?:turn on|enable) recording`,
    ok({ action: 'record', enabled: true }),
  ),
  fixed(
    '(?:stop|end|finish|quit|disable|cancel|turn off|kill) (?:recording|record|rec|tracking)|(?:record|recording|rec) off|punch out|disarm',
    ok({ action: 'record', enabled: false }),
  ),
  // loop off / on
  fixed(
    `${LOOP} off|(?:stop|turn off|disable|deactivate|kill|remove|clear|cancel|switch off|exit|end|get rid of|no|unset|drop) ${LOOP}|(?:turn|switch) ${LOOP} off|unloop|un-loop|no more looping|don't loop`,
    ok({ action: 'loop', enabled: false }),
  ),
  fixed(
    `(?:loop|cycle)(?: it| this| that| section| region| selection| here| this section| this part| part)?|${LOOP} on|(?:turn on|enable|activate|switch on|start|set|use) ${LOOP}|(?:turn|switch) ${LOOP} on|start looping|keep looping`,
    ok({ action: 'loop', enabled: true }),
  ),
  rule(
    '(?:loop|cycle|repeat|set loop(?: to)?|set loop region(?: to)?|set cycle(?: to)?|loop region)(?: from)? (?:bars? |measures? )?(\\d+) ?(?:-|to|through|thru|till|until) ?(?:bar |measure )?(\\d+)',
    (m, ctx) => loopBars(Number(m[1]), Number(m[2]), ctx),
  ),
  rule('(?:loop|cycle|repeat) (?:bar|measure) (\\d+)', (m, ctx) => loopBars(Number(m[1]), Number(m[1]), ctx)),
  rule(
    '(?:loop|cycle|repeat) (?:next |these |following |this |coming )?(\\d+) (?:bars|measures|bar|measure)',
    (m, ctx) => loopNextBars(Number(m[1]), ctx),
  ),
  // With the playhead still at the start, "the last 4 bars" can only mean the song's end, which Codette cannot see:
  // no rule matches, and the chat asks which bars.
  rule('(?:loop|cycle|repeat) (?:last|previous|past) (\\d+) (?:bars|measures|bar|measure)', (m, ctx) =>
    ctx.position_seconds > 0 ? loopLastBars(Number(m[1]), ctx) : undefined,
  ),
  rule(`(?:loop|cycle)(?: from)? ${TIME_POINT} ?(?:-|to|through|till|until) ?${TIME_POINT}`, (m) => {
    const start = parseTime(/^\d+(?:\.\d+)?$/.test(m[1] ?? '') ? `${m[1]} s` : (m[1] ?? ''));
    const end = parseTime(/^\d+(?:\.\d+)?$/.test(m[3] ?? '') ? `${m[3]} s` : (m[3] ?? ''));
    return start === undefined || end === undefined ? undefined : loopSeconds(start, end);
  }),
  // seek: relative first, so "go back 5 seconds" is not read as "go back to 5 seconds"
  rule(
    `(skip|jump|go|move|fast forward|ff|forward|rewind|back|go back|skip back|jump back|move back|nudge|skip ahead|jump ahead|go forward|move forward|step back|step forward)(?: (forward|ahead|back|backwards?))?(?: by)? ${NUM} ?(bars?|measures?|beats?|seconds?|secs?|s)(?: (forward|ahead|back|backwards?|earlier|later))?`,
    (m, ctx) => {
      const words = `${m[1]} ${m[2] ?? ''} ${m[5] ?? ''}`;
      return seekBy(Number(m[3]), m[4] ?? 's', /\b(?:back|backwards?|rewind|earlier)\b/.test(words), ctx);
    },
  ),
  rule(
    '(?:(?:go|jump|skip|move|seek|head|take me|bring me|take us|get me|set position|move playhead|put playhead|set playhead|locate|return|come|rewind)(?: back| straight| right)?(?: to)?|back to|to) (.+)',
    (m, ctx) => seekTo(m[1] ?? '', ctx),
  ),
  rule('(?:bar|measure) \\d+(?: beat \\d+)?|beat \\d+ of (?:bar|measure) \\d+', (m, ctx) => seekTo(m[0], ctx)),
  fixed('rewind|return to zero|rtz|go home|back to top|top', ok({ action: 'seek', time_seconds: 0 })),
  // tempo
  rule(
    `(?:(?:set|change|make|put|adjust|bring|take|move|switch)(?: it| song| track| project)? )?(?:tempo|bpm|speed)(?: to| at| =|:)? ${NUM}(?: ?bpm)?`,
    (m) => tempoResult(Number(m[1])),
  ),
  rule(
    `(?:(?:set|change|make|put|bring|take|move|switch|go)(?: it| song| track| project| tempo| bpm| this)?(?: to| at)? )?${NUM} ?bpm`,
    (m) => tempoResult(Number(m[1])),
  ),
  relativeTempo,
  nudgeTempo,
  // A bare tempo: "140 please", "let's do 140".
  rule(`(?:do |try )?${NUM}`, (m) => {
    const bpm = Number(m[1]);
    return bpm >= 40 && bpm <= 300 ? tempoResult(bpm) : undefined;
  }),
  // "set it to 140", "make it 140", "at 140": a bare number after a tempo verb is a tempo (seconds and bars carry units)
  rule(
    `(?:(?:set|change|make|put|bring|take|switch|move)(?: it| song| track| project| this| things)?(?: to| at)?|at|to) ${NUM}`,
    (m) => {
      const bpm = Number(m[1]);
      return bpm >= 40 && bpm <= 300 ? tempoResult(bpm) : undefined;
    },
  ),
  rule(`(?:play|run|take|roll)(?: it| this| that| song| track)? at ${NUM}(?: ?bpm)?`, (m) => {
    const bpm = Number(m[1]);
    return bpm >= 40 && bpm <= 300 ? withThen(tempoResult(bpm), { action: 'play' }) : undefined;
  }),
  rule(
    '(?:go |switch to |make it |set to |put it in |play in )?(double|half)[ -]?(?:time|tempo|speed|bpm)|(double|halve|half) (?:tempo|bpm|speed|it)|twice as fast|half as fast',
    (m, ctx) => tempoResult(clampTempo(/double|twice/.test(m[0]) ? ctx.bpm * 2 : ctx.bpm / 2)),
  ),
  // time signature
  rule(
    '(?:(?:set|change|switch|go|put it|make it|move|change it)(?: to| in)? )?(?:(?:time signature|time sig|timesig|signature|meter)(?: to| in| of|:)? ?)?(\\d+) ?/ ?(\\d+)(?: time| meter| time signature)?',
    (m) => {
      const numerator = Number(m[1]);
      const denominator = Number(m[2]);
      if (!(numerator >= 1 && numerator <= 32) || ![1, 2, 4, 8, 16, 32].includes(denominator)) {
        return problem(
          `${numerator}/${denominator} is not a time signature Codette can set (numerator 1-32, denominator 1, 2, 4, 8, 16 or 32)`,
        );
      }
      return ok({ action: 'time_signature', numerator, denominator: denominator as 1 | 2 | 4 | 8 | 16 | 32 });
    },
  ),
  // metronome
  fixed(
    `${CLICK} on|metronome|click|(?:turn|switch|put|flip) on ${CLICK}|(?:turn|switch|put|flip|get|have|set) ${CLICK} on|(?:enable|activate|start|unmute|give me|add|bring back|use|with) ${CLICK}`,
    ok({ action: 'metronome', enabled: true }),
  ),
  fixed(
    `${CLICK} off|(?:turn|switch|flip) off ${CLICK}|(?:turn|switch|flip) ${CLICK} off|(?:disable|deactivate|stop|mute|kill|lose|remove|no|silence|cut|without|get rid of) ${CLICK}`,
    ok({ action: 'metronome', enabled: false }),
  ),
];
