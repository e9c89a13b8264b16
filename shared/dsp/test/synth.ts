/** Test-signal synthesis helpers (not a test file). */

export interface ToneSegment {
  /** Peak level of the sine in dBFS (0 dBFS = amplitude 1); -Infinity or null = silence. */
  dbfs: number | null;
  seconds: number;
}

/**
 * A 1 kHz (by default) sine whose level steps through `segments`, phase-continuous across segment boundaries,
 * as in the EBU Tech 3341/3342 test signals.
 */
export function steppedSine(sampleRate: number, segments: readonly ToneSegment[], freq = 1000): Float32Array {
  let total = 0;
  for (const s of segments) total += Math.round(s.seconds * sampleRate);
  const out = new Float32Array(total);
  const w = (2 * Math.PI * freq) / sampleRate;
  let n = 0;
  for (const s of segments) {
    const len = Math.round(s.seconds * sampleRate);
    const amp = s.dbfs === null || !Number.isFinite(s.dbfs) ? 0 : Math.pow(10, s.dbfs / 20);
    if (amp > 0) for (let i = 0; i < len; i++) out[n + i] = amp * Math.sin(w * (n + i));
    n += len;
  }
  return out;
}

/** Deterministic uniform noise in [-1, 1). */
export function uniformNoise(length: number, seed = 1, gain = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = gain * ((s >>> 0) / 2 ** 31 - 1);
  }
  return out;
}

/** Deterministic Gaussian-ish noise (sum of 4 uniforms, unit variance) scaled by `gain`. */
export function gaussianNoise(length: number, seed = 1, gain = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(length);
  const scale = gain * Math.sqrt(3); // a sum of 4 U(-0.5, 0.5) has variance 1/3
  for (let i = 0; i < length; i++) {
    let acc = 0;
    for (let k = 0; k < 4; k++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      acc += (s >>> 0) / 2 ** 32 - 0.5;
    }
    out[i] = acc * scale;
  }
  return out;
}

/** Pink-ish noise (Paul Kellet's economy filter on white noise), deterministic. */
export function pinkNoise(length: number, seed = 7, gain = 0.1): Float32Array {
  const white = uniformNoise(length, seed);
  const out = new Float32Array(length);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < length; i++) {
    const w = white[i]!;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    out[i] = gain * (b0 + b1 + b2 + w * 0.1848);
  }
  return out;
}

export function concat(...parts: Float32Array[]): Float32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function silence(sampleRate: number, seconds: number): Float32Array {
  return new Float32Array(Math.round(seconds * sampleRate));
}
