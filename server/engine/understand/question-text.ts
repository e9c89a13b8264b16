/**
 * A question as the engine searches it: chat spelling and slang in full ("vocals r muddy n boxy wat eq" ->
 * "vocals are muddy and boxy what eq"), French production words in English, and typos corrected against the
 * knowledge's own vocabulary ("compresor setings" -> "compressor settings").
 */
import type { Lang } from './language';

const SLANG: Record<string, string> = {
  r: 'are',
  n: 'and',
  u: 'you',
  ur: 'your',
  y: 'why',
  wat: 'what',
  wut: 'what',
  wht: 'what',
  whats: 'what is',
  hw: 'how',
  pls: 'please',
  plz: 'please',
  thx: 'thanks',
  cuz: 'because',
  coz: 'because',
  bc: 'because',
  b4: 'before',
  abt: 'about',
  gonna: 'going to',
  wanna: 'want to',
  gotta: 'have to',
  kinda: 'kind of',
  sorta: 'sort of',
  dunno: "don't know",
  idk: "don't know",
  tho: 'though',
  rn: 'right now',
  ppl: 'people',
  sth: 'something',
  smth: 'something',
  im: 'i am',
  ive: 'i have',
  dont: "don't",
  cant: "can't",
  doesnt: "doesn't",
  isnt: "isn't",
  wont: "won't",
  vox: 'vocals',
  vocs: 'vocals',
  voc: 'vocal',
  snr: 'snare',
  kik: 'kick',
  verb: 'reverb',
  dly: 'delay',
  eqing: 'eq',
  eqs: 'eq',
  eqd: 'eq',
  compressin: 'compressing',
  mixin: 'mixing',
  makin: 'making',
  sumthin: 'something',
  sum: 'some',
  alot: 'a lot',
  aswell: 'as well',
  dnb: 'drum and bass',
  dubstep: 'dubstep',
  lofi: 'lo-fi',
  hiphop: 'hip hop',
  hihat: 'hi-hat',
  hihats: 'hi-hats',
  hh: 'hi-hat',
  bv: 'backing vocal',
  bvs: 'backing vocals',
  fx: 'effects',
  sfx: 'effects',
  acc: 'actually',
  prob: 'probably',
  w: 'with',
  wo: 'without',
  thru: 'through',
  tho2: 'though',
};

/** "how 2 make", "need 2 know": a 2 between words is "to"; "2 bars", "2 kHz" stay numbers. */
const TWO_AS_TO =
  /(?<=\b[a-z]+ )2(?= (?!bars?\b|beats?\b|khz\b|hz\b|db\b|ms\b|bus\b|tracks?\b|times?\b|seconds?\b|minutes?\b|notes?\b|octaves?\b|semitones?\b|steps?\b|voices?\b|mics?\b)[a-z])/g;
const FOUR_AS_FOR = /(?<=\b[a-z]+ )4(?= (?:my|the|a|an|this|that|vocals?|drums?|mixing|mastering)\b)/g;

/** French production words and phrases to the English the knowledge is written in (longest first). */
const FRENCH_TERMS: [RegExp, string][] = [
  [/\b(?:faire|fais|cr[ée]er|fabriquer) (?:une?|des)\b/g, 'make a'],
  [/\bsans (?:monter|augmenter|toucher|pousser)(?: le| au)? (?:volume|niveau|fader)\b/g, ' '],
  [/\b(?:faire )?ressortir\b|\bse d[ée]marquer\b|\bpercer\b/g, 'cut through punch'],
  [/\bgrosses? caisses?\b/g, 'kick'],
  [/\bcaisses? claires?\b/g, 'snare'],
  [/\bcharleston\b|\bcharley\b/g, 'hi-hat'],
  [/\bvoix\b|\bchant\b|\bchanteu(?:r|se)\b/g, 'vocals'],
  [/\bchœurs?\b|\bchoeurs?\b/g, 'backing vocals'],
  [/\bbatterie\b/g, 'drums'],
  [/\bbasse\b/g, 'bass'],
  [/\bguitares?\b/g, 'guitar'],
  [/\bclavier\b/g, 'keys'],
  [/\bnappes?\b/g, 'pad'],
  [/\bcompresseurs?\b|\bcompresser\b|\bcompressée?s?\b/g, 'compression'],
  [/\bégaliseurs?\b|\bégali[sz](?:er|ation)\b|\begaliseur\b/g, 'eq'],
  [/\bréverb(?:e|ération)s?\b|\breverbe\b/g, 'reverb'],
  [/\bdélais?\b|\bécho\b/g, 'delay'],
  [/\blimiteur\b/g, 'limiter'],
  [/\bboueu(?:x|se)\b|\bconfus\b|\bbrouillon\b/g, 'muddy'],
  [/\bdurs?\b|\bagressi(?:f|ve)\b|\bcriard\b|\bstridente?\b/g, 'harsh'],
  [/\bmaigres?\b|\bfines?\b|\bfluettes?\b/g, 'thin'],
  [/\bétouffée?s?\b|\bternes?\b|\bsourde?s?\b/g, 'dull'],
  [/\bnasillarde?\b|\bnasales?\b|\bdu nez\b/g, 'nasal boxy'],
  [/\bc'?est (?:koi|quoi)\b|\bc koi\b|\bqu'est-ce que c'est\b|\bqu'est ce que c'est\b/g, 'what is'],
  [/\bparall[èe]les?\b/g, 'parallel'],
  [/\bdorien(?:ne)?\b/g, 'dorian'],
  [/\bphrygien(?:ne)?\b/g, 'phrygian'],
  [/\blydien(?:ne)?\b/g, 'lydian'],
  [/\bmixolydien(?:ne)?\b/g, 'mixolydian'],
  [/\b[ée]olien(?:ne)?\b/g, 'aeolian'],
  [/\bionien(?:ne)?\b/g, 'ionian'],
  [/\blocrien(?:ne)?\b/g, 'locrian'],
  [/\b(?:pas|non) trait[ée]e?s?\b/g, 'untreated room treatment'],
  [/\ben retard\b|\bretard\b|\bd[ée]calage\b|\bd[ée]cal[ée]e?s?\b/g, 'latency'],
  [/\ben ligne\b/g, 'online browser'],
  [/\bcorriger\b|\br[ée]parer\b|\br[ée]gler\b/g, 'fix'],
  [/\bsynth[ée]s?\b|\bsynth[ée]tiseurs?\b/g, 'synth'],
  [/\b[ée]chantillons?\b/g, 'samples'],
  [/\bglisse\b|\bglissando\b/g, 'glide slide'],
  [/\b[ée]couteurs\b/g, 'earbuds'],
  [/\bprise de son\b/g, 'recording'],
  [/\bsonnent\b|\bsonne\b/g, 'sounds'],
  [/\bdistorsion\b|\bdistordue?s?\b|\bsatur[ée]e?s?\b/g, 'distortion'],
  [/\bst[ée]r[ée]o\b/g, 'stereo'],
  [/\blargeur\b/g, 'width'],
  [/\bcartonn(?:eux|euse)\b|\ben carton\b/g, 'boxy'],
  [/\bsifflantes?\b|\bsibilances?\b/g, 'sibilance'],
  [/\bpercutante?s?\b|\bpunchy\b|\bdu punch\b|\bplus de punch\b|\bfrappe(?:r)? plus fort\b/g, 'punch'],
  [/\bmixage\b|\bmixer\b/g, 'mixing'],
  [/\bmastériser\b|\bmasteriser\b|\bmastering\b/g, 'mastering'],
  [/\b(?:[jm]'|m')?enregistr\w*/g, 'recording'],
  [/\bmicros?\b/g, 'mic'],
  [/\baccords?\b/g, 'chords'],
  [/\bgammes?\b/g, 'scale'],
  [/\btonalité\b/g, 'key'],
  [/\bmineure?\b/g, 'minor'],
  [/\bmajeure?\b/g, 'major'],
  [/\brefrain\b/g, 'chorus'],
  [/\bcouplets?\b/g, 'verse'],
  [/\bpont\b/g, 'bridge'],
  [/\bmorceaux?\b|\bchansons?\b|\btitres?\b/g, 'song'],
  [/\bmesures\b/g, 'bars'],
  [/\blargeur stéréo\b/g, 'stereo width'],
  [/\bpanoramiques?\b|\bpanner\b/g, 'panning'],
  [/\baigus\b/g, 'high end'],
  [/\bgraves\b/g, 'low end'],
  [/\bmédiums\b|\bmediums\b/g, 'mids'],
  [/\bbas[- ]médiums\b/g, 'low mids'],
  [/\bbruits?\b|\bsouffle\b/g, 'noise'],
  [/\blatence\b/g, 'latency'],
  [/\bcraquements?\b|\bgrésillements?\b/g, 'crackles'],
  [/\bclics?\b/g, 'clicks'],
  [/\btraitement acoustique\b/g, 'room treatment'],
  [/\bpièce\b|\bchambre\b/g, 'room'],
  [/\bcasque\b/g, 'headphones'],
  [/\benceintes\b|\bmoniteurs\b/g, 'monitors'],
  [/\bcrête\b/g, 'peak'],
  [/\bpompage\b/g, 'pumping sidechain'],
  [/\bniveau\b|\bvolume\b/g, 'level'],
  [/\btrop forte?\b/g, 'too loud'],
  [/\btrop faible\b|\bpas assez forte?\b/g, 'too quiet'],
  [/\ben avant\b/g, 'upfront presence'],
  [/\bperdue?s? dans le mix\b|\bnoyée?s?\b/g, 'buried'],
  [/\bréglages?\b|\bparamètres\b/g, 'settings'],
  [/\bmise en place\b/g, 'setup'],
  [/\bdébutante?s?\b/g, 'beginner'],
  [/\bnavigateur\b/g, 'browser'],
  [/\bexporter\b|\bexport\b/g, 'export'],
  [/\bquelle? fréquence\b/g, 'what frequency'],
  [/\bfréquences?\b/g, 'frequency'],
  [/\bpourquoi\b/g, 'why'],
  [/\bcomment\b/g, 'how'],
  [/\bquelle?s?\b/g, 'what'],
  [/\bbatteur\b/g, 'drummer'],
  [/\bboucle\b/g, 'loop'],
  [/\bécrêtage\b|\bsature\b|\bsaturation\b/g, 'clipping saturation'],
  [/\bmon\b|\bma\b|\bmes\b/g, 'my'],
  [/\bce\b|\bcette\b/g, 'this'],
  [/\best-(?:il|elle)\b|\best\b/g, 'is'],
  [/\bassez fort\b/g, 'loud enough'],
  [/\bchaleur\b|\bchaleureu(?:x|se)\b/g, 'warmth'],
  [/\bespace\b/g, 'space'],
  [/\bprofondeur\b/g, 'depth'],
  [/\bvoix off\b/g, 'voiceover'],
  // French articles last: "la compression" must not search for the LA-2A.
  [/\b(?:le|la|les|un|une|des|du|au|aux|qui|que)\b|\b[ldj]'/g, ' '],
];

const WORD_EDGE =
  '(?:(?<![\\w\\u00C0-\\u017F])(?=[\\w\\u00C0-\\u017F])|(?<=[\\w\\u00C0-\\u017F])(?![\\w\\u00C0-\\u017F]))';
const FRENCH_RULES = FRENCH_TERMS.map(
  ([re, to]) => [new RegExp(re.source.replaceAll('\\b', WORD_EDGE), 'g'), to] as const,
);

/** Words the typo check leaves alone even when they are not in the knowledge's vocabulary. */
const KEEP = new Set(
  'what how why when where which who does should would could need want make sound sounds track song beat mine your their'.split(
    ' ',
  ),
);

/** Optimal string alignment distance, stopping once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** The knowledge's words with their frequency, for typo correction; looked up by length to stay fast. */
export class Vocabulary {
  readonly #count = new Map<string, number>();
  readonly #byLength = new Map<number, string[]>();
  readonly #corrected = new Map<string, string>();

  constructor(texts: Iterable<string>) {
    for (const text of texts)
      for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) this.#count.set(w, (this.#count.get(w) ?? 0) + 1);
    for (const w of this.#count.keys()) {
      if (w.length < 3) continue;
      const list = this.#byLength.get(w.length) ?? [];
      list.push(w);
      this.#byLength.set(w.length, list);
    }
  }

  has(word: string): boolean {
    return this.#count.has(word);
  }

  /** The closest known word (1 edit for 5-6 letters, 2 from 7; shorter words are too often real words: "mess", "shot"), the most frequent on a tie; the word itself otherwise. */
  correct(word: string): string {
    if (word.length < 5 || this.#count.has(word) || KEEP.has(word) || !/^[a-z]+$/.test(word)) return word;
    const cached = this.#corrected.get(word);
    if (cached !== undefined) return cached;
    const max = word.length >= 7 ? 2 : 1;
    let best = word;
    let bestDistance = max + 1;
    let bestCount = 0;
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const candidate of this.#byLength.get(len) ?? []) {
        // Typos keep the first letter (or swap the first two): a cheap filter before the distance.
        if (candidate[0] !== word[0] && !(candidate[0] === word[1] && candidate[1] === word[0])) continue;
        const d = editDistance(word, candidate, Math.min(max, bestDistance));
        const count = this.#count.get(candidate) ?? 0;
        if (d < bestDistance || (d === bestDistance && d <= max && count > bestCount)) {
          best = candidate;
          bestDistance = d;
          bestCount = count;
        }
      }
    }
    if (this.#corrected.size > 20_000) this.#corrected.clear();
    this.#corrected.set(word, best);
    return best;
  }
}

/** The question in plain English words the knowledge uses. */
export function searchText(question: string, lang: Lang, vocabulary?: Vocabulary): string {
  let s = question.toLowerCase().replace(/[’‘`]/g, "'");
  if (lang === 'fr') for (const [re, to] of FRENCH_RULES) s = s.replace(re, to);
  s = s.replace(TWO_AS_TO, 'to').replace(FOUR_AS_FOR, 'for');
  s = s.replace(/[a-z0-9']+/g, (w) => SLANG[w] ?? w);
  // Words of contrast name nothing to search for: "quieter than other songs even tho it peaks at 0".
  s = s.replace(/\b(?:even (?:though|if|when|with)|although|though)\b/g, ' ');
  if (vocabulary) s = s.replace(/[a-z]+/g, (w) => vocabulary.correct(w));
  return s;
}
