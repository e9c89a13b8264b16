/**
 * Mono downmix decimated by a power of two to about 11-16 kHz: the common input of the tempo and key estimators,
 * which need neither the top octaves nor full-rate cost.
 *
 * Each halving applies the binomial low-pass [1 3 3 1]/8 (a triple zero at the old Nyquist) and keeps every other
 * sample: content that folds into the chroma range (< 2.1 kHz) is attenuated by 35 dB or more at each stage, the
 * passband droops by < 1 dB at 2 kHz. No recursion, so it runs at memory speed.
 */

export interface Decimated {
  samples: Float32Array;
  sampleRate: number;
}

/** Largest power of two D with sampleRate / D >= 11025 Hz (1 below 22.05 kHz). */
export function decimationFactor(sampleRate: number): number {
  let d = 1;
  while (sampleRate / (2 * d) >= 11025) d *= 2;
  return d;
}

/** One halving stage: y[j] = (x[2j-1] + 3 x[2j] + 3 x[2j+1] + x[2j+2]) / 8, edges held. */
function halve(x: Float32Array): Float32Array {
  const n = x.length;
  const m = n >> 1;
  const y = new Float32Array(m);
  if (m === 0) return y;
  y[0] = (x[0]! * 4 + x[1]! * 3 + (n > 2 ? x[2]! : x[1]!)) / 8;
  for (let j = 1; j < m - 1; j++) {
    const i = 2 * j;
    y[j] = (x[i - 1]! + 3 * (x[i]! + x[i + 1]!) + x[i + 2]!) * 0.125;
  }
  if (m > 1) {
    const i = 2 * (m - 1);
    y[m - 1] = (x[i - 1]! + 3 * x[i]! + 3 * x[i + 1]! + (i + 2 < n ? x[i + 2]! : x[i + 1]!)) * 0.125;
  }
  return y;
}

/** Mono mix of all channels (sum / channel count). */
function mixDown(channels: readonly Float32Array[], length: number): Float32Array {
  const mono = new Float32Array(length);
  const g = 1 / channels.length;
  for (const ch of channels) for (let i = 0; i < length; i++) mono[i] = mono[i]! + ch[i]! * g;
  return mono;
}

/** First halving stage straight from a stereo pair, so the full-rate mix is never written out. */
function halveStereo(l: Float32Array, r: Float32Array): Float32Array {
  const n = l.length;
  const m = n >> 1;
  const y = new Float32Array(m);
  if (m < 3) return halve(mixDown([l, r], n));
  const s = (i: number) => l[i]! + r[i]!;
  y[0] = (s(0) * 4 + s(1) * 3 + s(2)) / 16;
  for (let j = 1; j < m - 1; j++) {
    const i = 2 * j;
    y[j] = (l[i - 1]! + r[i - 1]! + 3 * (l[i]! + r[i]! + l[i + 1]! + r[i + 1]!) + l[i + 2]! + r[i + 2]!) * 0.0625;
  }
  const i = 2 * (m - 1);
  y[m - 1] = (s(i - 1) + 3 * s(i) + 3 * s(i + 1) + (i + 2 < n ? s(i + 2) : s(i + 1))) / 16;
  return y;
}

export function decimatedMono(channels: readonly Float32Array[], sampleRate: number): Decimated {
  const length = channels[0]?.length ?? 0;
  const d = decimationFactor(sampleRate);
  let x: Float32Array;
  let k: number;
  if (channels.length === 2 && d >= 2) {
    x = halveStereo(channels[0]!, channels[1]!);
    k = 2;
  } else {
    x = channels.length === 1 ? channels[0]!.slice() : mixDown(channels, length);
    k = 1;
  }
  for (; k < d; k *= 2) x = halve(x);
  return { samples: x, sampleRate: sampleRate / d };
}
