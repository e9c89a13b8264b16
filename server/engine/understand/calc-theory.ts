/** Music theory answers: relative and parallel keys, notes of scales and chords, transposition. */
import type { Calculator } from './calculation-types';
import { CHORDS, SCALES, type Degrees, chordQuality } from './music-structures';
import {
  type SpelledNote,
  intervalAbove,
  midiOf,
  mod,
  nameFromMidi,
  noteName,
  parseNote,
  pitchClass,
  pitchClassName,
  spellOnLetter,
} from './note-names';

const KEY = '([a-g](?:#|♯|b|♭| sharp| flat)?)';
const MODE = '(major|minor|maj|min|m)';

const spell = (root: SpelledNote, degrees: Degrees) => degrees.map(([d, s]) => noteName(intervalAbove(root, d, s)));

/** "3 sharps", "2 flats", "no sharps or flats" for a major key, from its spelled scale. */
function keySignature(majorRoot: SpelledNote): string {
  const total = SCALES.find(([n]) => n === 'major')![1].reduce(
    (sum, [d, s]) => sum + intervalAbove(majorRoot, d, s).accidental,
    0,
  );
  if (total === 0) return 'no sharps or flats';
  const n = Math.abs(total);
  return `${n} ${total > 0 ? 'sharp' : 'flat'}${n === 1 ? '' : 's'}`;
}

const relativeMajor = (minorRoot: SpelledNote) => spellOnLetter(minorRoot.letter + 2, pitchClass(minorRoot) + 3);

const isMinor = (mode: string | undefined) => mode !== undefined && /^(?:minor|min|m)$/.test(mode);

const relatedKeys: Calculator = (lower) => {
  const askedTarget = new RegExp(
    `(relative|parallel) (major|minor)(?: key| scale)? (?:of|for|to) ${KEY}(?: ${MODE})?\\b`,
  ).exec(lower);
  const askedSource = new RegExp(`(relative|parallel)(?: key| scale)? (?:of|for|to) ${KEY}(?: ${MODE})?\\b`).exec(
    lower,
  );
  if (!askedTarget && !askedSource) return undefined;
  const relation = (askedTarget ?? askedSource)![1]!;
  const root = parseNote(askedTarget ? askedTarget[3]! : askedSource![2]!);
  if (!root) return undefined;
  const sourceMinor = askedTarget ? askedTarget[2] === 'major' : isMinor(askedSource![3]);
  const from = `${noteName(root)} ${sourceMinor ? 'minor' : 'major'}`;
  let target: SpelledNote = root;
  if (relation === 'relative') {
    target = sourceMinor
      ? spellOnLetter(root.letter + 2, pitchClass(root) + 3)
      : spellOnLetter(root.letter + 5, pitchClass(root) - 3);
  }
  const key = `${noteName(target)} ${sourceMinor ? 'major' : 'minor'}`;
  const signature = keySignature(sourceMinor ? target : relativeMajor(target));
  const why =
    relation === 'relative'
      ? `same key signature, ${signature}; ${noteName(target)} is a minor third ${sourceMinor ? 'above' : 'below'} ${noteName(root)}`
      : `same root, different key signature: ${key} has ${signature}`;
  return {
    kind: `${relation}_key`,
    answer_markdown: `**The ${relation} ${sourceMinor ? 'major' : 'minor'} of ${from} is ${key}** (${why}).`,
    values: { from, key, root: noteName(target), mode: sourceMinor ? 'major' : 'minor', key_signature: signature },
  };
};

const SCALE_RE = new RegExp(`(?:^|[^a-z#])${KEY} (${SCALES.map(([n]) => n).join('|')})\\b`);

/** "D dorian", "what's the E harmonic minor scale?": nothing but the scale's name around it (so "which scale works over a minor blues" is no request). */
function isOnlyScaleName(lower: string, match: string): boolean {
  const rest = lower
    .replace(match, ' ')
    .replace(
      /\b(?:what is|what's|whats|what are|show me|give me|list|the|scale|mode|notes|in|of|please|codette)\b|[?.!,:]/g,
      ' ',
    );
  return rest.trim().length === 0;
}

const scaleNotes: Calculator = (lower, original) => {
  if (/\bchord|\btriad|\barpeggio/.test(lower)) return undefined;
  const m = SCALE_RE.exec(lower);
  // "what is a pentatonic scale": a lower-case "a" after such words is the article, not the note A.
  if (
    m?.[1] === 'a' &&
    new RegExp(`\\b(?:is|whats|what's|use|using|play|playing|learn|about|for|with|in) a ${m[2]}\\b`).test(original)
  )
    return undefined;
  if (!m || !(/\bnotes?\b|\bspell/.test(lower) || isOnlyScaleName(lower, m[0]))) return undefined;
  const root = m ? parseNote(m[1]!) : undefined;
  const scale = m ? SCALES.find(([n]) => n === m[2]) : undefined;
  if (!root || !scale) return undefined;
  const notes = spell(root, scale[1]);
  const name = `${noteName(root)} ${scale[0]}`;
  return {
    kind: 'scale_notes',
    answer_markdown: `**${name}: ${notes.join(' ')}** (semitones from the root: ${scale[1].map(([, s]) => s).join(', ')}).`,
    values: { scale: name, notes, intervals: scale[1].map(([, s]) => s) },
  };
};

const ROOT_RE = /^([A-Ga-g])(#|♯|b|♭| sharp| flat)?(.*)$/;

/** "Cmaj7", "F#m7b5", "Bb minor 7" -> root and canonical quality. */
function parseChord(symbol: string): { root: SpelledNote; quality: string } | undefined {
  const m = ROOT_RE.exec(symbol.trim());
  if (!m) return undefined;
  // "Bb" could be B-flat or B + "b..."; a quality never starts with "b", so the flat reading is right.
  const root = parseNote(`${m[1]}${m[2] ?? ''}`);
  const quality = chordQuality((m[3] ?? '').replace(/(\d)th\b/g, '$1'));
  return root && quality !== undefined ? { root, quality } : undefined;
}

const CHORD_PHRASES = [
  /(?:notes (?:are )?(?:in|of|make up|for)|spell(?: out)?|arpeggio (?:of|for)|what is in|what's in)(?: an?| the)? ([A-Ga-g][^?,;!]*?)(?: chord| triad| arpeggio)?\s*[?.!]*\s*$/i,
  /\b([A-Ga-g][#♯b♭]?[^\s?,]*(?: (?:major|minor|maj|min|diminished|augmented|dominant|half diminished|sus[24]?)(?: ?\d+(?:th)?)?)?) (?:chord|triad|arpeggio)\b/i,
];

const chordNotes: Calculator = (lower, original) => {
  if (!/\bchord|\btriad|\barpeggio|\bnotes\b|\bspell/.test(lower)) return undefined;
  for (const re of CHORD_PHRASES) {
    const m = re.exec(original);
    // a lower-case "a" before "chord" is the article: "a chord progression that sounds sad".
    const chord = m && m[1] !== 'a' && m[1] !== 'an' ? parseChord(m[1]!) : undefined;
    if (!chord) continue;
    const { name, degrees } = CHORDS[chord.quality]!;
    const notes = spell(chord.root, degrees);
    const symbol = `${noteName(chord.root)}${chord.quality}`;
    return {
      kind: 'chord_notes',
      answer_markdown: `**${symbol} (${noteName(chord.root)} ${name}): ${notes.join(' ')}** (semitones from the root: ${degrees.map(([, s]) => s).join(', ')}).`,
      values: { chord: symbol, notes, intervals: degrees.map(([, s]) => s) },
    };
  }
  return undefined;
};

const INTERVALS: Record<string, [degree: number, semitones: number]> = {
  'minor second': [2, 1],
  'major second': [2, 2],
  'minor third': [3, 3],
  'major third': [3, 4],
  'perfect fourth': [4, 5],
  fourth: [4, 5],
  tritone: [4, 6],
  'perfect fifth': [5, 7],
  fifth: [5, 7],
  'minor sixth': [6, 8],
  'major sixth': [6, 9],
  'minor seventh': [7, 10],
  'major seventh': [7, 11],
  octave: [8, 12],
};

/** "3 semitones", "a whole step", "2 octaves", "a perfect fifth" -> semitones (and degree when it is a named interval). */
function parseAmount(text: string): { semitones: number; degree?: number } | undefined {
  const t = text.replace(/^(?:an?|one) /, '1 ').trim();
  const named =
    /^(?:1 )?(minor second|major second|minor third|major third|perfect fourth|fourth|tritone|perfect fifth|fifth|minor sixth|major sixth|minor seventh|major seventh)$/.exec(
      t,
    );
  if (named) {
    const [degree, semitones] = INTERVALS[named[1]!]!;
    return { semitones, degree };
  }
  const m = /^(\d+)(?: ?(semitones?|semis?|st|half ?steps?|whole ?steps?|whole tones?|tones?|steps?|octaves?))?$/.exec(
    t,
  );
  if (!m) return undefined;
  const unit = m[2] ?? 'semitones';
  const per = unit.startsWith('oct') ? 12 : /^(?:whole|tone|step)/.test(unit) ? 2 : 1;
  return { semitones: Number(m[1]) * per };
}

function transposeItem(item: string, semitones: number, degree: number | undefined): string | undefined {
  const note = parseNote(item);
  const chord = note ? undefined : parseChord(item);
  const root = note ?? chord?.root;
  if (!root) return undefined;
  const down = semitones < 0;
  const flats = root.accidental < 0 || (root.accidental === 0 && down);
  let moved: string;
  if (degree !== undefined) {
    const steps = (degree - 1) * (down ? -1 : 1);
    const spelled = spellOnLetter(root.letter + steps, pitchClass(root) + semitones);
    const octave = root.octave === undefined ? undefined : root.octave + Math.floor((root.letter + steps) / 7);
    moved = noteName(octave === undefined ? spelled : { ...spelled, octave });
  } else if (root.octave !== undefined) {
    moved = nameFromMidi(midiOf(root) + semitones, flats);
  } else {
    moved = pitchClassName(mod(pitchClass(root) + semitones, 12), flats);
  }
  return chord ? `${moved}${chord.quality}` : moved;
}

const transpose: Calculator = (lower, original) => {
  const m = /\btranspose (.+?) (up|down) (?:by )?(.+?)\s*[?.!]*$/i.exec(original);
  if (!m || !lower.includes('transpose')) return undefined;
  const amount = parseAmount(m[3]!.toLowerCase());
  if (!amount) return undefined;
  const semitones = m[2]!.toLowerCase() === 'down' ? -amount.semitones : amount.semitones;
  const items = m[1]!
    .replace(/ sharp\b/gi, '#')
    .replace(/ flat\b/gi, 'b')
    .replace(/^(?:the )?(?:notes?|chords?) /i, '')
    .split(/\s*(?:,|\band\b|\s)\s*/)
    .filter(Boolean);
  const moved = items.map((item) => transposeItem(item, semitones, amount.degree));
  if (moved.length === 0 || moved.some((x) => x === undefined)) return undefined;
  const to = moved as string[];
  return {
    kind: 'transpose',
    answer_markdown: `**${items.join(' ')} ${semitones >= 0 ? 'up' : 'down'} ${Math.abs(semitones)} semitone${Math.abs(semitones) === 1 ? '' : 's'} = ${to.join(' ')}**`,
    values: { from: items, to, semitones },
  };
};

const DIATONIC = {
  major: { numerals: ['I', 'ii', 'iii', 'IV', 'V', 'vi', 'vii°'], suffix: ['', 'm', 'm', '', '', 'm', 'dim'] },
  minor: { numerals: ['i', 'ii°', 'III', 'iv', 'v', 'VI', 'VII'], suffix: ['m', 'dim', '', 'm', 'm', '', ''] },
} as const;
const KEY_CHORDS_RE = new RegExp(
  [
    `\\bchords?\\b.*?\\b(?:in|of|for|from)(?: the)?(?: key(?: of)?)? ${KEY} ?${MODE}?\\b`,
    `\\b${KEY} ?${MODE}(?: key)? (?:chords|diatonic chords|chord progressions?)\\b`,
    // "diatonic chords Eb major": no preposition, so the mode must be said.
    `\\bchords:? ${KEY} ?${MODE}\\b`,
    // "what chords go well with Am": the chords of that key.
    `\\bchords? (?:that |which )?(?:go|goes|sound|sounds|work|works|fit|fits)(?: well| good| nice)? (?:with|over) ${KEY} ?${MODE}?(?![a-z#])`,
  ].join('|'),
);

/** "chords in the key of E minor", "what chords are in D major": the seven diatonic triads with their numerals. */
const diatonicChords: Calculator = (lower) => {
  const m = KEY_CHORDS_RE.exec(lower);
  if (!m) return undefined;
  const rootText = m[1] ?? m[3] ?? m[5] ?? m[7];
  const modeText = m[1] !== undefined ? m[2] : m[3] !== undefined ? m[4] : m[5] !== undefined ? m[6] : m[8];
  // "chords for a sad song": the article, not the key of A.
  if (rootText === 'a' && modeText === undefined) return undefined;
  const root = rootText ? parseNote(rootText) : undefined;
  if (!root) return undefined;
  const minor = isMinor(modeText);
  const scale = SCALES.find(([n]) => n === (minor ? 'minor' : 'major'))![1];
  const notes = spell(root, scale);
  const table = DIATONIC[minor ? 'minor' : 'major'];
  const chords = notes.map((n, i) => `${n}${table.suffix[i]}`);
  const key = `${noteName(root)} ${minor ? 'minor' : 'major'}`;
  const lines = chords.map((c, i) => `${table.numerals[i]} ${c}`).join(' · ');
  const common = minor ? [0, 5, 2, 6] : [0, 4, 5, 3];
  return {
    kind: 'diatonic_chords',
    answer_markdown: `**Chords in ${key}:** ${lines}\n\nA progression to start from: ${common.map((i) => chords[i]).join(' - ')} (${common.map((i) => table.numerals[i]).join('-')}).${minor ? ` For a stronger pull home, make the v major: ${intervalAboveName(root)}.` : ''}`,
    values: { key, chords },
  };
};

/** The major V of a minor key (harmonic minor), e.g. B in E minor. */
const intervalAboveName = (root: SpelledNote) => `${noteName(intervalAbove(root, 5, 7))}`;

const NUMERAL = '(?:vii|iii|vi|iv|ii|v|i)(?:°|o|dim|ø|maj7|m7|7)?';
const NUMERAL_VALUE: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7 };
const PROGRESSION_RE = new RegExp(
  `(?:^|[\\s(])((?:${NUMERAL})(?:[\\s,–-]+(?:${NUMERAL})){1,7})\\s+(?:in|of|en)(?: the)?(?: key(?: of)?)? ${KEY}(?: ?${MODE})?\\b`,
  'i',
);

/**
 * One numeral of a progression as a chord of the key: case gives major or minor, a mark gives the chord ("7", "°").
 * With `sevenths`, unmarked numerals get the usual jazz seventh: V7, Imaj7 and IVmaj7, ii m7, vii° m7b5.
 */
function numeralChord(numeral: string, notes: readonly string[], sevenths = false): string | undefined {
  const m = /^(vii|iii|vi|iv|ii|v|i)(°|o|dim|ø|maj7|m7|7)?$/i.exec(numeral);
  if (!m) return undefined;
  const degree = NUMERAL_VALUE[m[1]!.toLowerCase()]!;
  const upper = m[1] === m[1]!.toUpperCase();
  const mark = (m[2] ?? '').toLowerCase();
  const root = notes[degree - 1]!;
  if (mark === '°' || mark === 'o' || mark === 'dim') return sevenths ? `${root}m7b5` : `${root}dim`;
  if (mark === 'ø') return `${root}m7b5`;
  if (mark === 'maj7') return `${root}maj7`;
  if (mark === 'm7') return `${root}m7`;
  if (mark === '7' || sevenths) return upper ? (degree === 5 ? `${root}7` : `${root}maj7`) : `${root}m7`;
  return upper ? root : `${root}m`;
}

const INTERVAL_NAMES = [
  'unison',
  'minor 2nd',
  'major 2nd',
  'minor 3rd',
  'major 3rd',
  'perfect 4th',
  'tritone',
  'perfect 5th',
  'minor 6th',
  'major 6th',
  'minor 7th',
  'major 7th',
];
const BETWEEN_RE = new RegExp(
  `\\b(?:semitones?|half ?steps?|interval|steps?)\\b.*?\\b(?:from|between) ${KEY} (?:to|and|up to) ${KEY}(?![a-z#♯♭])`,
);
/** "how many semitones from C to G", "interval between E and C": counted upward from the first note. */
const semitonesBetween: Calculator = (lower) => {
  const m = BETWEEN_RE.exec(lower);
  if (!m) return undefined;
  const from = parseNote(m[1]!);
  const to = parseNote(m[2]!);
  if (!from || !to) return undefined;
  const up = mod(pitchClass(to) - pitchClass(from), 12);
  return {
    kind: 'interval',
    answer_markdown: `**${noteName(from)} up to ${noteName(to)} = ${up} semitones (${INTERVAL_NAMES[up]})**; down from ${noteName(from)} to ${noteName(to)} is ${up === 0 ? 0 : 12 - up} semitones.`,
    values: { semitones: up, interval: INTERVAL_NAMES[up]! },
  };
};

const ORDINAL: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7 };
/** "capo on 3rd fret playing G shapes": the shape's key moved up one semitone per fret. */
const capo: Calculator = (lower) => {
  const fret =
    /\bcapo (?:on |at )?(?:the )?(?:(\d{1,2})(?:st|nd|rd|th)?|(first|second|third|fourth|fifth|sixth|seventh))(?: fret)?\b|\bcapo\b.*?\b(\d{1,2})(?:st|nd|rd|th)? fret\b/.exec(
      lower,
    );
  const shape = new RegExp(
    `\\b(?:playing|play|using|with|in)(?: an?| the)? ${KEY}(?: ?${MODE})? (?:shapes?|chords?|form)\\b|\\b${KEY}(?: ?${MODE})? shapes?\\b`,
  ).exec(lower);
  if (!fret || !shape) return undefined;
  const frets = Number(fret[1] ?? fret[3] ?? ORDINAL[fret[2] ?? ''] ?? NaN);
  const root = parseNote(shape[1] ?? shape[3] ?? '');
  if (!root || !(frets > 0 && frets < 13)) return undefined;
  const minor = isMinor(shape[2] ?? shape[4]);
  const pc = mod(pitchClass(root) + frets, 12);
  const sharp = pitchClassName(pc);
  const flat = pitchClassName(pc, true);
  const name = sharp === flat ? sharp : `${flat} (${sharp})`;
  return {
    kind: 'capo',
    answer_markdown: `**Capo on fret ${frets} with ${noteName(root)}${minor ? 'm' : ''} shapes sounds in ${name} ${minor ? 'minor' : 'major'}**: each fret raises everything a semitone, so ${noteName(root)} + ${frets} semitones = ${flat}.`,
    values: { frets, key: `${flat} ${minor ? 'minor' : 'major'}` },
  };
};

/** "ii V I in Bb", "I-V-vi-IV in G", "i iv v in A minor": the numerals spelled as chords of that key. */
const progression: Calculator = (_lower, original) => {
  const m = PROGRESSION_RE.exec(original);
  if (!m) return undefined;
  const root = parseNote(m[2]!.toLowerCase());
  if (!root) return undefined;
  const numerals = m[1]!.split(/[\s,–-]+/).filter(Boolean);
  // "I play in C" is a pronoun, not a progression: it takes two numerals, one of them other than a lone "I".
  if (numerals.length < 2 || numerals.every((n) => /^i$/i.test(n))) return undefined;
  const minor = isMinor(m[3]?.toLowerCase());
  const notes = spell(root, SCALES.find(([n]) => n === (minor ? 'minor' : 'major'))![1]);
  const chords = numerals.map((n) => numeralChord(n, notes));
  const jazz = numerals.map((n) => numeralChord(n, notes, true));
  if (chords.some((c) => c === undefined)) return undefined;
  const key = `${noteName(root)} ${minor ? 'minor' : 'major'}`;
  return {
    kind: 'progression',
    answer_markdown: `**${numerals.join('-')} in ${key} = ${chords.join(' - ')}**\n\nWith sevenths (the jazz voicing): ${jazz.join(' - ')}.`,
    values: { key, numerals, chords: chords as string[] },
  };
};

export const THEORY_CALCULATORS: Calculator[] = [
  relatedKeys,
  transpose,
  semitonesBetween,
  capo,
  progression,
  diatonicChords,
  scaleNotes,
  chordNotes,
];
