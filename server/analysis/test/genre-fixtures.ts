/** Synthesised genre-ish material for the genre tests (not a test file). */
import { pinkNoise, uniformNoise } from '../../../shared/dsp/test/synth';
import { scaleTo } from './fixtures';

/**
 * Drum-pattern audio at `bpm`: a kick on every beat with a decaying sine, a noise hit on the off-beats, and a
 * sustained bed. `bright` makes the hits and the bed high-passed white noise (a drum-and-bass-like top end); dark
 * makes them low-passed pink noise under a heavy bass (lo-fi-like).
 */
export function groove(
  sampleRate: number,
  seconds: number,
  bpm: number,
  bright: boolean,
  lufs: number,
): Float32Array[] {
  const n = Math.round(sampleRate * seconds);
  const out = new Float32Array(n);
  const beat = (60 / bpm) * sampleRate;
  const white = uniformNoise(n, 11, 1);
  const pink = pinkNoise(n, 12, 1);
  let lp = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const pos = i % beat;
    const off = (i + beat / 2) % beat;
    const kickEnv = Math.exp(-pos / (0.06 * sampleRate));
    const kick = kickEnv * Math.sin(2 * Math.PI * (bright ? 60 : 50) * (pos / sampleRate)) * (bright ? 0.5 : 0.5);
    const hitEnv = Math.exp(-off / ((bright ? 0.03 : 0.08) * sampleRate));
    let noise: number;
    if (bright) {
      noise = white[i]! - prev; // first difference: a high-pass tilt
      prev = white[i]!;
    } else {
      lp += 0.12 * (pink[i]! - lp); // one-pole low-pass around 1 kHz
      noise = lp * 3;
    }
    const bed = bright ? 0.05 * noise : 0.4 * noise + 0.08 * Math.sin((2 * Math.PI * 55 * i) / sampleRate);
    out[i] = kick + (bright ? 0.5 : 0.3) * hitEnv * noise + bed;
  }
  const right = out.slice();
  return scaleTo([out, right], sampleRate, lufs);
}
