/**
 * Rewrites a command in the words the transport grammar knows, before it is split into clauses: French
 * ("boucle les mesures 5 à 8"), sections named with their bars ("loop the chorus, it's bars 17 to 24"), and
 * amounts said loosely ("a bit faster, like 5 bpm").
 */

/** What "a bit faster" moves the tempo by, and "a lot faster". */
export const TEMPO_NUDGE_BPM = 5;
export const TEMPO_BIG_NUDGE_BPM = 10;

const FRENCH: [RegExp, string][] = [
  [/\b(?:s'il (?:te|vous) pla[iî]t|stp|svp|merci)\b/g, 'please'],
  [/\b(?:est-ce que )?(?:tu peux|peux-tu|pourrais-tu|vous pouvez|pouvez-vous)\b/g, 'can you'],
  [/\b(?:mets|met|mettre|passe|r[èe]gle|fixe)(?: le)? tempo (?:[àa]|sur)(?= |$)/g, 'set tempo to'],
  [/\btempo (?:[àa]|sur)(?= |$)/g, 'tempo to'],
  [/\b(?:mets|passe|r[èe]gle)(?: le)? (?:tempo )?(?:[àa]|sur) (\d+(?:\.\d+)?) ?bpm\b/g, 'set tempo to $1'],
  [/\b(?:un peu |l[ée]g[èe]rement )?plus (?:vite|rapide)\b|\bacc[ée]l[èe]re(?: un peu)?\b/g, 'a bit faster'],
  [/\b(?:un peu |l[ée]g[èe]rement )?plus lent(?:ement)?\b|\bralentis(?: un peu)?\b/g, 'a bit slower'],
  [/\bdouble (?:le )?tempo\b/g, 'double time'],
  [/\b(?:moiti[ée] (?:du )?tempo|tempo divis[ée] par deux)\b/g, 'half time'],
  [/\b(?:active|allume|mets)(?: le)? m[ée]tronome\b|\bm[ée]tronome (?:on|activ[ée]|allum[ée])\b/g, 'metronome on'],
  [/\b(?:coupe|d[ée]sactive|enl[èe]ve|arr[êe]te|[ée]teins)(?: le)? m[ée]tronome\b|\bm[ée]tronome (?:off|coup[ée]|d[ée]sactiv[ée])\b/g, 'metronome off'],
  [/\b(?:lance|d[ée]marre|commence)(?: l'| l)?enregistrement\b|\benregistre\b/g, 'record'],
  [/\b(?:arr[êe]te|coupe|stoppe)(?: l'| l)?enregistrement\b/g, 'stop recording'],
  [/\b(?:d[ée]sactive|coupe|enl[èe]ve|arr[êe]te)(?: la)? boucle\b/g, 'loop off'],
  [/\b(?:lance|d[ée]marre|reprends)(?: la)? lecture\b|\bjoue(?: le morceau| la chanson)?\b|\blecture\b/g, 'play'],
  [/\b(?:mets? en |fais )?pause\b/g, 'pause'],
  [/\barr[êe]te(?: tout| la lecture)?\b|\bstoppe\b/g, 'stop'],
  [/\b(?:reprends|continue)\b/g, 'resume'],
  [/\b(?:reviens|retourne|va|revenir|aller)(?: au| à| a)? d[ée]but\b|\bau d[ée]but\b/g, 'go to start'],
  [/\b(?:va|vas|aller|saute|place-toi|positionne-toi|reviens|retourne)(?: [àa] la| [àa]| au)? mesure (\d+)/g, 'go to bar $1'],
  [/\bboucle(?:r)?(?: sur)?(?: les| la)?\b/g, 'loop'],
  [/\bmesures?\b/g, 'bars'],
  [/\b(\d+) (?:[àa]|jusqu'[àa]|au) (\d+)\b/g, '$1 to $2'],
  [/\b(?:de|du) (\d+) to\b/g, '$1 to'],
  [/\bpuis\b/g, 'then'],
  [/\bet\b/g, 'and'],
];

/** \b that knows accented letters ("métronome activé" ends on a letter too). */
const WORD_EDGE = '(?:(?<![\\p{L}\\p{N}])(?=[\\p{L}\\p{N}])|(?<=[\\p{L}\\p{N}])(?![\\p{L}\\p{N}]))';
const FRENCH_RULES = FRENCH.map(([re, to]) => [new RegExp(re.source.replaceAll('\\b', WORD_EDGE), 'gu'), to] as const);

const SECTION = "(?:the |my |our |this )?(?:chorus|verse|intro|outro|bridge|drop|hook|pre-?chorus|breakdown|build(?:-?up)?|section|part|refrain|couplet|pont)(?: \\d+)?";

const SECTION_WITH_BARS = new RegExp(
  `\\b${SECTION}\\s*,?\\s*(?:(?:it'?s|its|it is|which is|that'?s|that is|is|are|=|:|at|from|on|in|-)\\s+)?((?:bars?|measures?) \\d+)`,
  'g',
);
/** "faster, like 5 bpm", "up maybe 3", "slower by about 10 bpm" -> "faster by 5 bpm". */
const LOOSE_AMOUNT = /\b(faster|slower|quicker|up|down)\s*,?\s*(?:(?:like|say|maybe|about|around|roughly|approximately|by|just|only|maybe like|something like)\s+)+(\d+(?:\.\d+)?) ?(bpm|%|percent)?/g;

export function rewriteCommand(normalised: string): string {
  let s = normalised;
  if (/[àâçéèêëîïôûù]|\b(?:boucle|mesures?|joue|arr[êe]te|lecture|m[ée]tronome|enregistre|mets|plus vite|ralentis)\b/.test(s)) {
    for (const [re, to] of FRENCH_RULES) s = s.replace(re, to);
  }
  s = s.replace(SECTION_WITH_BARS, '$1');
  s = s.replace(LOOSE_AMOUNT, (_m, dir: string, n: string, unit?: string) => `${dir} by ${n} ${unit ?? 'bpm'}`);
  return s.replace(/\s+/g, ' ').trim();
}
