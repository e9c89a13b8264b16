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

/** Click track: a 15 ms decaying 1.5 kHz + noise click on every beat, `seconds` long, first click at `offset` s. */
export function clickTrack(sampleRate: number, bpm: number, seconds: number, offset = 0.05): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  const noise = uniformNoise(Math.round(0.015 * sampleRate), 99);
  const period = (60 / bpm) * sampleRate;
  for (let beat = 0; ; beat++) {
    const start = Math.round(offset * sampleRate + beat * period);
    if (start >= out.length) break;
    for (let i = 0; i < noise.length && start + i < out.length; i++) {
      const env = Math.exp(-i / (0.003 * sampleRate));
      out[start + i] = 0.5 * env * (Math.sin((2 * Math.PI * 1500 * i) / sampleRate) + 0.5 * noise[i]!);
    }
  }
  return out;
}

const NOTE_INDEX: Record<string, number> = {
  C: 0,
  'C#': 1,
  Db: 1,
  D: 2,
  'D#': 3,
  Eb: 3,
  E: 4,
  F: 5,
  'F#': 6,
  Gb: 6,
  G: 7,
  'G#': 8,
  Ab: 8,
  A: 9,
  'A#': 10,
  Bb: 10,
  B: 11,
};

/** MIDI note number of a name like "C4", "F#3", "Bb2". */
export function midi(name: string): number {
  const m = /^([A-G](?:#|b)?)(-?\d)$/.exec(name);
  if (!m) throw new Error(`bad note ${name}`);
  return 12 * (Number(m[2]) + 1) + NOTE_INDEX[m[1]!]!;
}

/**
 * Sequence of chords (arrays of MIDI notes), each `seconds` long, as harmonic tones (4 partials, 1/k amplitudes)
 * with a short attack and exponential decay.
 */
export function chordSequence(sampleRate: number, chords: number[][], seconds: number): Float32Array {
  const len = Math.round(seconds * sampleRate);
  const out = new Float32Array(len * chords.length);
  chords.forEach((notes, c) => {
    for (const note of notes) {
      const f0 = 440 * Math.pow(2, (note - 69) / 12);
      for (let h = 1; h <= 4; h++) {
        const f = f0 * h;
        if (f >= sampleRate / 2) break;
        const w = (2 * Math.PI * f) / sampleRate;
        const a = 0.08 / h;
        for (let i = 0; i < len; i++) {
          const env = Math.min(1, i / (0.01 * sampleRate)) * Math.exp(-i / (0.8 * sampleRate));
          out[c * len + i] = out[c * len + i]! + a * env * Math.sin(w * i);
        }
      }
    }
  });
  return out;
}

/** Deterministic Gaussian white noise (Box-Muller, real tails) with standard deviation `sigma`. */
export function normalNoise(length: number, seed = 1, sigma = 0.1): Float32Array {
  const u = uniformNoise(length + (length & 1), seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const a = Math.max(1e-12, (u[i]! + 1) / 2);
    const b = (u[i + 1]! + 1) / 2;
    const r = sigma * Math.sqrt(-2 * Math.log(a));
    out[i] = r * Math.cos(2 * Math.PI * b);
    if (i + 1 < length) out[i + 1] = r * Math.sin(2 * Math.PI * b);
  }
  return out;
}
