import { describe, expect, it } from 'vitest';
import { analyzeAudio } from '../analyze';
import { decodeWav, encodeWav } from '../wav';
import { chordSequence, clickTrack, midi, steppedSine, uniformNoise } from './synth';

const fs = 48000;

describe('analyzeAudio report', () => {
  it('is plain JSON (no NaN, Infinity or typed arrays) with the documented figures for a -20 dBFS stereo sine', () => {
    const x = steppedSine(fs, [{ dbfs: -20, seconds: 6 }]);
    const r = analyzeAudio([x, x], fs);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.duration_s).toBe(6);
    expect(r.channel_count).toBe(2);
    expect(r.loudness.integrated_lufs).toBeCloseTo(-20, 1);
    expect(r.loudness.momentary_max_lufs).toBeCloseTo(-20, 1);
    expect(r.loudness.short_term_max_lufs).toBeCloseTo(-20, 1);
    expect(r.loudness.range_lu).toBeCloseTo(0, 1);
    expect(r.peak.sample_peak_dbfs).toBeCloseTo(-20, 2);
    expect(r.peak.true_peak_dbtp).toBeCloseTo(-20, 1);
    expect(r.rms.dbfs).toBeCloseTo(-23.01, 2);
    expect(r.crest.db).toBeCloseTo(3.01, 2);
    expect(r.dc.max_abs).toBeLessThan(1e-4);
    expect(r.stereo).toEqual({ correlation: 1, width: 0, side_to_mid_db: null, balance_db: 0 });
    expect(r.spectrum!.octave_bands.find((b) => b.centre_hz === 1000)!.level_db).toBeCloseTo(-20, 1);
    expect(r.spectrum!.centroid_hz).toBeCloseTo(1000, -1);
    expect(r.spectrum!.low_end_ratio).toBeLessThan(0.001);
  });

  it('reports stereo image, balance and DC per channel', () => {
    const x = steppedSine(fs, [{ dbfs: -20, seconds: 2 }]);
    const inverted = x.map((v) => -v);
    const anti = analyzeAudio([x, inverted], fs, { spectrum: false, tempo: false, key: false });
    expect(anti.stereo!.correlation).toBe(-1);
    expect(anti.stereo!.width).toBe(1);
    const quieter = x.map((v) => v * 0.5);
    const r = analyzeAudio([x, quieter], fs, { spectrum: false, tempo: false, key: false });
    expect(r.stereo!.balance_db).toBeCloseTo(6.02, 1);
    const offset = analyzeAudio([x, x.map((v) => v + 0.01)], fs, { spectrum: false, tempo: false, key: false });
    expect(offset.dc.per_channel[0]).toBeCloseTo(0, 4);
    expect(offset.dc.per_channel[1]).toBeCloseTo(0.01, 4);
    expect(offset.dc.max_abs).toBeCloseTo(0.01, 4);
    const noise = analyzeAudio([uniformNoise(fs * 2, 1, 0.3), uniformNoise(fs * 2, 2, 0.3)], fs, {
      tempo: false,
      key: false,
    });
    expect(Math.abs(noise.stereo!.correlation!)).toBeLessThan(0.02);
    expect(noise.stereo!.width).toBeCloseTo(0.5, 1);
  });

  it('mono has no stereo section; silence gives nulls, not NaN', () => {
    const r = analyzeAudio([new Float32Array(fs * 4)], fs);
    expect(r.stereo).toBeNull();
    expect(r.loudness.integrated_lufs).toBeNull();
    expect(r.peak.true_peak_dbtp).toBeNull();
    expect(r.rms.dbfs).toBeNull();
    expect(r.key).toBeNull();
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('reports progress in order, ending at 1', () => {
    const x = uniformNoise(fs * 10, 3, 0.1);
    const seen: number[] = [];
    analyzeAudio([x, x], fs, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.length).toBeLessThan(400);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(1);
  });

  it('end to end: 24-bit WAV of an A minor progression over a 120 BPM click', () => {
    const prog = [
      ['A2', 'A3', 'C4', 'E4'],
      ['D3', 'D4', 'F4', 'A4'],
      ['E3', 'E4', 'G#4', 'B4'],
      ['A2', 'A3', 'C4', 'E4'],
    ].map((c) => c.map(midi));
    const chords = chordSequence(fs, [...prog, ...prog], 2);
    const click = clickTrack(fs, 120, chords.length / fs, 0);
    const mix = chords.map((v, i) => v + 0.5 * click[i]!);
    const wav = decodeWav(encodeWav([mix, mix], fs, { encoding: 'pcm24' }));
    const r = analyzeAudio(wav.channels, wav.sampleRate);
    expect(r.key?.label).toBe('A minor');
    expect(Math.abs(r.tempo!.bpm! - 120)).toBeLessThanOrEqual(1);
    expect(r.loudness.integrated_lufs).not.toBeNull();
  });

  it('refuses mismatched channel lengths and absurd sample rates', () => {
    expect(() => analyzeAudio([new Float32Array(10), new Float32Array(11)], fs)).toThrow(RangeError);
    expect(() => analyzeAudio([new Float32Array(10)], 100)).toThrow(RangeError);
    expect(() => analyzeAudio([], fs)).toThrow(RangeError);
  });
});
