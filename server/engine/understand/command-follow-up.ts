/**
 * A command that leans on the conversation: "turn it off" after "turn on the metronome", "now 5 to 8" after a loop,
 * "set the tempo to that" after "delay times at 140 bpm". Rewritten into a command that stands alone, or undefined.
 */
import { looksLikeQuestion, normalise, numberWordsToDigits } from './phrase-text';

const OBJECTS: [RegExp, string][] = [
  [/\b(?:metronome|click|métronome|clic)\b/, 'metronome'],
  [/\b(?:loop|cycle|boucle)\b/, 'loop'],
  [/\b(?:record(?:ing)?|rec|arm|enregistre\w*)\b/, 'recording'],
];

/** What the last earlier turn that named one acted on: metronome, loop or recording. */
function lastObject(earlier: readonly string[]): string | undefined {
  for (let i = earlier.length - 1; i >= 0; i--) {
    const turn = normalise(earlier[i]!);
    for (const [re, name] of OBJECTS) if (re.test(turn)) return name;
  }
  return undefined;
}

/** The last tempo an earlier turn named: "delay times at 140 bpm", "is 128 good for house". */
function lastTempo(earlier: readonly string[]): number | undefined {
  for (let i = earlier.length - 1; i >= 0; i--) {
    const m = /\b(\d{2,3}(?:\.\d+)?) ?bpm\b|\b(?:at|tempo|to) (\d{2,3})\b/.exec(normalise(earlier[i]!));
    const bpm = m ? Number(m[1] ?? m[2]) : NaN;
    if (bpm >= 40 && bpm <= 300) return bpm;
  }
  return undefined;
}

export function resolveCommandFollowUp(earlier: readonly string[], message: string): string | undefined {
  // "what's a dotted eighth at this tempo" asks about the tempo; it does not set one.
  if (earlier.length === 0 || looksLikeQuestion(normalise(message))) return undefined;
  const s = numberWordsToDigits(normalise(message))
    .replace(/^(?:ok(?:ay)?|now|and|then|yeah|cool|great|nice|alright|perfect)\b[\s,]*/g, '')
    .replace(/\s+(?:please|pls|now|again|thanks)$/g, '')
    .trim();
  const object = lastObject(earlier);
  // "turn it off", "switch that on", "it off", "coupe-le".
  const toggle =
    /^(?:(?:turn|switch|put|flip) (?:it|that|this) (on|off)|(?:turn|switch) (on|off) (?:it|that)|(?:it|that) (on|off)|(disable|enable|kill|stop|mute|unmute) (?:it|that)|(coupe|arr[êe]te|d[ée]sactive|active|remets)[- ]le)$/.exec(
      s,
    );
  if (toggle && object) {
    const word = toggle.slice(1).find(Boolean)!;
    const off = /^(?:off|disable|kill|stop|mute|coupe|arr[êe]te|d[ée]sactive)$/.test(word);
    return object === 'recording' ? (off ? 'stop recording' : 'record') : `${object} ${off ? 'off' : 'on'}`;
  }
  // "now 5 to 8", "5-8 next", "then bars 9 to 16" after a loop.
  const bars =
    /^(?:(?:now|next|then) )?(?:bars? |mesures? )?(\d+) ?(?:-|to|through|thru|[àa]) ?(\d+)(?: (?:now|next|instead))?$/.exec(
      s,
    );
  if (bars && object === 'loop') return `loop bars ${bars[1]} to ${bars[2]}`;
  // "set the tempo to that", "use that tempo", "make it that fast".
  if (
    /\b(?:that|this|the same) (?:tempo|bpm|speed)\b|\b(?:tempo|bpm|it) (?:to|at) (?:that|this)\b|^(?:use|set|go with|do) (?:that|this)$/.test(
      s,
    )
  ) {
    const bpm = lastTempo(earlier);
    if (bpm) return `tempo ${bpm}`;
  }
  return undefined;
}
