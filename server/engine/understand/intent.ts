/** What a chat message asks of Codette: a DAW command, a calculation, a look at the current mix, help, or knowledge. */
import { DEFAULT_BPM } from '../../../shared/constants';
import { answerCalculation } from './calculations';
import { type Perspective, choosePerspective } from './perspective';
import { normalise } from './phrase-text';
import { oneOf, wordsPattern } from './word-pattern';
import { type TransportContext, matchTransport } from './transport-phrases';

export type { Perspective } from './perspective';

export const INTENTS = ['transport', 'calculation', 'mix_question', 'help', 'knowledge'] as const;
export type Intent = (typeof INTENTS)[number];

export interface IntentResult {
  intent: Intent;
  /** 0..1, from how much of the message the deciding rule accounted for. */
  confidence: number;
  perspective: Perspective;
}

const DEFAULT_CONTEXT: TransportContext = {
  bpm: DEFAULT_BPM,
  time_signature: { numerator: 4, denominator: 4 },
  position_seconds: 0,
};

/** Whole messages that ask what Codette is or does. */
const HELP_PHRASES = [
  'help',
  'help me',
  'h',
  'menu',
  'commands',
  'usage',
  'instructions',
  'getting started',
  'what can you do',
  'what do you do',
  'what are you',
  'who are you',
  'what is codette',
  'what can codette do',
  'how do(?:es)? (?:this|you|codette|it) work',
  'what can i ask(?: you)?',
  'what can i say',
  'how can you help(?: me)?',
  'what can you help(?: me)? with',
  'what are your (?:commands|features|abilities|skills)',
  '(?:show|list|give)(?: me)? (?:the |your |all )?commands',
  'how (?:do i|to) use (?:you|this|codette)',
  'what (?:commands|features) (?:do you have|are there|can i use)',
];
const HELP_EXACT = new RegExp(`^${oneOf(HELP_PHRASES)}$`);
const HELP_START = /^(?:what can you do|what do you do|how can you help|what can i ask you|help me use)\b/;

function helpScore(s: string): number {
  let core = s
    .replace(/\b(?:please|for me|exactly)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  for (let guard = 0; guard < 4; guard++) core = core.replace(/^(?:hey|hi|hello|ok|okay|so|codette)\b[\s,]*/, '');
  if (HELP_EXACT.test(core)) return 0.97;
  if (HELP_START.test(core)) return core.length < 50 ? 0.85 : 0.7;
  return 0;
}

/** What of the user's own mix a question can be about: "my mix", "this master", "our low end". */
const MIX_THINGS = [
  'mix',
  'master',
  'mixdown',
  'premaster',
  'track',
  'song',
  'tune',
  'beat',
  'levels?',
  'loudness',
  'lufs',
  'low end',
  'low-end',
  'bass',
  'vocals?',
  'vox',
  'kick',
  'drums',
  'stereo(?: image| field| width)?',
  'high end',
  'top end',
  'mids',
  'balance',
  'dynamics',
  'peaks?',
  'bounce',
  'render',
  'export',
  'headroom',
  'true peak',
  'spectrum',
  'frequency balance',
];
const AM_I = ['clipping', 'peaking', 'too loud', 'too quiet', 'loud enough', 'over', 'in the red', 'hitting'];
const REVIEW_VERBS = [
  'analy[sz]e',
  'check',
  'assess',
  'evaluate',
  'review',
  'rate',
  'critique',
  'listen to',
  'look at',
];
const REVIEWED = ['mix', 'master', 'track', 'song', 'levels', 'loudness', 'low end', 'stereo'];
const MIX_SUBJECT = new RegExp(
  [
    `\\b${oneOf(['my', 'this', 'our', 'the current', 'current'])}(?: \\w+)? ${oneOf(MIX_THINGS)}\\b`,
    `\\bam i ${oneOf(AM_I)}`,
    '\\bhow are (?:my|the) levels\\b',
    `\\b${oneOf(REVIEW_VERBS)} (?:my|this|the) ${oneOf(REVIEWED)}`,
  ].join('|'),
);
/** Words that ask for a verdict on the mix: "is my mix too loud", "does my master sound ok for spotify". */
const MIX_VERDICTS = [
  'too (?:loud|quiet|soft|hot|bright|dark|muddy|harsh|boomy|thin|wide|narrow|compressed|squashed|dynamic|much|little)',
  'loud enough',
  'wide enough',
  'muddy',
  'harsh',
  'boomy',
  'thin',
  'boxy',
  'sibilant',
  'clipping',
  'peaking',
  'distort\\w*',
  'sounds?',
  'sounding',
  'look(?:s|ing)?',
  'balanced',
  'ok',
  'okay',
  'good',
  'fine',
  'ready',
  'spotify',
  'youtube',
  'apple music',
  'streaming',
  'soundcloud',
  'tidal',
  'club',
  'lufs',
  'true peak',
  'headroom',
  'mono',
  'phase',
  'levels?',
  'wrong',
  'problems?',
  'issues?',
  'how loud',
  'dynamic range',
  'crest',
  'translate',
  'analy[sz]e',
  'check',
  'right now',
  'currently',
  'at the moment',
  'compare',
  'match',
];
const MIX_VERDICT = wordsPattern(MIX_VERDICTS, 'g');
const MIX_NOW = wordsPattern([
  'right now',
  'currently',
  'at the moment',
  'as it is',
  'so far',
  'this mix',
  'current mix',
  'latest',
]);
const HOW_TO_STARTS = [
  'how (?:do|can|should|would|could) (?:i|you|we|one)',
  'how to',
  "what'?s the best way",
  'best way to',
  'tips',
  'what (?:plugin|eq|compressor|settings?)',
  'should i use',
  'which plugin',
];
const HOW_TO = new RegExp(`^${oneOf(HOW_TO_STARTS)}`);

function mixScore(s: string): number {
  if (!MIX_SUBJECT.test(s)) return 0;
  const now = MIX_NOW.test(s);
  if (HOW_TO.test(s) && !now) return 0;
  const verdicts = new Set(s.match(MIX_VERDICT) ?? []).size;
  if (verdicts === 0 && !now) return 0;
  return Math.min(0.95, 0.6 + 0.1 * Math.min(verdicts, 3) + (now ? 0.1 : 0));
}

/** Words that ask for a number outright: a calculation said this way is surer. */
const EXPLICIT_CALCULATION = wordsPattern([
  'calculate',
  'convert',
  'what is',
  "what's",
  'whats',
  'how (?:long|many)',
  'notes (?:in|of)',
  'in (?:ms|hz|semitones|cents)',
  'transpose',
  'relative',
  'parallel',
]);

const INTENT_DEFAULT_PERSPECTIVE: Record<Intent, Perspective> = {
  transport: 'workflow_optimization',
  calculation: 'audio_theory',
  mix_question: 'mix_engineering',
  help: 'workflow_optimization',
  knowledge: 'mix_engineering',
};

const round2 = (x: number) => Math.round(x * 100) / 100;

function decide(text: string, s: string, ctx: TransportContext): { intent: Intent; confidence: number } {
  const help = helpScore(s);
  if (help > 0) return { intent: 'help', confidence: help };
  const transport = matchTransport(text, ctx);
  if (transport.commands.length > 0 || transport.problems.length > 0) {
    return {
      intent: 'transport',
      confidence: (0.7 + 0.29 * transport.coverage) * (transport.problems.length ? 0.9 : 1),
    };
  }
  const calculation = answerCalculation(text);
  if (calculation) {
    const explicit = EXPLICIT_CALCULATION.test(s);
    return { intent: 'calculation', confidence: explicit ? 0.93 : 0.8 };
  }
  const mix = mixScore(s);
  if (mix > 0) return { intent: 'mix_question', confidence: mix };
  return { intent: 'knowledge', confidence: 0 };
}

/** Classifies a chat message. `ctx` only matters for transport parsing; the defaults are 120 BPM in 4/4 at 0 s. */
export function classifyIntent(text: string, ctx: TransportContext = DEFAULT_CONTEXT): IntentResult {
  const s = normalise(text);
  const { intent, confidence } = decide(text, s, ctx);
  const { perspective, cueScore } = choosePerspective(s, INTENT_DEFAULT_PERSPECTIVE[intent]);
  // Knowledge is the fallback: it is as sure as the message is about production at all.
  const finalConfidence =
    intent === 'knowledge' ? Math.min(0.9, s.length === 0 ? 0.1 : 0.35 + 0.08 * cueScore) : confidence;
  return { intent, confidence: round2(finalConfidence), perspective };
}
