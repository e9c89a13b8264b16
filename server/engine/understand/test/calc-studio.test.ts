import { describe, expect, it } from 'vitest';
import { answerCalculation, calculationInFrench, frenchCalculationText } from '../calculations';

const headline = (q: string) => answerCalculation(q)?.answer_markdown.split('\n')[0] ?? '';

describe("studio calculations asked in musicians' words", () => {
  it('tempo: half time, changes in % and semitones, a loop\'s length to BPM, note values "at 140"', () => {
    expect(headline('half time of 170 bpm')).toContain('85 BPM');
    expect(headline('percent change from 140 to 150 bpm')).toContain('7.14 %');
    expect(headline('if i speed up a sample from 120 to 125 bpm without time stretching how many semitones')).toContain(
      '0.71 semitones',
    );
    expect(headline('my 4 bar loop is 8 seconds long what bpm')).toContain('= 120 BPM');
    expect(headline('what bpm is 500 ms per beat')).toContain('120 BPM');
    expect(headline('dotted eighth at 140')).toContain('321.43 ms');
    expect(headline('dotted 1/8 delay for 128')).toContain('351.56 ms');
  });

  it('song length both ways, with clock times and "at N" tempos', () => {
    expect(headline('how many bars is 3:30 at 95 bpm')).toContain('83.125 bars');
    expect(headline('song is 3:30 at 120 how many bars')).toContain('105 bars');
    expect(headline('how long is 64 bars at 128')).toContain('120 s');
  });

  it('audio maths: file size, bit depth, samples and ms, decibels, distance, wavelength', () => {
    expect(headline('how big is a 3 minute stereo wav at 24 bit 48khz')).toContain('51.8 MB');
    expect(answerCalculation('dynamic range of 16 bit vs 24 bit')?.answer_markdown).toMatch(/96\.3 dB[\s\S]*144\.5 dB/);
    expect(headline('latency of 256 samples at 48khz')).toContain('5.33 ms');
    expect(headline('samples per beat 48k 128 bpm')).toContain('22500 samples');
    expect(headline('how many 16th notes in 4 bars of 4/4')).toContain('64');
    expect(headline('-6 db as a ratio')).toContain('x0.501');
    expect(headline('two mics 1 meter apart how many ms delay')).toContain('2.92 ms');
    expect(headline('wavelength of 100 hz')).toContain('3.43 m');
  });

  it('keys: the diatonic chords of a key, not the article "a"', () => {
    expect(headline('chords in the key of E minor')).toContain(
      'i Em · ii° F#dim · III G · iv Am · v Bm · VI C · VII D',
    );
    expect(answerCalculation('chords for a sad song')).toBeUndefined();
  });

  it('reads and answers French', () => {
    expect(frenchCalculationText('combien de temps dure 64 mesures à 87 bpm')).toBe('how long is 64 bars at 87 bpm');
    const fr = calculationInFrench(
      answerCalculation(frenchCalculationText('croche pointée à 90 bpm'))!.answer_markdown,
    );
    expect(fr).toContain('croche pointée');
    expect(fr).toContain('500 ms');
    expect(fr).toContain('Temps de delay à 90 BPM');
  });

  it('answers room modes, platform turn-down, tracker timing and capo keys from the numbers asked', () => {
    expect(answerCalculation('my room is 4 meters long, first axial room mode?')?.values).toMatchObject({ hz: 42.9 });
    expect(
      answerCalculation('my track is -9.5 LUFS integrated, how much will spotify turn it down')?.values,
    ).toMatchObject({ change_db: -4.5 });
    expect(answerCalculation('mastered at -8 lufs, how much quieter on apple music')?.values).toMatchObject({
      change_db: -8,
    });
    expect(
      answerCalculation('bassoontracker at speed 6 and bpm 125, how long does one 64 row pattern last')?.values,
    ).toMatchObject({ seconds: 7.68 });
    expect(answerCalculation('a 40 pattern mod at speed 6 125 bpm how long')?.values).toMatchObject({ seconds: 307.2 });
    expect(
      answerCalculation('tracker speed 3 at tempo 125, if 4 rows is a beat whats the real bpm')?.values,
    ).toMatchObject({ bpm: 250 });
    expect(answerCalculation('capo on 3rd fret playing G shapes, what key am i actually in')?.values).toMatchObject({
      key: 'Bb major',
    });
  });

  it('reads note values said every way, buffers without "samples", dB factors and intervals', () => {
    expect(headline('1/16 note delay at 174 bpm')).toContain('sixteenth at 174 BPM = 86.21 ms');
    expect(headline('triplet eighth at 100 bpm in ms')).toContain('eighth triplet at 100 BPM = 200 ms');
    expect(headline('how long is a 3 minute song in bars at 128')).toContain('= 96 bars');
    expect(headline('buffer 128 at 96k latency')).toContain('1.33 ms');
    expect(headline('how many db is double the volume')).toContain('+6.02 dB');
    expect(headline('-6 dB as a percentage')).toContain('50.1 %');
    expect(headline('how many semitones from C to G')).toContain('7 semitones (perfect 5th)');
  });
});
