import { describe, expect, it } from 'vitest';
import { decimatedMono } from '../decimate';
import { estimateKey, keyFromChroma } from '../key';
import { chordSequence, midi, uniformNoise } from './synth';

const fs = 48000;

function chords(spec: string[][]): number[][] {
  return spec.map((c) => c.map(midi));
}

describe('key estimate', () => {
  it.each([
    // I - IV - V - I
    [
      'C major',
      [
        ['C3', 'C4', 'E4', 'G4'],
        ['F2', 'F4', 'A4', 'C5'],
        ['G2', 'G4', 'B4', 'D5'],
        ['C3', 'C4', 'E4', 'G4'],
      ],
    ],
    [
      'Eb major',
      [
        ['Eb3', 'Eb4', 'G4', 'Bb4'],
        ['Ab2', 'Ab4', 'C5', 'Eb5'],
        ['Bb2', 'Bb4', 'D5', 'F5'],
        ['Eb3', 'Eb4', 'G4', 'Bb4'],
      ],
    ],
    // i - iv - V - i (harmonic minor dominant)
    [
      'A minor',
      [
        ['A2', 'A3', 'C4', 'E4'],
        ['D3', 'D4', 'F4', 'A4'],
        ['E3', 'E4', 'G#4', 'B4'],
        ['A2', 'A3', 'C4', 'E4'],
      ],
    ],
    [
      'F# minor',
      [
        ['F#2', 'F#3', 'A3', 'C#4'],
        ['B2', 'B3', 'D4', 'F#4'],
        ['C#3', 'C#4', 'E#4'.replace('E#', 'F'), 'G#4'],
        ['F#2', 'F#3', 'A3', 'C#4'],
      ],
    ],
  ] as const)('recognises %s from a I-IV-V-I style progression', (label, prog) => {
    const x = chordSequence(fs, chords(prog.map((c) => [...c])), 1.5);
    const k = estimateKey(decimatedMono([x, x], fs));
    expect(k?.label).toBe(label);
    expect(k!.confidence).toBeGreaterThan(0);
    expect(k!.chroma).toHaveLength(12);
  });

  it('recognises a D major scale that starts and ends on the tonic', () => {
    const names = [
      'D4',
      'E4',
      'F#4',
      'G4',
      'A4',
      'B4',
      'C#5',
      'D5',
      'D5',
      'C#5',
      'B4',
      'A4',
      'G4',
      'F#4',
      'E4',
      'D4',
      'D4',
    ];
    const x = chordSequence(
      44100,
      names.map((n) => [midi(n), midi('D3')]),
      0.5,
    );
    expect(estimateKey(decimatedMono([x], 44100))?.label).toBe('D major');
  });

  it('returns null for silence and a low-confidence answer for noise', () => {
    expect(estimateKey(decimatedMono([new Float32Array(fs * 2)], fs))).toBeNull();
    const k = estimateKey(decimatedMono([uniformNoise(fs * 4, 3, 0.2)], fs));
    expect(k === null || k.correlation < 0.6).toBe(true);
  });

  it('keyFromChroma on an exact profile picks that key with high correlation', () => {
    // G major triad pitch classes only: G B D.
    const chroma = new Float64Array(12);
    chroma[7] = 3;
    chroma[11] = 2;
    chroma[2] = 2;
    const k = keyFromChroma(chroma)!;
    expect(k.label).toBe('G major');
  });
});
