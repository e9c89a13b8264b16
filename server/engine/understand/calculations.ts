/** Detects a calculation request in a chat message and answers it with exact numbers and short markdown. */
import { PITCH_CALCULATORS } from './calc-pitch';
import { TEMPO_CALCULATORS } from './calc-tempo';
import { THEORY_CALCULATORS } from './calc-theory';
import { STUDIO_CALCULATORS } from './calc-studio';
import type { CalculationAnswer } from './calculation-types';

export type { CalculationAnswer } from './calculation-types';

/** Theory first (chord symbols and key names carry no numbers to confuse), then tempo, then pitch. */
const CALCULATORS = [...STUDIO_CALCULATORS, ...THEORY_CALCULATORS, ...TEMPO_CALCULATORS, ...PITCH_CALCULATORS];

const FRENCH_NOTE: Record<string, string> = { do: 'c', ré: 'd', re: 'd', mi: 'e', fa: 'f', sol: 'g', la: 'a', si: 'b' };

/** French calculation words to the calculators' English: "croche pointée à 120 bpm", "combien de temps dure 64 mesures". */
const FRENCH_CALC: [RegExp, string | ((...groups: string[]) => string)][] = [
  [/\bdoubles? croches?\b/g, 'sixteenth'],
  [/\bcroches? point[ée]es?\b/g, 'dotted eighth'],
  [/\bnoires? point[ée]es?\b/g, 'dotted quarter'],
  [/\bcroches?\b/g, 'eighth'],
  [/\bnoires?\b/g, 'quarter'],
  [/\bblanches?\b/g, 'half'],
  [/\brondes?\b/g, 'whole'],
  [/\btriolets?\b/g, 'triplet'],
  [/\bcombien de temps (?:dure(?:nt)?|font|fait)\b|\bdur[ée]e de\b/g, 'how long is'],
  [/^(.+?),? (?:ça|ca|ils?|elles?) (?:dure(?:nt)?|fait|font) combien(?: de temps)?\s*\??$/g, 'how long is $1'],
  [/\bcombien d'[ée]chantillons (?:dans|pour|par) (?:une |un )?/g, 'samples per '],
  [/\bcombien de mesures\b/g, 'how many bars'],
  [/\bmesures?\b/g, 'bars'],
  [/\b(?:[àa]|pour) (\d{2,3}(?:[.,]\d+)?) ?bpm\b/g, 'at $1 bpm'],
  [/(?<=\s|^)[àa] (\d{2,3})\b/g, 'at $1'],
  [/\bdélai\b|\bécho\b/g, 'delay'],
  [/\bcombien de ms\b|\ben ms\b|\bmillisecondes\b/g, 'in ms'],
  [/\bça fait combien\b/g, 'what is'],
  [/\bréverbe?\b|\bréverbération\b/g, 'reverb'],
  [/\baccords (?:de|en|dans)\b/g, 'chords in'],
  [/\bmineur\b/g, 'minor'],
  [/\bmajeur\b/g, 'major'],
  [/\bgamme (?:de )?([a-g](?:#|b)?)\b/g, '$1'],
  // French note names ("sol majeur", "si bémol", "fa dièse mineur") as letters, after "la gamme" and "de la" are gone.
  [/\b(?:la )?gamme (?:de |d')?/g, ''],
  [
    /\b(do|ré|re|mi|fa|sol|la|si) ?(dièse|diese|#|bémol|bemol|b)?(?= (?:majeur|mineur|major|minor)\b)/g,
    (_m: string, n: string, acc?: string) =>
      `${FRENCH_NOTE[n]}${acc ? (/^(?:dièse|diese|#)$/.test(acc) ? '#' : 'b') : ''}`,
  ],
  [/\brelatif de\b|\brelative de\b/g, 'relative of'],
];

/** The French reading of a calculation's English words, so that an answer asked in French reads in French. */
const FRENCH_ANSWER: [RegExp, string][] = [
  [/\bDelay times at\b/g, 'Temps de delay à'],
  [/\bquarter note\b/g, 'noire'],
  [/\bdotted eighth\b/g, 'croche pointée'],
  [/\bdotted quarter\b/g, 'noire pointée'],
  [/\beighth triplet\b/g, 'triolet de croches'],
  [/\bquarter triplet\b/g, 'triolet de noires'],
  [/\bsixteenth\b/g, 'double croche'],
  [/\beighth\b/g, 'croche'],
  [
    /\| Note \| Straight \| Dotted \(x1\.5\) \| Triplet \(x2\/3\) \|/g,
    '| Valeur | Normale | Pointée (x1,5) | Triolet (x2/3) |',
  ],
  [/\bReverb timed to\b/g, 'Réverbe calée sur'],
  [/\bbars at\b/g, 'mesures à'],
  [/\bone bar is\b/g, 'une mesure dure'],
  [/\bbeats\b/g, 'temps'],
  [/\bChords in\b/g, 'Accords de'],
  [/\bA progression to start from\b/g, 'Une progression pour commencer'],
  [/\bFor a stronger pull home, make the v major\b/g, 'Pour mieux ramener à la tonique, rends le v majeur'],
  [/\bWith sevenths \(the jazz voicing\)/g, 'Avec les septièmes (voicing jazz)'],
  [/^\*\*([IViv°ø7-]+) in /g, '**$1 en '],
  [/\bper beat\b/g, 'par temps'],
  [/\bEighth\b/g, 'Croche'],
  [/\ba 4\/4 bar\b/g, 'une mesure en 4/4'],
  [/\bminor\b/g, 'mineur'],
  [/\bmajor\b/g, 'majeur'],
  [/\bsemitones from the root\b/g, 'demi-tons depuis la tonique'],
  [/\bThe relative\b/g, 'Le relatif'],
];

export function frenchCalculationText(text: string): string {
  let s = text.toLowerCase();
  for (const [re, to] of FRENCH_CALC) s = typeof to === 'string' ? s.replace(re, to) : s.replace(re, to);
  return s;
}

export function calculationInFrench(markdown: string): string {
  let s = markdown;
  for (const [re, to] of FRENCH_ANSWER) s = s.replace(re, to);
  return s;
}

/** The answer to a calculation request, or undefined when the message asks for none. */
export function answerCalculation(text: string): CalculationAnswer | undefined {
  if (text.length > 400) return undefined;
  const original = text
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b(?:one|a|1) (beat|bar|measure)\b/gi, '1 $1');
  const lower = original.toLowerCase();
  for (const calculate of CALCULATORS) {
    const answer = calculate(lower, original);
    if (answer) return answer;
  }
  return undefined;
}
