/** Pitch arithmetic in equal temperament, A4 = 440 Hz: note <-> frequency, semitones <-> ratio <-> cents. */
import type { Calculator } from './calculation-types';
import {
  A4_HZ,
  NOTE_PATTERN,
  hzToMidi,
  midiOf,
  midiToHz,
  nameFromMidi,
  noteName,
  parseNote,
  round,
} from './note-names';

const NOTE_WITH_OCTAVE = new RegExp(
  `(?:^|[\\s(])(${NOTE_PATTERN.replace('(-1|[0-9])?', '(-1|[0-9])')})(?=$|[\\s?.,)])`,
  'i',
);

const noteToFrequency: Calculator = (lower) => {
  if (!/\b(?:frequency|freq|hz|hertz|pitch)\b/.test(lower)) return undefined;
  const text = lower.replace(/\bmiddle c\b/, 'c4');
  const m = NOTE_WITH_OCTAVE.exec(text);
  const note = m ? parseNote((m[1] ?? '').replace(/\s+/g, ' ')) : undefined;
  if (!note) return undefined;
  const midi = midiOf(note);
  const hz = midiToHz(midi);
  const name = noteName(note);
  return {
    kind: 'note_to_frequency',
    answer_markdown: `**${name} = ${round(hz)} Hz** (MIDI ${midi}; 440 x 2^((${midi} - 69) / 12), A4 = ${A4_HZ} Hz).`,
    values: { note: name, frequency_hz: round(hz), midi },
  };
};

const frequencyToNote: Calculator = (lower) => {
  const m = /(\d+(?:\.\d+)?) ?(khz|hz|hertz)\b/.exec(lower);
  if (!m || !/\b(?:note|pitch|which|what|nearest|closest|key)\b/.test(lower)) return undefined;
  const hz = Number(m[1]) * (m[2] === 'khz' ? 1000 : 1);
  if (!(hz >= 8 && hz <= 25_000)) return undefined;
  const exact = hzToMidi(hz);
  const midi = Math.round(exact);
  const cents = round((exact - midi) * 100, 1);
  const name = nameFromMidi(midi);
  const noteHz = round(midiToHz(midi));
  const offset =
    cents === 0 ? 'exactly in tune' : `${cents > 0 ? '+' : ''}${cents} cents (${cents > 0 ? 'sharp' : 'flat'})`;
  return {
    kind: 'frequency_to_note',
    answer_markdown: `**${hz} Hz is nearest to ${name}** (${noteHz} Hz, MIDI ${midi}): ${offset}.`,
    values: { frequency_hz: hz, note: name, note_frequency_hz: noteHz, midi, cents },
  };
};

function ratioAnswer(semitones: number, from: string) {
  const ratio = 2 ** (semitones / 12);
  return {
    kind: from,
    answer_markdown: `**${round(semitones, 4)} semitones = ratio ${round(ratio, 4)} = ${round(semitones * 100, 2)} cents** (2^(${round(semitones, 4)} / 12)).`,
    values: { semitones: round(semitones, 4), ratio: round(ratio, 4), cents: round(semitones * 100, 2) },
  };
}

const semitonesRatioCents: Calculator = (lower) => {
  const asksRatio = /\bratio|\bfactor|\bmultipl|\bcents?\b|\bsemitones?\b|\bfrequency\b|\bpitch\b/.test(lower);
  if (!asksRatio) return undefined;
  const semis = /(-?\d+(?:\.\d+)?) ?(?:semitones?|semis?|st|half ?steps?)\b/.exec(lower);
  if (semis && /\bratio|\bfactor|\bmultipl|\bcents?\b|\bfrequency\b/.test(lower))
    return ratioAnswer(Number(semis[1]), 'semitones_to_ratio');
  const cents = /(-?\d+(?:\.\d+)?) ?cents?\b/.exec(lower);
  if (cents && /\bratio|\bsemitones?\b|\bfactor\b/.test(lower))
    return ratioAnswer(Number(cents[1]) / 100, 'cents_to_ratio');
  const ratio =
    /ratio (?:of )?(\d+(?:\.\d+)?)(?: ?[:/] ?(\d+(?:\.\d+)?))?|(\d+(?:\.\d+)?) ?[:/] ?(\d+(?:\.\d+)?) ratio|(\d+(?:\.\d+)?) ?[:/] ?(\d+(?:\.\d+)?) (?:in|to|as) (?:semitones|cents)/.exec(
      lower,
    );
  if (!ratio) return undefined;
  const a = Number(ratio[1] ?? ratio[3] ?? ratio[5]);
  const b = Number(ratio[2] ?? ratio[4] ?? ratio[6] ?? 1);
  if (!(a > 0 && b > 0)) return undefined;
  return ratioAnswer(12 * Math.log2(a / b), 'ratio_to_semitones');
};

export const PITCH_CALCULATORS: Calculator[] = [semitonesRatioCents, noteToFrequency, frequencyToNote];
