/**
 * Rewrites a command in the words the transport grammar knows, before it is split into clauses: French
 * ("boucle les mesures 5 à 8"), sections named with their bars ("loop the chorus, it's bars 17 to 24"), and
 * amounts said loosely ("a bit faster, like 5 bpm").
 */

/** What "a bit faster" moves the tempo by, and "a lot faster". */
export const TEMPO_NUDGE_BPM = 5;
export const TEMPO_BIG_NUDGE_BPM = 10;

const FRENCH: [RegExp, string][] = [
  [
    /\b(?:acc[ée]l[èe]re|augmente(?: le tempo)?)(?: un peu)? de (\d+(?:\.\d+)?) ?(?:%|pour ?cents?)/g,
    'speed up by $1%',
  ],
  [
    /\b(?:ralentis|baisse(?: le tempo)?|diminue(?: le tempo)?)(?: un peu)? de (\d+(?:\.\d+)?) ?(?:%|pour ?cents?)/g,
    'slow down by $1%',
  ],
  [
    /\b(?:lance|mets|active|fais)(?: une| la)? boucle (?:des|sur les|les|de la|du|de|sur la) mesures? (\d+) (?:[àa]|jusqu'[àa]) (\d+)/g,
    'loop bars $1 to $2',
  ],
  [/\b(?:relance|reprends|lance) la lecture\b/g, 'play'],
  [/\b(?:mets|active|enclenche)(?: la)? boucle (?:sur|de) (?:les |la )?mesures? (\d+)/g, 'loop bars $1'],
  [
    /\b(?:lance|d[ée]marre|commence)(?: l'| l)?enregistrement (?:[àa]|depuis) (?:la )?mesure (\d+)/g,
    'record from bar $1',
  ],
  [
    /\b(?:d[ée]marre|joue|lance|reprends|relance)(?: la lecture)? (?:[àa]|depuis) (?:la )?mesure (\d+)/g,
    'play from bar $1',
  ],
  [/\bboucle(?:r)? (?:les |sur les )?(\d+) premi[èe]res mesures\b/g, 'loop bars 1 to $1'],
  [/\b(?:un peu |l[ée]g[èe]rement )?moins vite\b/g, 'a bit slower'],
  [/\bbeaucoup plus (?:vite|rapide)\b/g, 'speed up a lot'],
  [/\bbeaucoup plus lent(?:ement)?\b|\bbeaucoup moins vite\b/g, 'slow down a lot'],
  [/\bplus (?:vite|rapide) de (\d+(?:\.\d+)?)(?: ?bpm)?\b/g, 'faster by $1 bpm'],
  [/\bplus lent(?:ement)? de (\d+(?:\.\d+)?)(?: ?bpm)?\b/g, 'slower by $1 bpm'],
  [/\b(?:monte|augmente)(?: le tempo)? de (\d+(?:\.\d+)?)(?: ?bpm)?\b/g, 'faster by $1 bpm'],
  [/\b(?:baisse|diminue)(?: le tempo)? de (\d+(?:\.\d+)?)(?: ?bpm)?\b/g, 'slower by $1 bpm'],
  [/\brembobine\b|\bretour (?:[àa] )?z[ée]ro\b/g, 'go to start'],
  [/^en (\d+ ?\/ ?\d+)$/g, 'switch to $1'],
  [/\b(?:va|vas|aller|saute)(?: [àa]| au)? (?=\d)/g, 'go to '],
  [
    /\b(?:ralentis|acc[ée]l[èe]re|passe|descends|monte|mets)(?: le tempo)? (?:[àa]|sur) (\d{2,3})(?: ?bpm)?\b/g,
    'tempo $1',
  ],
  [/\b(?:s'il (?:te|vous) pla[iî]t|stp|svp|merci)\b/g, 'please'],
  [/\b(?:est-ce que )?(?:tu peux|peux-tu|pourrais-tu|vous pouvez|pouvez-vous)\b/g, 'can you'],
  [/\b(?:mets|met|mettre|remets|passe|r[èe]gle|fixe|monte|baisse)(?: le)? tempo (?:[àa]|sur)(?= |$)/g, 'set tempo to'],
  [/\btempo (?:[àa]|sur)(?= |$)/g, 'tempo to'],
  [/\b(?:mets|passe|r[èe]gle)(?: le)? (?:tempo )?(?:[àa]|sur) (\d+(?:\.\d+)?) ?bpm\b/g, 'set tempo to $1'],
  [/\b(?:acc[ée]l[èe]re|augmente le tempo)(?: un peu)? de (\d+(?:\.\d+)?)(?: ?bpm)?\b/g, 'faster by $1 bpm'],
  [/\b(?:ralentis|baisse le tempo)(?: un peu)? de (\d+(?:\.\d+)?)(?: ?bpm)?\b/g, 'slower by $1 bpm'],
  [/\b(?:un peu |l[ée]g[èe]rement )?plus (?:vite|rapide)\b|\bacc[ée]l[èe]re(?: un peu)?\b/g, 'a bit faster'],
  [/\b(?:un peu |l[ée]g[èe]rement )?plus lent(?:ement)?\b|\bralentis(?: un peu)?\b/g, 'a bit slower'],
  [/\bdouble (?:le )?tempo\b/g, 'double time'],
  [/\b(?:moiti[ée] (?:du )?tempo|tempo divis[ée] par deux|divise le tempo par deux)\b/g, 'half time'],
  [
    /\b(?:active|allume|mets|remets)(?: le)? m[ée]tronome(?: en (?:route|marche))?\b|\bm[ée]tronome (?:on|activ[ée]|allum[ée])\b/g,
    'metronome on',
  ],
  [/\s+(?:maintenant|tout de suite|direct)$/g, ''],
  [/\bmets en route\b/g, 'play'],
  [
    /\b(?:coupe|d[ée]sactive|enl[èe]ve|arr[êe]te|[ée]teins|stop(?:pe)?)(?: le)? m[ée]tronome\b|\bm[ée]tronome (?:off|coup[ée]|d[ée]sactiv[ée])\b/g,
    'metronome off',
  ],
  [/\bm[ée]tronome\b/g, 'metronome'],
  [/\b(?:arr[êe]te|coupe|stoppe)(?: l'| l)?enregistrement\b/g, 'stop recording'],
  [/\b(?:lance|d[ée]marre|commence)(?: l'| l)?enregistrement\b|\benregistre\b/g, 'record'],
  [/\b(?:d[ée]sactive|coupe|enl[èe]ve|arr[êe]te|stop(?:pe)?)(?: la)? boucle\b/g, 'loop off'],
  [/\barr[êe]te(?:r)? d'enregistrer\b|\bstop(?:pe)? l'enregistrement\b/g, 'stop recording'],
  [/\b(?:coupe|enl[èe]ve|d[ée]sactive|arr[êe]te) (?:le )?(?:clic|click)\b/g, 'click off'],
  [/\b(?:active|mets|remets|allume) (?:le )?(?:clic|click)\b/g, 'click on'],
  [/\bclic\b/g, 'click'],
  [/\bremets(?: le)? (?:m[ée]tronome|metronome)\b/g, 'metronome on'],
  [/\b(?:active|enclenche|mets)(?: la)? boucle\b/g, 'loop on'],
  [/\bboucle(?:r)? (?:les |sur les )?(\d+) derni[èe]res mesures\b/g, 'loop last $1 bars'],
  [/\bboucle(?:r)? (?:les |sur les )?(\d+) (?:prochaines|suivantes) mesures\b/g, 'loop next $1 bars'],
  [/\b(?:lance|joue|d[ée]marre)(?: depuis| du| au)? (?:le )?d[ée]but\b/g, 'from top'],
  [/\b(?:va|vas|aller|saute)(?: [àa]| au)? (\d+:\d+)/g, 'go to $1'],
  [/\bavance(?:r)? de (\d+) (mesures?|secondes?|temps)\b/g, 'skip forward $1 $2'],
  [/\brecule(?:r)? de (\d+) (mesures?|secondes?|temps)\b/g, 'go back $1 $2'],
  [/\bsecondes?\b/g, 'seconds'],
  [/\bmets (?=\d)/g, 'set '],
  [/\barr[êe]te(?: tout| la lecture)?\b|\bstoppe\b/g, 'stop'],
  [/\b(?:relance|rejoue)\b/g, 'play'],
  [/\b(?:[àa] partir|depuis) (?:de )?(?:la )?mesure (\d+)/g, 'from bar $1'],
  [/\b(?:recommence|reprends)(?: depuis| du| au)? (?:le )?d[ée]but\b/g, 'from top'],
  [
    /\b(?:reviens|retourne|retour|remets|va|revenir|aller)(?: au| à| a)? (?:le )?d[ée]but\b|\bau d[ée]but\b/g,
    'go to start',
  ],
  [
    /\b(?:va|vas|aller|saute|place-toi|positionne-toi|reviens|retourne)(?: [àa] la| [àa]| au)? mesure (\d+)/g,
    'go to bar $1',
  ],
  [/\bavance(?:r)? de (\d+) mesures?\b/g, 'skip forward $1 bars'],
  [/\brecule(?:r)? de (\d+) mesures?\b/g, 'go back $1 bars'],
  [/\bpasse(?:r)? (?:en|à) (\d+ ?\/ ?\d+)/g, 'switch to $1'],
  [
    /\b(?:lance|relance|d[ée]marre|reprends)(?: la)? lecture\b|\bjoue(?: le morceau| la chanson)?\b|\blecture\b|\bvas-y\b|\bon y va\b|\bc'est parti\b|^(?:lance|d[ée]marre)$/g,
    'play',
  ],
  [/\b(?:mets?(?: en)? |fais )?pause\b/g, 'pause'],
  [/\barr[êe]te(?: tout| la lecture)?\b|\bstoppe\b/g, 'stop'],
  [/\b(?:reprends|continue)\b/g, 'resume'],
  [/\bboucle(?:r)? (?:de|sur|depuis) (?:la )?mesures? (\d+)/g, 'loop bars $1'],
  [/\bboucle(?:r)?(?: sur)?(?: les| la)?\b/g, 'loop'],
  [/\b(?:de|du) (?:la )?mesures? (\d+)/g, 'bars $1'],
  [/\bmesure (\d+)(?! (?:[àa]|to|jusqu))/g, 'bar $1'],
  [/\bmesures?\b/g, 'bars'],
  [/\b(\d+) (?:[àa]|jusqu'[àa]|au) (\d+)\b/g, '$1 to $2'],
  [/\b(?:de|du) (\d+) to\b/g, '$1 to'],
  [/\bpuis\b/g, 'then'],
  [/\bet\b/g, 'and'],
];

/** \b that knows accented letters ("métronome activé" ends on a letter too). */
const WORD_EDGE =
  '(?:(?<![\\w\\u00C0-\\u017F])(?=[\\w\\u00C0-\\u017F])|(?<=[\\w\\u00C0-\\u017F])(?![\\w\\u00C0-\\u017F]))';
const FRENCH_RULES = FRENCH.map(([re, to]) => [new RegExp(re.source.replaceAll('\\b', WORD_EDGE), 'g'), to] as const);

/** Words only a French command uses: the French rewrites run when one is there. */
const FRENCH_HINT =
  /[àâçéèêëîïôûù]|\b(?:relance|rejoue|clic|remets|baisse|monte|augmente|diminue|moins|beaucoup|rembobine|retour|en|boucle|mesures?|joue|arr[êe]te|lecture|enregistre\w*|commence|d[ée]marre|mets|plus (?:vite|lent)|ralentis|lance|passe|avance|recule|recommence|reprends|retour|remets|vas-y|on y va|c'est parti|double le|active|coupe|stoppe|svp|stp|et)\b/;

/** English said loosely, to the grammar's words. */
const ENGLISH: [RegExp, string][] = [
  [/\b(pause|stop)(?: it)? (?:for )?(?:a (?:sec|second|moment|minute|bit)|one sec|a min)\b/g, '$1'],
  [/^(?:hold on|hold up|hang on|wait(?: a (?:sec|second|moment))?|freeze)$/g, 'pause'],
  [/\bstop (?:it |right )?(?:there|here)\b/g, 'stop'],
  [/\brestart(?: the| this)? (?:song|track|it|from (?:the )?top)\b/g, 'restart'],
  [/\bpunch in (?:at|from) /g, 'record from '],
  [/\b(?:set|make|create|add) (?:a |the )?(?:loop|cycle)(?: region)? (?=from \d+(?::|\.\d| ?s\b| ?sec))/g, 'loop '],
  [/\b(?:set|make|create|add) (?:a|the) (loop|cycle)\b/g, 'set $1'],
  [/\bbetween (?:bars? |measures? )?(\d+) and (?:bar |measure )?(\d+)\b/g, 'bars $1 to $2'],
  [/\b((?:bars?|measures?) \d+ ?(?:-|to|through) ?\d+) on (?:loop|repeat|cycle)\b/g, 'loop $1'],
  [/^(?:can we |could we |let s |lets |let's )?try(?: it| this)?(?: at)? (\d{2,3}(?:\.\d+)?)(?: ?bpm)?$/g, 'tempo $1'],
  [/\b(\d+(?:\.\d+)?) ?bpm (faster|quicker|up|higher)\b/g, 'faster by $1 bpm'],
  [/\b(\d+(?:\.\d+)?) ?bpm (slower|down|lower)\b/g, 'slower by $1 bpm'],
  [/\b(?:way|much|far) too fast\b(?:,? (?:and )?slow (?:it |things )?down)?/g, 'slow down a lot'],
  [/\b(?:a bit |a little |little )?too fast\b(?:,? (?:and )?slow (?:it |things )?down)?/g, 'slow down'],
  [/\b(?:way|much|far) too slow\b(?:,? (?:and )?speed (?:it |things )?up)?/g, 'speed up a lot'],
  [/\b(?:a bit |a little |little )?too slow\b(?:,? (?:and )?speed (?:it |things )?up)?/g, 'speed up'],
  [/\b(?:tempo|bpm) ?(?:x ?2|times 2|\* ?2)\b/g, 'double time'],
  [/\b(?:tempo|bpm) ?(?:x ?0\.5|\/ ?2|divided by 2)\b/g, 'half time'],
  [/\b(?:i need|i want|need|want|give me)(?: a| the)? (click|metronome)\b/g, '$1 on'],
  [/\b(?:let me |let's |lets )?hear (?:it )?(?:back )?from\b/g, 'play from'],
  [/\bwaltz time\b/g, '3/4'],
  [/\bcommon time\b/g, '4/4'],
  [/\bcut time\b|\balla breve\b/g, '2/2'],
  // "change to three four" (number words are digits by now): a metre said aloud.
  [/\b(to|in|into) (\d{1,2}) (4|8)(?: time)?$/g, '$1 $2/$3'],
  [/\brecord (?:on|starting (?:at|from)) (bar|measure) /g, 'record from $1 '],
  [/^(?:again|(?:one|1) more time|once more)$/g, 'play'],
  [/^run it back$/g, 'restart'],
  [/\bstart a (?:new )?take\b/g, 'record'],
  [
    /\bi (?:want|need|would like|'d like|d like) (?:it |the tempo |tempo |the bpm )?(?:at|to be|on|to) (\d{2,3}(?:\.\d+)?)(?: ?bpm)?\b/g,
    'tempo $1',
  ],
  [/^(?:go |come |take it )?back to (\d{2,3})(?: ?bpm)?$/g, 'tempo $1'],
  [/^(?:go |switch )?back to (\d+ ?\/ ?\d+)$/g, 'switch to $1'],
  [
    /\bplay (?:from )?(?:bars? |measures? )?(\d+) (?:to|-|through|thru) (?:bar |measure )?(\d+)\b/g,
    'loop bars $1 to $2 and play',
  ],
  [/\b(loop|cycle|repeat) (?:it|this|that) (from|bars?|measures?)\b/g, '$1 $2'],
  [/\s*=\s*/g, ' = '],
  [/\bmove (?:the )?(?:playhead|cursor|position) to\b/g, 'go to'],
  [/\btop of (?:the )?(?:song|track|project)\b/g, 'top'],
  [/\b(?:the )?(\d+) ?min(?:ute)? mark\b/g, '$1 minutes'],
  [/\b(\d+:\d{2}) mark\b/g, '$1'],
  [/\b(?:play|start|go) (?:again )?from where (?:we|you|i) (?:stopped|left off|paused)\b/g, 'resume'],
  [/\b(?:loop|cycle|repeat) (?:the )?first (\d+) (?:bars|measures)\b/g, 'loop bars 1 to $1'],
  [/^no more (click|metronome)$/g, '$1 off'],
];

const SECTION =
  '(?:the |my |our |this )?(?:chorus|verse|intro|outro|bridge|drop|hook|pre-?chorus|breakdown|build(?:-?up)?|section|part|refrain|couplet|pont)(?: \\d+)?';

const SECTION_WITH_BARS = new RegExp(
  `\\b${SECTION}\\s*,?\\s*(?:(?:it'?s|its|it is|which is|that'?s|that is|is|are|=|:|at|from|on|in|-)\\s+)?((?:bars?|measures?) \\d+)`,
  'g',
);
/** "loop 4 bars from bar 9", "loop 8 bars starting at bar 17". */
const BARS_FROM =
  /\b(?:loop|cycle|repeat) (\d+) (?:bars|measures) (?:from|starting (?:at|from)|at|beginning at) (?:bar |measure )?(\d+)\b/g;
/** "faster, like 5 bpm", "up maybe 3", "slower by about 10 bpm" -> "faster by 5 bpm". */
const LOOSE_AMOUNT =
  /\b(faster|slower|quicker|up|down)\s*,?\s*(?:(?:like|say|maybe|about|around|roughly|approximately|by|just|only|maybe like|something like|genre|environ|de)\s+)+(\d+(?:\.\d+)?) ?(bpm|%|percent)?/g;

export function rewriteCommand(normalised: string): string {
  let s = normalised;
  if (FRENCH_HINT.test(s)) for (const [re, to] of FRENCH_RULES) s = s.replace(re, to);
  for (const [re, to] of ENGLISH) s = s.replace(re, to);
  // A decimal comma ("tempo 92,5") before clauses are split at commas.
  s = s.replace(/(\d),(\d{1,2})\b/g, '$1.$2');
  s = s.replace(SECTION_WITH_BARS, '$1');
  s = s.replace(
    BARS_FROM,
    (_m, count: string, first: string) => `loop bars ${first} to ${Number(first) + Number(count) - 1}`,
  );
  s = s.replace(LOOSE_AMOUNT, (_m, dir: string, n: string, unit?: string) => `${dir} by ${n} ${unit ?? 'bpm'}`);
  return s.replace(/\s+/g, ' ').trim();
}

export interface Clarification {
  question: string;
  options: string[];
}

const SECTION_NAMES =
  /^(?:loop|cycle|repeat|play from|play|go to|jump to|skip to|skip|skip past|go past|record from|start from|take it from)(?: the| my| our| le| la| mon| ma)?(?: (?:first|second|third|last|final|next|1st|2nd|3rd|premier|deuxi[èe]me|dernier))? (chorus|verse|intro|outro|bridge|drop|hook|pre-?chorus|breakdown|build(?:-?up)?|refrain|couplet|pont)(?: \d+)?$/;
const FR_SECTION: Record<string, string> = { refrain: 'chorus', couplet: 'verse', pont: 'bridge' };

/**
 * A command about a section whose bars Codette cannot know ("loop the chorus"): a short question back with buttons
 * rather than a guess or an article.
 */
/** A command verb with the value missing: "set the tempo", "change the time signature", "go to bar". */
const MISSING_VALUE: [RegExp, Clarification, Clarification][] = [
  [
    /^(?:set|change|adjust|put|switch|mets|règle|change)(?: the| le)? (?:tempo|bpm)(?: to)?$|^(?:tempo|bpm)$/,
    {
      question: 'What tempo? Say it in BPM, for example "tempo 120".',
      options: ['Tempo 90', 'Tempo 120', 'Tempo 140'],
    },
    {
      question: 'Quel tempo ? Donne-le en BPM, par exemple « tempo 120 ».',
      options: ['Tempo 90', 'Tempo 120', 'Tempo 140'],
    },
  ],
  [
    /^(?:set|change|switch)(?: the| le)? (?:time signature|time sig|meter|signature)(?: to)?$/,
    {
      question: 'Which time signature? For example "switch to 3/4" or "6/8".',
      options: ['Switch to 4/4', 'Switch to 3/4', 'Switch to 6/8'],
    },
    {
      question: 'Quelle mesure ? Par exemple « passe en 3/4 » ou « 6/8 ».',
      options: ['Passe en 4/4', 'Passe en 3/4', 'Passe en 6/8'],
    },
  ],
  [
    /^(?:go to|jump to|skip to|move to|seek to)(?: a)? (?:bar|measure)$|^(?:loop|cycle)(?: some| a few| the)? bars$|^(?:set|put|add|make|create|mets|ajoute|fais|cr[ée]e) (?:a|une|la|the) (?:loop|boucle|cycle)$|^(?:loop|cycle|repeat) (?:the )?(?:last|final) \d+ (?:bars|measures)$/,
    {
      question: 'Which bars? For example "loop bars 9 to 16" or "go to bar 17".',
      options: ['Loop bars 1 to 4', 'Loop bars 9 to 16', 'Go to bar 17'],
    },
    {
      question: 'Quelles mesures ? Par exemple « boucle les mesures 9 à 16 » ou « va à la mesure 17 ».',
      options: ['Boucle les mesures 1 à 4', 'Boucle les mesures 9 à 16', 'Va à la mesure 17'],
    },
  ],
];

export function clarifyCommand(normalised: string, french: boolean): Clarification | undefined {
  const s = rewriteCommand(normalised)
    .replace(/^(?:can you|could you|please|pls|just|ok|okay|hey)\s+/g, '')
    .replace(/\s+(?:please|pls|for me)$/, '');
  for (const [re, en, fr] of MISSING_VALUE) if (re.test(s)) return french ? fr : en;
  const m = SECTION_NAMES.exec(s);
  if (!m) return undefined;
  const section = FR_SECTION[m[1]!] ?? m[1]!;
  const looping = /^(?:loop|cycle|repeat)/.test(s);
  if (french) {
    const name =
      { chorus: 'le refrain', verse: 'le couplet', bridge: 'le pont' }[section] ?? `la section « ${section} »`;
    return {
      question: `Sur quelles mesures est ${name} ? Je ne vois pas les sections de ton projet. Dis par exemple « ${looping ? 'boucle les mesures 17 à 24' : 'va à la mesure 17'} ».`,
      options: looping
        ? ['Boucle les mesures 17 à 24', 'Boucle les mesures 9 à 16']
        : ['Va à la mesure 17', 'Va à la mesure 9'],
    };
  }
  return {
    question: `Which bars is the ${section}? I can't see your project's sections. Say, for example, "${looping ? 'loop bars 17 to 24' : 'go to bar 17'}".`,
    options: looping
      ? ['Loop bars 17 to 24', 'Loop bars 9 to 16', 'Loop the next 8 bars']
      : ['Go to bar 17', 'Go to bar 9'],
  };
}
