/** Synthesised test audio for the analysis tests (not a test file). */
import { analyzeAudio, encodeWav, type WavEncoding } from '../../../shared/dsp/index';
import { pinkNoise } from '../../../shared/dsp/test/synth';

/**
 * Music-like stereo: pink noise (decorrelated a little between channels), a bass tone pulsing at `bpm`, a chord of
 * three tones, with a slow level swell; scaled so its integrated loudness is `lufs`.
 */
export function musicLike(sampleRate: number, seconds: number, lufs: number, bpm = 120, seed = 3): Float32Array[] {
  const n = Math.round(sampleRate * seconds);
  const common = pinkNoise(n, seed, 0.05);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  const noiseL = pinkNoise(n, seed + 1, 0.02);
  const noiseR = pinkNoise(n, seed + 2, 0.02);
  const beat = (60 / bpm) * sampleRate;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const phase = (i % beat) / beat;
    const env = Math.exp(-phase * 8);
    const swell = 0.6 + 0.4 * Math.sin((2 * Math.PI * t) / 16);
    const bass = 0.25 * env * Math.sin(2 * Math.PI * 55 * t);
    const chord =
      0.04 *
      (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.18 * t) + Math.sin(2 * Math.PI * 329.63 * t));
    const x = swell * (common[i]! + bass + chord);
    left[i] = x + noiseL[i]!;
    right[i] = x + noiseR[i]!;
  }
  return scaleTo([left, right], sampleRate, lufs);
}

/** Scales channels so that their integrated loudness is `lufs` (K-weighting and gating are linear in gain). */
export function scaleTo(channels: Float32Array[], sampleRate: number, lufs: number): Float32Array[] {
  const measured = analyzeAudio(channels, sampleRate, { truePeak: false, spectrum: false, tempo: false, key: false })
    .loudness.integrated_lufs!;
  const g = Math.pow(10, (lufs - measured) / 20);
  return channels.map((c) => c.map((v) => v * g));
}

/** A sine at fs/4 with a 45° phase: every sample is at 0.707 of the amplitude, so the true peak is 3 dB over the sample peak. */
export function intersampleSine(sampleRate: number, seconds: number, amplitude: number): Float32Array {
  const n = Math.round(sampleRate * seconds);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((Math.PI / 2) * i + Math.PI / 4);
  return out;
}

export function wav(channels: Float32Array[], sampleRate: number, encoding: WavEncoding = 'pcm16'): Uint8Array {
  return encodeWav(channels, sampleRate, { encoding });
}

/** Low-level: a WAV header + data with any format fields, for the refusal tests. */
export function rawWav(fields: {
  tag?: number;
  channels: number;
  rate: number;
  bits: number;
  dataBytes: number;
}): Uint8Array {
  const { tag = 1, channels, rate, bits, dataBytes } = fields;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, tag, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, (rate * channels * bits) / 8, true);
  v.setUint16(32, (channels * bits) / 8, true);
  v.setUint16(34, bits, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  for (let i = 0; i < dataBytes; i++) out[44 + i] = (i * 37) & 0xff;
  return out;
}

export const wavInit = (bytes: Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'audio/wav', ...headers },
  body: bytes as Uint8Array<ArrayBuffer>,
});
