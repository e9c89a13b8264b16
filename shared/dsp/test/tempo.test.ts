import { describe, expect, it } from 'vitest';
import { decimatedMono } from '../decimate';
import { estimateTempo } from '../tempo';
import { clickTrack, gaussianNoise, steppedSine } from './synth';

describe('tempo estimate', () => {
  it.each([60, 75, 98, 120, 128, 145, 174, 190])('finds %i BPM in a click track (48 kHz) within 1 BPM', (bpm) => {
    const x = clickTrack(48000, bpm, 20, 0.137);
    const t = estimateTempo(decimatedMono([x, x], 48000));
    expect(Math.abs(t.bpm - bpm)).toBeLessThanOrEqual(1);
    expect(t.confidence).toBeGreaterThan(0.5);
  });

  it.each([
    [44100, 87],
    [96000, 133],
  ])('works at %i Hz (%i BPM)', (fs, bpm) => {
    const x = clickTrack(fs, bpm, 15);
    const t = estimateTempo(decimatedMono([x], fs));
    expect(Math.abs(t.bpm - bpm)).toBeLessThanOrEqual(1);
  });

  it('finds the beat of a kick/snare/hi-hat pattern with eighth-note hats (100 BPM)', () => {
    const fs = 48000;
    const beat = 60 / 100;
    const kick = clickTrack(fs, 50, 20, 0.1); // beats 1 and 3
    const snare = clickTrack(fs, 50, 20, 0.1 + beat); // beats 2 and 4
    const hats = clickTrack(fs, 200, 20, 0.1); // eighths
    const x = new Float32Array(kick.length);
    for (let i = 0; i < x.length; i++) x[i] = kick[i]! + 0.8 * snare[i]! + 0.3 * hats[i]!;
    const t = estimateTempo(decimatedMono([x], fs));
    expect(Math.abs(t.bpm - 100)).toBeLessThanOrEqual(1);
  });

  it('reports low confidence on noise and NaN on too-short input', () => {
    const fs = 48000;
    const noise = gaussianNoise(fs * 10, 4, 0.1);
    expect(estimateTempo(decimatedMono([noise], fs)).confidence).toBeLessThan(0.3);
    expect(estimateTempo(decimatedMono([new Float32Array(fs)], fs)).bpm).toBeNaN();
  });

  it('a steady tone (no onsets after the start) gives low confidence', () => {
    const x = steppedSine(48000, [{ dbfs: -12, seconds: 8 }], 440);
    const t = estimateTempo(decimatedMono([x], 48000));
    expect(t.confidence).toBeLessThan(0.3);
  });
});
