/**
 * The transport grammar's last resort: a clause no phrase rule matched is read as slots instead of as a sentence.
 * One action word (loop, record, click, tempo, play...), its values (numbers with bars, on/off, up/down) and nothing
 * else but filler: "put a loop on bars 9 to 12", "arm recording", "yo hit the click real quick". A clause with any
 * other content word ("record vocals at home", "loop pedal tips") is not a command, so questions stay questions.
 */
import { tempoResult } from './transport-rules';
import { type ClauseResult, type TransportContext, loopBars, loopNextBars, ok } from './transport-targets';

const words = (list: string) => new Set(list.split(' '));

/** Words that carry no meaning in a command: articles, pronouns, politeness, hedges, the DAW's own name for itself. */
const FILLER = words(
  [
    'a an the my our your this that these those it its me us you u we i',
    'can could would will may might shall should do does did',
    'please pls plz thanks thx ty cheers kindly just real quick quickly now rn asap again',
    'yo hey hi ok okay alright so um uh hmm well right yeah yes yep sure bro dude man mate fam',
    "want wanna need needs gimme bring back like love gonna go get give put set make have let lets let's try turn switch",
    'hold wait sec second moment for to of in at with and then also here there some',
    'track song project session daw transport button thing stuff whole part section',
  ].join(' '),
);

const ON = words('on enable enabled activate start begin engage unmute');
const OFF = words(
  'off disable disabled deactivate stop end kill remove cancel clear disarm mute no exit finish quit drop',
);
const UP = words('up faster quicker increase raise higher bump crank push speed');
const DOWN = words('down slower decrease lower reduce slow');

type Action = 'loop' | 'record' | 'metronome' | 'tempo' | 'play' | 'stop' | 'pause' | 'resume';
const ACTION_WORDS: Record<Action, Set<string>> = {
  loop: words('loop looping looped cycle cycling repeat repeating'),
  record: words('record recording rec tracking arm armed'),
  metronome: words('metronome click met'),
  tempo: words('tempo bpm'),
  play: words('play playing playback'),
  stop: words('halt'),
  pause: words('pause paused pausing'),
  resume: words('resume unpause continue'),
};
const UNITS = words('bar bars measure measures from through thru till until');

const NUMBER = /^\d+(?:\.\d+)?$/;

/** Reads a clause as slots; undefined unless exactly one action and nothing but filler and its values remain. */
export function slotCommand(clause: string, ctx: TransportContext): ClauseResult | undefined {
  const tokens = clause
    .replace(/\b(?:hold|hang) on\b/g, ' ')
    .replace(/(\d)\s*-\s*(\d)/g, '$1 to $2')
    .replace(/(^|\s)\+\s?(?=\d)/g, '$1up by ')
    .replace(/(^|\s)-\s?(?=\d)/g, '$1down by ')
    .replace(/(\d)\s*%/g, '$1 percent')
    .split(/[\s,]+/)
    .filter(Boolean);
  if (tokens.length === 0 || tokens.length > 14) return undefined;
  const actions = new Set<Action>();
  const numbers: number[] = [];
  let on = false;
  let off = false;
  let up = false;
  let down = false;
  let bars = false;
  let by = false;
  let percent = false;
  for (const t of tokens) {
    const action = (Object.keys(ACTION_WORDS) as Action[]).find((a) => ACTION_WORDS[a].has(t));
    if (action) actions.add(action);
    else if (NUMBER.test(t)) numbers.push(Number(t));
    else if (t === 'by') by = true;
    else if (t === 'percent') percent = true;
    else if (UNITS.has(t)) bars ||= /^(?:bars?|measures?)$/.test(t);
    else if (ON.has(t)) on = true;
    else if (OFF.has(t)) off = true;
    else if (UP.has(t)) up = true;
    else if (DOWN.has(t)) down = true;
    else if (!FILLER.has(t)) return undefined;
    if (t === 'stop') off = true;
  }
  // "stop" alone is the transport's stop; beside another action it switches that action off.
  if (actions.size === 0 && off && tokens.includes('stop') && numbers.length === 0 && !on)
    return ok({ action: 'stop' });
  // "make it 20% faster", "go faster by 6": a change of tempo without the word tempo.
  if (
    actions.size === 0 &&
    numbers.length === 1 &&
    up !== down &&
    !on &&
    !off &&
    !bars &&
    (by || percent || numbers[0]! < 40)
  )
    return tempoResult(ctx.bpm + (up ? 1 : -1) * (percent ? (ctx.bpm * numbers[0]!) / 100 : numbers[0]!));
  // "gimme 128", "bring it back to 120": a lone tempo-sized number with nothing else is a tempo.
  if (
    actions.size === 0 &&
    numbers.length === 1 &&
    !on &&
    !off &&
    !bars &&
    !percent &&
    numbers[0]! >= 40 &&
    numbers[0]! <= 300
  )
    return tempoResult(numbers[0]!);
  if (actions.size !== 1) return undefined;
  const [action] = [...actions] as [Action];
  if (on && off) return undefined;
  switch (action) {
    case 'loop':
      if (numbers.length === 2 && !off) return loopBars(numbers[0]!, numbers[1]!, ctx);
      // "loop bars 9-16 at 140", "at 140 loop bars 1 to 4": the tempo first, then the bars at that tempo.
      if (numbers.length === 3 && !off) {
        const at = tokens.findIndex((t, i) => t === 'at' && NUMBER.test(tokens[i + 1] ?? ''));
        const tempo = at >= 0 ? Number(tokens[at + 1]) : NaN;
        const [first, last] = numbers.filter((n, i) => i !== numbers.indexOf(tempo));
        if (!(tempo >= 40 && tempo <= 300) || first === undefined || last === undefined) return undefined;
        const set = tempoResult(tempo);
        if (set.problems.length) return set;
        const loop = loopBars(first, last, { ...ctx, bpm: tempo });
        return { commands: [...set.commands, ...loop.commands], problems: loop.problems };
      }
      // "loop bar 3" is one bar; "loop those 16 bars" is a count, from the bar the playhead is in.
      if (numbers.length === 1 && bars && !off) {
        const at = tokens.indexOf(String(numbers[0]));
        return /^(?:bars|measures)$/.test(tokens[at + 1] ?? '')
          ? loopNextBars(numbers[0]!, ctx)
          : loopBars(numbers[0]!, numbers[0]!, ctx);
      }
      if (numbers.length) return undefined;
      return ok({ action: 'loop', enabled: !off });
    case 'record':
    case 'metronome':
      if (numbers.length) return undefined;
      return ok({ action, enabled: !off });
    case 'tempo': {
      if (numbers.length !== 1 || bars) return undefined;
      const n = numbers[0]!;
      // "tempo up by 5" moves it; "tempo up to 140" and "bpm 140" set it.
      const relative = up !== down && (by || percent || (!tokens.includes('to') && n < 40));
      const delta = percent ? (ctx.bpm * n) / 100 : n;
      return tempoResult(relative ? ctx.bpm + (up ? delta : -delta) : n);
    }
    default:
      if (numbers.length || on || up || down || (off && action !== 'pause')) return undefined;
      return ok({ action });
  }
}
