/**
 * Mono downmix decimated to about 11-12 kHz: the common input of the tempo and key estimators, which need neither
 * the top octaves nor full-rate cost. Anti-aliasing: 4th-order Butterworth low-pass at 0.4 x the new rate
 * (about 4.8 kHz), which puts anything that would fold into the chroma range (< 2 kHz) more than 45 dB down.
 */
import { BUTTERWORTH4_Q, lowPass } from './biquad';

export interface Decimated {
  samples: Float32Array;
  sampleRate: number;
}

export function decimationFactor(sampleRate: number): number {
  return Math.max(1, Math.floor(sampleRate / 11025));
}

export function decimatedMono(channels: readonly Float32Array[], sampleRate: number): Decimated {
  const d = decimationFactor(sampleRate);
  const outRate = sampleRate / d;
  const length = channels[0]?.length ?? 0;
  const out = new Float32Array(Math.ceil(length / d));
  const nch = channels.length;
  const s1 = lowPass(0.4 * outRate, BUTTERWORTH4_Q[0], sampleRate);
  const s2 = lowPass(0.4 * outRate, BUTTERWORTH4_Q[1], sampleRate);
  const { b0, b1, b2, a1, a2 } = s1;
  const c0 = s2.b0;
  const c1 = s2.b1;
  const c2 = s2.b2;
  const d1 = s2.a1;
  const d2 = s2.a2;
  let u1 = 0;
  let u2 = 0;
  let v1 = 0;
  let v2 = 0;
  const left = channels[0];
  const right = nch >= 2 ? channels[1] : undefined;
  const gain = 1 / Math.max(1, nch);
  let j = 0;
  let phase = 0;
  for (let i = 0; i < length; i++) {
    let x: number;
    if (nch === 1) x = left![i]!;
    else if (nch === 2) x = (left![i]! + right![i]!) * 0.5;
    else {
      x = 0;
      for (let c = 0; c < nch; c++) x += channels[c]![i]!;
      x *= gain;
    }
    const y = b0 * x + u1;
    u1 = b1 * x - a1 * y + u2;
    u2 = b2 * x - a2 * y;
    const z = c0 * y + v1;
    v1 = c1 * y - d1 * z + v2;
    v2 = c2 * y - d2 * z;
    if (phase === 0) out[j++] = z;
    if (++phase === d) phase = 0;
  }
  return { samples: out, sampleRate: outRate };
}
