/** Note names with their spelling kept: letters, accidentals, octaves, MIDI numbers and equal-tempered frequencies. */

export const LETTERS = ['C', 'D', 'E', 'F', 'G', 'A', 'B'] as const;
const NATURAL_PITCH = [0, 2, 4, 5, 7, 9, 11] as const;
const SHARP_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
const FLAT_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
export const A4_HZ = 440;
export const A4_MIDI = 69;

export interface SpelledNote {
  /** 0 = C ... 6 = B */
  letter: number;
  /** -2 = double flat ... +2 = double sharp */
  accidental: number;
  octave?: number;
}

export const mod = (n: number, m: number) => ((n % m) + m) % m;

/** Accepts "F#", "f sharp", "Bb", "b flat", "Eb4", "C#-1", "Fx", "Dbb". */
export const NOTE_PATTERN = '([a-g])(##|#|♯|x|bb|b|♭| sharp| flat)?(-1|[0-9])?';
const NOTE_RE = new RegExp(`^${NOTE_PATTERN}$`, 'i');

function accidentalValue(symbol: string | undefined): number {
  switch ((symbol ?? '').trim().toLowerCase()) {
    case '#':
    case '♯':
    case 'sharp':
      return 1;
    case '##':
    case 'x':
      return 2;
    case 'b':
    case '♭':
    case 'flat':
      return -1;
    case 'bb':
      return -2;
    default:
      return 0;
  }
}

export function parseNote(text: string): SpelledNote | undefined {
  const m = NOTE_RE.exec(text.trim());
  if (!m) return undefined;
  const letter = LETTERS.indexOf((m[1] ?? '').toUpperCase() as (typeof LETTERS)[number]);
  const note: SpelledNote = { letter, accidental: accidentalValue(m[2]) };
  if (m[3] !== undefined) note.octave = Number(m[3]);
  return note;
}

export const pitchClass = (n: SpelledNote) => mod(NATURAL_PITCH[n.letter]! + n.accidental, 12);

/** MIDI number of a note with an octave (C4 = 60; B#3 is also 60). */
export function midiOf(n: SpelledNote): number {
  return ((n.octave ?? 4) + 1) * 12 + NATURAL_PITCH[n.letter]! + n.accidental;
}

function accidentalText(accidental: number): string {
  return accidental > 0 ? '#'.repeat(accidental) : 'b'.repeat(-accidental);
}

export function noteName(n: SpelledNote): string {
  return `${LETTERS[n.letter]}${accidentalText(n.accidental)}${n.octave ?? ''}`;
}

/** Spells a pitch class on a given letter: letter D with pitch class 3 -> "D#"; letter E with 3 -> "Eb". */
export function spellOnLetter(letter: number, pc: number): SpelledNote {
  const diff = mod(pc - NATURAL_PITCH[mod(letter, 7)]!, 12);
  return { letter: mod(letter, 7), accidental: diff > 6 ? diff - 12 : diff };
}

/** The note `degree` (1-based scale degree, 9 = 2, 11 = 4, 13 = 6) at `semitones` above a root, spelled on its letter. */
export function intervalAbove(root: SpelledNote, degree: number, semitones: number): SpelledNote {
  return spellOnLetter(root.letter + degree - 1, pitchClass(root) + semitones);
}

export function nameFromMidi(midi: number, flats = false): string {
  const names = flats ? FLAT_NAMES : SHARP_NAMES;
  return `${names[mod(midi, 12)]}${Math.floor(midi / 12) - 1}`;
}

export function pitchClassName(pc: number, flats = false): string {
  return (flats ? FLAT_NAMES : SHARP_NAMES)[mod(pc, 12)]!;
}

export const midiToHz = (midi: number) => A4_HZ * 2 ** ((midi - A4_MIDI) / 12);
export const hzToMidi = (hz: number) => A4_MIDI + 12 * Math.log2(hz / A4_HZ);
export const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;
