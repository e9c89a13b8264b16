import { describe, expect, it } from 'vitest';
import { answerCalculation, frenchCalculationText } from '../calculations';

const values = (text: string) => {
  const answer = answerCalculation(text);
  if (!answer) throw new Error(`no calculation for ${JSON.stringify(text)}`);
  return answer.values;
};
const kind = (text: string) => answerCalculation(text)?.kind;

describe('tempo calculations', () => {
  it('gives straight, dotted and triplet delay times, in ms and Hz', () => {
    const v = values('delay times at 120 bpm');
    expect(v).toMatchObject({
      quarter_ms: 500,
      dotted_eighth_ms: 375,
      eighth_triplet_ms: 166.67,
      whole_ms: 2000,
      thirty_second_ms: 62.5,
    });
    expect(v).toMatchObject({ quarter_hz: 2, sixteenth_hz: 8, dotted_quarter_ms: 750, sixteenth_triplet_ms: 83.33 });
    expect(values('dotted eighth delay at 140 bpm')).toMatchObject({
      requested: 'dotted_eighth',
      requested_ms: 321.43,
    });
  });

  it('suggests reverb pre-delay and decay that end by the next beat and bar', () => {
    expect(values('reverb pre-delay and decay for 120 bpm')).toMatchObject({
      predelay_64th_ms: 31.25,
      predelay_128th_ms: 15.63,
      decay_to_next_beat_ms: 468.75,
      decay_to_next_bar_ms: 1968.75,
    });
  });

  it('converts bpm to ms and back', () => {
    expect(values('what is 128 bpm in ms')).toMatchObject({ quarter_ms: 468.75, eighth_ms: 234.38 });
    expect(values('convert 375 ms to bpm')).toMatchObject({ bpm_if_quarter: 160, bpm_if_eighth: 80 });
  });

  it('turns bars into seconds and seconds into bars', () => {
    expect(values('how long are 16 bars at 128 bpm')).toMatchObject({ seconds: 30, clock: '0:30' });
    expect(values('how long is 8 bars of 6/8 at 120 bpm')).toMatchObject({ seconds: 12 });
    expect(values('how many bars is 3 minutes at 174 bpm')).toMatchObject({ bars: 130.5 });
  });
});

describe('pitch calculations', () => {
  it('gives the frequency of a note, A4 = 440 Hz', () => {
    expect(values('frequency of A4')).toMatchObject({ frequency_hz: 440, midi: 69 });
    expect(values('what hz is C4')).toMatchObject({ frequency_hz: 261.63, midi: 60 });
    expect(values('Bb2 in hz')).toMatchObject({ frequency_hz: 116.54, midi: 46 });
    expect(values('frequency of middle C')).toMatchObject({ note: 'C4', frequency_hz: 261.63 });
  });

  it('finds the nearest note and cents for a frequency', () => {
    expect(values('what note is 440 hz')).toMatchObject({ note: 'A4', cents: 0 });
    expect(values('what note is 100 hz')).toMatchObject({ note: 'G2', note_frequency_hz: 98, cents: 35 });
    expect(values('nearest note to 1 khz')).toMatchObject({ note: 'B5', note_frequency_hz: 987.77, cents: 21.3 });
  });

  it('converts semitones to ratios and cents, and back', () => {
    expect(values('7 semitones as a ratio')).toMatchObject({ ratio: 1.4983, cents: 700 });
    expect(values('ratio for -12 semitones')).toMatchObject({ ratio: 0.5, cents: -1200 });
    expect(values('how many semitones is a ratio of 1.5')).toMatchObject({ semitones: 7.0196, cents: 701.96 });
    expect(values('50 cents as a ratio')).toMatchObject({ ratio: 1.0293 });
  });
});

describe('theory calculations', () => {
  it('finds relative and parallel keys with correct spelling', () => {
    expect(values('relative minor of C major')).toMatchObject({ key: 'A minor', key_signature: 'no sharps or flats' });
    expect(values('relative major of E minor')).toMatchObject({ key: 'G major', key_signature: '1 sharp' });
    expect(values('relative minor of F# major')).toMatchObject({ key: 'D# minor', key_signature: '6 sharps' });
    expect(values('relative minor of Db major')).toMatchObject({ key: 'Bb minor', key_signature: '5 flats' });
    expect(values('parallel minor of D major')).toMatchObject({ key: 'D minor', key_signature: '1 flat' });
  });

  it('spells scales on consecutive letters', () => {
    expect(values('notes in D dorian').notes).toEqual(['D', 'E', 'F', 'G', 'A', 'B', 'C']);
    expect(values('E harmonic minor scale').notes).toEqual(['E', 'F#', 'G', 'A', 'B', 'C', 'D#']);
    expect(values('notes in F lydian').notes).toEqual(['F', 'G', 'A', 'B', 'C', 'D', 'E']);
    expect(values('notes in Gb major').notes).toEqual(['Gb', 'Ab', 'Bb', 'Cb', 'Db', 'Eb', 'F']);
    expect(values('A minor pentatonic notes').notes).toEqual(['A', 'C', 'D', 'E', 'G']);
    expect(values('what notes are in the A blues scale').notes).toEqual(['A', 'C', 'D', 'Eb', 'E', 'G']);
  });

  it('spells chords from their symbols', () => {
    expect(values('what notes are in Cmaj7').notes).toEqual(['C', 'E', 'G', 'B']);
    expect(values('notes of F#m7b5').notes).toEqual(['F#', 'A', 'C', 'E']);
    expect(values('spell Ebmaj9').notes).toEqual(['Eb', 'G', 'Bb', 'D', 'F']);
    expect(values('what notes are in a Bb minor chord').notes).toEqual(['Bb', 'Db', 'F']);
    expect(values('Bdim7 chord').notes).toEqual(['B', 'D', 'F', 'Ab']);
    expect(values('G7 chord notes').notes).toEqual(['G', 'B', 'D', 'F']);
  });

  it('transposes notes and chords', () => {
    expect(values('transpose F# up 3 semitones')).toMatchObject({ to: ['A'], semitones: 3 });
    expect(values('transpose Am F C G up 2 semitones')).toMatchObject({ to: ['Bm', 'G', 'D', 'A'] });
    expect(values('transpose Bb down a whole step')).toMatchObject({ to: ['Ab'], semitones: -2 });
    expect(values('transpose E up a minor third')).toMatchObject({ to: ['G'] });
    expect(values('transpose A4 up an octave')).toMatchObject({ to: ['A5'] });
  });
});

describe('what is not a calculation', () => {
  it('answers nothing for production questions without a calculation in them', () => {
    for (const text of [
      'what tempo is drum and bass?',
      'how do I EQ vocals at 200 Hz',
      'how do I set up a dotted eighth delay?',
      'what is a chord progression that sounds sad',
      'which scale works over a minor blues',
    ]) {
      expect(kind(text), text).toBeUndefined();
    }
  });

  it('spells roman-numeral progressions in the key asked, with their seventh chords', () => {
    expect(answerCalculation('ii V I in Bb')?.values).toMatchObject({ key: 'Bb major', chords: ['Cm', 'F', 'Bb'] });
    expect(answerCalculation('ii V I in Bb')?.answer_markdown).toContain('Cm7 - F7 - Bbmaj7');
    expect(answerCalculation('i iv v in A minor')?.values).toMatchObject({ chords: ['Am', 'Dm', 'Em'] });
    expect(answerCalculation('I play in C')).toBeUndefined();
  });

  it('reads a lower-case "a" before a scale name as the article', () => {
    expect(answerCalculation('what is a pentatonic scale')).toBeUndefined();
    expect(answerCalculation('notes in the A pentatonic scale')?.values).toMatchObject({ scale: 'A pentatonic' });
  });

  it('reads "diatonic chords Eb major" and French note names', () => {
    expect(answerCalculation('diatonic chords Eb major')?.values).toMatchObject({ key: 'Eb major' });
    const fr = answerCalculation(frenchCalculationText('accords de la gamme de sol majeur'));
    expect(fr?.values).toMatchObject({ key: 'G major', chords: ['G', 'Am', 'Bm', 'C', 'D', 'Em', 'F#dim'] });
  });

  it('writes short markdown with the headline number in bold', () => {
    expect(answerCalculation('relative minor of C major')?.answer_markdown).toMatch(
      /^\*\*The relative minor of C major is A minor\*\*/,
    );
    expect(answerCalculation('delay times at 120 bpm')?.answer_markdown).toContain(
      '| 1/8 | 250 ms (4 Hz) | 375 ms (2.667 Hz) | 166.67 ms (6 Hz) |',
    );
  });
});
