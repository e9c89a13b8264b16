/**
 * BS.1770-4 / EBU R128 loudness from K-weighted energies.
 *
 * Everything is built on 100 ms "sub-blocks": sub-block j holds, for the K-weighted signal, the channel-weighted sum
 * of squares  E_j = sum_i G_i * sum_n z_i[n]^2  and its sample count. Because the BS.1770 gating block is
 * 400 ms with 75 % overlap (hop 100 ms), the momentary value (400 ms), the short-term value (3 s) and every gating
 * block are plain running sums of consecutive sub-blocks. When fs/10 is not an integer, sub-block j covers samples
 * [round(j fs/10), round((j+1) fs/10)), so sub-blocks differ by at most one sample and powers divide by the true count.
 */
import { KWeightingFilter, sumSquaresPair } from './k-weighting';

/** l = -0.691 + 10 log10(sum_i G_i z_i): the BS.1770 offset that makes a 1 kHz sine read its RMS level. */
export const LOUDNESS_OFFSET_DB = -0.691;
export const ABSOLUTE_GATE_LUFS = -70;
/** BS.1770-4 integrated loudness: relative gate 10 LU below the absolute-gated loudness. */
export const RELATIVE_GATE_LU = -10;
/** EBU Tech 3342 loudness range: relative gate 20 LU below the absolute-gated short-term loudness. */
export const LRA_RELATIVE_GATE_LU = -20;
export const LRA_LOW_PERCENTILE = 0.1;
export const LRA_HIGH_PERCENTILE = 0.95;
export const SUB_BLOCKS_PER_MOMENTARY = 4; // 400 ms
export const SUB_BLOCKS_PER_SHORT_TERM = 30; // 3 s

/** Mean-square (channel-weighted) power to LUFS; -Infinity for silence. */
export function powerToLufs(power: number): number {
  return power > 0 ? LOUDNESS_OFFSET_DB + 10 * Math.log10(power) : -Infinity;
}

export function lufsToPower(lufs: number): number {
  return Math.pow(10, (lufs - LOUDNESS_OFFSET_DB) / 10);
}

/**
 * BS.1770-4 channel weights G_i for the usual WAV/SMPTE channel orders: L, R, C = 1.0; surrounds = 1.41; LFE = 0.
 * 1 = mono, 2 = L R, 3 = L R C, 4 = L R Ls Rs, 5 = L R C Ls Rs, 6 = L R C LFE Ls Rs. Other counts weight all 1.0;
 * pass explicit weights for anything else.
 */
export function defaultChannelWeights(channelCount: number): Float64Array {
  const s = 1.41;
  switch (channelCount) {
    case 4:
      return Float64Array.of(1, 1, s, s);
    case 5:
      return Float64Array.of(1, 1, 1, s, s);
    case 6:
      return Float64Array.of(1, 1, 1, 0, s, s);
    default:
      return new Float64Array(channelCount).fill(1);
  }
}

/** Start sample of sub-block j (100 ms grid, rounded). */
export function subBlockStart(j: number, sampleRate: number): number {
  return Math.round((j * sampleRate) / 10);
}

export interface SubBlocks {
  /** Channel-weighted K-weighted energy of each complete 100 ms sub-block. */
  energy: Float64Array;
  /** Samples in each sub-block. */
  count: Float64Array;
}

/**
 * K-weights every channel of a whole signal and returns its complete 100 ms sub-blocks (a trailing partial
 * sub-block is dropped, as BS.1770 only gates complete blocks).
 */
export function kWeightedSubBlocks(
  channels: readonly Float32Array[],
  sampleRate: number,
  weights: Float64Array,
  onProgress?: (fraction: number) => void,
): SubBlocks {
  const length = channels[0]?.length ?? 0;
  let n = 0;
  while (subBlockStart(n + 1, sampleRate) <= length) n++;
  const energy = new Float64Array(n);
  const count = new Float64Array(n);
  for (let j = 0; j < n; j++) count[j] = subBlockStart(j + 1, sampleRate) - subBlockStart(j, sampleRate);
  const pair = new Float64Array(2);
  for (let c = 0; c < channels.length; c += 2) {
    const ga = weights[c] ?? 1;
    const gb = weights[c + 1] ?? 1;
    const xa = channels[c]!;
    const xb = channels[c + 1];
    const fa = new KWeightingFilter(sampleRate);
    const fb = new KWeightingFilter(sampleRate);
    let start = 0;
    for (let j = 0; j < n; j++) {
      const end = subBlockStart(j + 1, sampleRate);
      if (xb) {
        sumSquaresPair(fa, fb, xa, xb, start, end, pair);
        energy[j] = energy[j]! + ga * pair[0]! + gb * pair[1]!;
      } else {
        energy[j] = energy[j]! + ga * fa.sumSquares(xa, start, end);
      }
      start = end;
      if (onProgress && (j & 127) === 127) onProgress((c + (xb ? 2 : 1) * (j / n)) / channels.length);
    }
  }
  return { energy, count };
}

/**
 * Mean power of every complete window of `span` consecutive sub-blocks, hop one sub-block (100 ms).
 * span 4 gives the BS.1770 gating blocks / momentary values, span 30 the short-term values.
 */
export function windowPowers(sub: SubBlocks, span: number): Float64Array {
  const n = sub.energy.length;
  const m = Math.max(0, n - span + 1);
  const out = new Float64Array(m);
  // Summed afresh for every window (at most 30 terms): a running sum would leave rounding residue of loud passages
  // in the quiet windows that follow them.
  for (let w = 0; w < m; w++) {
    let e = 0;
    let c = 0;
    for (let j = w; j < w + span; j++) {
      e += sub.energy[j]!;
      c += sub.count[j]!;
    }
    out[w] = c > 0 ? e / c : 0;
  }
  return out;
}

/**
 * Integrated loudness (LUFS) from gating-block powers: absolute gate at -70 LUFS, then a relative gate 10 LU below
 * the loudness of the blocks that passed it. -Infinity if no block passes.
 */
export function gatedLoudness(blockPowers: ArrayLike<number>, count = blockPowers.length): number {
  const absPower = lufsToPower(ABSOLUTE_GATE_LUFS);
  let sum = 0;
  let n = 0;
  for (let j = 0; j < count; j++) {
    const p = blockPowers[j]!;
    if (p > absPower) {
      sum += p;
      n++;
    }
  }
  if (n === 0) return -Infinity;
  const relPower = Math.max(absPower, (sum / n) * Math.pow(10, RELATIVE_GATE_LU / 10));
  sum = 0;
  n = 0;
  for (let j = 0; j < count; j++) {
    const p = blockPowers[j]!;
    if (p > relPower) {
      sum += p;
      n++;
    }
  }
  return n === 0 ? -Infinity : powerToLufs(sum / n);
}

/**
 * EBU Tech 3342 loudness range (LU) from short-term (3 s) powers: absolute gate -70 LUFS, relative gate 20 LU below
 * the power mean of the absolute-gated values, then the spread between the 10th and 95th percentiles (nearest rank
 * on the sorted values). 0 when fewer than two values survive.
 */
export function loudnessRange(shortTermPowers: ArrayLike<number>, count = shortTermPowers.length): number {
  const absPower = lufsToPower(ABSOLUTE_GATE_LUFS);
  let sum = 0;
  let n = 0;
  for (let j = 0; j < count; j++) {
    const p = shortTermPowers[j]!;
    if (p > absPower) {
      sum += p;
      n++;
    }
  }
  if (n === 0) return 0;
  const relPower = Math.max(absPower, (sum / n) * Math.pow(10, LRA_RELATIVE_GATE_LU / 10));
  const kept = new Float64Array(n);
  let k = 0;
  for (let j = 0; j < count; j++) {
    const p = shortTermPowers[j]!;
    if (p > relPower) kept[k++] = p;
  }
  if (k < 2) return 0;
  const sorted = kept.subarray(0, k).sort();
  const lo = sorted[Math.round((k - 1) * LRA_LOW_PERCENTILE)]!;
  const hi = sorted[Math.round((k - 1) * LRA_HIGH_PERCENTILE)]!;
  return powerToLufs(hi) - powerToLufs(lo);
}

export interface LoudnessFigures {
  integratedLufs: number;
  momentaryMaxLufs: number;
  shortTermMaxLufs: number;
  rangeLu: number;
  /** Momentary loudness every 100 ms (first value at 400 ms). */
  momentary: Float64Array;
  /** Short-term loudness every 100 ms (first value at 3 s). */
  shortTerm: Float64Array;
}

/** Whole-signal loudness figures. Channels are planar, all the same length. */
export function measureLoudness(
  channels: readonly Float32Array[],
  sampleRate: number,
  weights: Float64Array = defaultChannelWeights(channels.length),
  onProgress?: (fraction: number) => void,
): LoudnessFigures {
  const sub = kWeightedSubBlocks(channels, sampleRate, weights, onProgress);
  const mPow = windowPowers(sub, SUB_BLOCKS_PER_MOMENTARY);
  const sPow = windowPowers(sub, SUB_BLOCKS_PER_SHORT_TERM);
  const momentary = mPow.map(powerToLufs);
  const shortTerm = sPow.map(powerToLufs);
  return {
    integratedLufs: gatedLoudness(mPow),
    momentaryMaxLufs: maxOf(momentary),
    shortTermMaxLufs: maxOf(shortTerm),
    rangeLu: loudnessRange(sPow),
    momentary,
    shortTerm,
  };
}

function maxOf(values: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}
