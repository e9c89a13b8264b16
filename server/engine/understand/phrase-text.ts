/** Text clean-up shared by the transport parser and the intent classifier: lower case, number words, filler, clauses. */

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const NUMBER_WORD = new RegExp(
  `\\b(?:(${Object.keys(TENS).join('|')})(?:[ -](${Object.keys(UNITS).slice(1, 10).join('|')}))?|(${Object.keys(UNITS).join('|')}))\\b`,
  'g',
);

/** "twenty five" -> "25", "eight" -> "8". Leaves digits alone. */
const TENS_WORDS = Object.keys(TENS).join('|');
const DIGIT_WORDS = Object.keys(UNITS).slice(1, 10).join('|');
/** "a hundred and ten", "one twenty" (as musicians read 120 BPM), "a hundred": whole numbers before the smaller words. */
const HUNDREDS = new RegExp(
  `\\b(?:a|one) hundred(?: and)?(?: (${TENS_WORDS})(?:[ -](${DIGIT_WORDS}))?| (${Object.keys(UNITS).slice(1).join('|')}))?\\b|\\bone (${TENS_WORDS})(?:[ -](${DIGIT_WORDS}))?\\b(?! (?:bars?|beats?|seconds?|minutes?))`,
  'g',
);

export function numberWordsToDigits(text: string): string {
  const withHundreds = text.replace(
    HUNDREDS,
    (_m, tens?: string, unit?: string, small?: string, tens2?: string, unit2?: string) =>
      String(
        100 + (TENS[tens ?? tens2 ?? ''] ?? 0) + (UNITS[unit ?? unit2 ?? ''] ?? 0) + (small ? (UNITS[small] ?? 0) : 0),
      ),
  );
  return withHundreds.replace(NUMBER_WORD, (_m, tens?: string, unit?: string, alone?: string) => {
    if (alone !== undefined) return String(UNITS[alone]);
    return String((TENS[tens ?? ''] ?? 0) + (unit ? (UNITS[unit] ?? 0) : 0));
  });
}

/** Lower case, typographic quotes and dashes unified, sentence punctuation dropped (decimals and 1:30 kept). */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[–—]/g, '-')
    .replace(/[!?"()]+/g, ' ')
    .replace(/\.(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words that open a question rather than a request: "how do I loop", "what tempo is dnb", "is the click on". */
const QUESTION_START =
  /^(?:how|what|what's|whats|why|when|where|which|who|whose|is|are|am|was|were|does|do|did|should|shall|explain|tell me|describe|teach|any tips|tips for|i wonder|wondering|difference between)\b/;

const LEADING_FILLER =
  /^(?:ok(?:ay)?|hey|hi|yo|alright|all right|right|so|now|then|first|and|also|please|pls|plz|codette|quickly|go ahead and|can you|could you|would you|will you|can u|could u|can i|could i|can we|could we|let's|lets|let us|i want to|i'd like to|i would like to|i need you to|i need to|we need to|kindly|um+|uh+|hmm+|yes|yeah|cool|great|nice)\b[\s,]*/;

const TRAILING_FILLER =
  /[\s,]*\b(?:please|pls|plz|for me|now|right now|thanks|thank you|thx|ty|cheers|quickly|asap|again|then|already|ok|okay|codette|mate|will you|would you|could you|yeah|real quick)$/;

/** Removes politeness and filler around a command: "ok could you please hit play for me" -> "hit play". */
export function stripFiller(clause: string): string {
  let s = clause
    .replace(/\b(?:please|pls|plz|just|the|kindly)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (let guard = 0; guard < 8; guard++) {
    const next = s.replace(LEADING_FILLER, '').replace(TRAILING_FILLER, '').trim();
    if (next === s) break;
    s = next;
  }
  return s;
}

/** True when the message reads as a question about something, not as a request to do it. */
export function looksLikeQuestion(normalised: string): boolean {
  let s = normalised;
  for (let guard = 0; guard < 4; guard++) {
    const next = s.replace(/^(?:ok(?:ay)?|hey|hi|yo|so|codette|um+|uh+|hmm+|quick question|question)\b[\s,:]*/, '');
    if (next === s) break;
    s = next;
  }
  return QUESTION_START.test(s);
}

/** Splits "stop, rewind and then play" into clauses; keeps "arm and record" and "bar 3, beat 2" whole. */
export function splitClauses(normalised: string): string[] {
  const joined = normalised
    .replace(/\barm and record\b/g, 'record')
    .replace(/\brock and roll\b/g, 'rock-n-roll')
    .replace(/\bdrum and bass\b/g, 'drum-n-bass')
    .replace(/,\s*(beat \d)/g, ' $1')
    .replace(/\b(minutes?|mins?) and (\d)/g, '$1 $2')
    // "record at bar 9 with the click on": the click is its own command, switched on before the rest starts.
    .replace(/^(.+) with (?:the )?(click|metronome)(?: on)?$/, '$2 on and $1');
  return joined
    .split(/\s*(?:,|;|\band then\b|\bthen\b|\band\b|\bafter that\b|&)\s*/)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}
