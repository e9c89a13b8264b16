/** Scales and chords as (scale degree, semitones above the root) pairs, so every note is spelled on the right letter. */

export type Degrees = ReadonlyArray<readonly [degree: number, semitones: number]>;

const heptatonic = (steps: number[]): Degrees => steps.map((s, i) => [i + 1, s] as const);

const MAJOR = heptatonic([0, 2, 4, 5, 7, 9, 11]);
const NATURAL_MINOR = heptatonic([0, 2, 3, 5, 7, 8, 10]);

/** Scale names as typed (lower case), longest first so "harmonic minor" wins over "minor". */
export const SCALES: ReadonlyArray<readonly [name: string, degrees: Degrees]> = [
  [
    'major pentatonic',
    [
      [1, 0],
      [2, 2],
      [3, 4],
      [5, 7],
      [6, 9],
    ],
  ],
  [
    'minor pentatonic',
    [
      [1, 0],
      [3, 3],
      [4, 5],
      [5, 7],
      [7, 10],
    ],
  ],
  ['harmonic minor', heptatonic([0, 2, 3, 5, 7, 8, 11])],
  ['melodic minor', heptatonic([0, 2, 3, 5, 7, 9, 11])],
  ['natural minor', NATURAL_MINOR],
  [
    'pentatonic',
    [
      [1, 0],
      [2, 2],
      [3, 4],
      [5, 7],
      [6, 9],
    ],
  ],
  ['mixolydian', heptatonic([0, 2, 4, 5, 7, 9, 10])],
  ['phrygian', heptatonic([0, 1, 3, 5, 7, 8, 10])],
  ['aeolian', NATURAL_MINOR],
  ['locrian', heptatonic([0, 1, 3, 5, 6, 8, 10])],
  ['dorian', heptatonic([0, 2, 3, 5, 7, 9, 10])],
  ['lydian', heptatonic([0, 2, 4, 6, 7, 9, 11])],
  ['ionian', MAJOR],
  [
    'blues',
    [
      [1, 0],
      [3, 3],
      [4, 5],
      [5, 6],
      [5, 7],
      [7, 10],
    ],
  ],
  ['major', MAJOR],
  ['minor', NATURAL_MINOR],
];

const TRIAD = {
  maj: [
    [1, 0],
    [3, 4],
    [5, 7],
  ],
  min: [
    [1, 0],
    [3, 3],
    [5, 7],
  ],
  dim: [
    [1, 0],
    [3, 3],
    [5, 6],
  ],
} as const;

/** Chord qualities by canonical symbol suffix. */
export const CHORDS: Record<string, { name: string; degrees: Degrees }> = {
  '': { name: 'major triad', degrees: TRIAD.maj },
  m: { name: 'minor triad', degrees: TRIAD.min },
  dim: { name: 'diminished triad', degrees: TRIAD.dim },
  aug: {
    name: 'augmented triad',
    degrees: [
      [1, 0],
      [3, 4],
      [5, 8],
    ],
  },
  '5': {
    name: 'power chord',
    degrees: [
      [1, 0],
      [5, 7],
    ],
  },
  sus2: {
    name: 'suspended 2nd',
    degrees: [
      [1, 0],
      [2, 2],
      [5, 7],
    ],
  },
  sus4: {
    name: 'suspended 4th',
    degrees: [
      [1, 0],
      [4, 5],
      [5, 7],
    ],
  },
  '6': { name: 'major 6th', degrees: [...TRIAD.maj, [6, 9]] },
  m6: { name: 'minor 6th', degrees: [...TRIAD.min, [6, 9]] },
  '7': { name: 'dominant 7th', degrees: [...TRIAD.maj, [7, 10]] },
  maj7: { name: 'major 7th', degrees: [...TRIAD.maj, [7, 11]] },
  m7: { name: 'minor 7th', degrees: [...TRIAD.min, [7, 10]] },
  mmaj7: { name: 'minor-major 7th', degrees: [...TRIAD.min, [7, 11]] },
  m7b5: { name: 'half-diminished 7th', degrees: [...TRIAD.dim, [7, 10]] },
  dim7: { name: 'diminished 7th', degrees: [...TRIAD.dim, [7, 9]] },
  '7sus4': {
    name: 'dominant 7th suspended 4th',
    degrees: [
      [1, 0],
      [4, 5],
      [5, 7],
      [7, 10],
    ],
  },
  add9: { name: 'major add 9', degrees: [...TRIAD.maj, [9, 14]] },
  '9': { name: 'dominant 9th', degrees: [...TRIAD.maj, [7, 10], [9, 14]] },
  maj9: { name: 'major 9th', degrees: [...TRIAD.maj, [7, 11], [9, 14]] },
  m9: { name: 'minor 9th', degrees: [...TRIAD.min, [7, 10], [9, 14]] },
  '11': { name: 'dominant 11th', degrees: [...TRIAD.maj, [7, 10], [9, 14], [11, 17]] },
  '13': { name: 'dominant 13th (11th omitted)', degrees: [...TRIAD.maj, [7, 10], [9, 14], [13, 21]] },
};

/** Ways of writing each quality; checked case-sensitively first ("CM7" is major 7th), then in lower case. */
const ALIASES: Record<string, string> = {
  M: '',
  maj: '',
  major: '',
  min: 'm',
  minor: 'm',
  '-': 'm',
  '°': 'dim',
  o: 'dim',
  diminished: 'dim',
  '+': 'aug',
  augmented: 'aug',
  power: '5',
  sus: 'sus4',
  dom7: '7',
  dominant7: '7',
  M7: 'maj7',
  Δ: 'maj7',
  Δ7: 'maj7',
  ma7: 'maj7',
  major7: 'maj7',
  min7: 'm7',
  '-7': 'm7',
  minor7: 'm7',
  ø: 'm7b5',
  ø7: 'm7b5',
  min7b5: 'm7b5',
  'm7(b5)': 'm7b5',
  halfdiminished: 'm7b5',
  '°7': 'dim7',
  o7: 'dim7',
  diminished7: 'dim7',
  'm(maj7)': 'mmaj7',
  minmaj7: 'mmaj7',
  minormajor7: 'mmaj7',
  M9: 'maj9',
  major9: 'maj9',
  min9: 'm9',
  minor9: 'm9',
  '7sus': '7sus4',
  min6: 'm6',
  minor6: 'm6',
  major6: '6',
  dominant9: '9',
  add2: 'add9',
  majoradd9: 'add9',
};

/** "maj7", "M7", "min7", "ø" -> the canonical suffix, or undefined. */
export function chordQuality(suffix: string): string | undefined {
  const s = suffix.replace(/[\s_]+/g, '').replace(/-?chord$/i, '');
  const lower = s.toLowerCase();
  for (const candidate of [s, lower]) {
    if (Object.hasOwn(CHORDS, candidate)) return candidate;
    if (Object.hasOwn(ALIASES, candidate)) return ALIASES[candidate];
  }
  return undefined;
}
