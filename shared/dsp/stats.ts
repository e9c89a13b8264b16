/**
 * Level statistics that need no filtering: sample peak, RMS, crest factor, DC offset, and for stereo the
 * correlation, width and balance.
 *
 * Definitions (all on the raw samples, DC included):
 *  - rms_dbfs = 20 log10(sqrt(mean x^2)): a full-scale sine reads -3.01 dBFS (not the AES17 +3 dB convention).
 *  - crest_db = 20 log10(sample peak / rms): a sine reads 3.01 dB, a square 0 dB.
 *  - dc = mean x (linear, full scale = 1).
 *  - correlation = sum(L R) / sqrt(sum L^2 * sum R^2), -1..1, like a phase-correlation meter (no mean removal).
 *  - with M = (L+R)/2 and S = (L-R)/2: width = E_S / (E_M + E_S), 0..1 (0 = mono, 0.5 = two uncorrelated equal
 *    channels, 1 = fully out of phase); side_to_mid_db = 10 log10(E_S / E_M).
 *  - balance_db = 10 log10(E_L / E_R): positive when the left channel carries more energy.
 */

export interface ChannelLevels {
  samplePeak: number;
  rms: number;
  dc: number;
  sumSquares: number;
}

export function channelLevels(x: Float32Array): ChannelLevels {
  let peak = 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    sum += v;
    sq += v * v;
    const a = Math.abs(v); // branch-free: a sign test mispredicts on every other sample of real audio
    peak = a > peak ? a : peak;
  }
  const n = x.length;
  return { samplePeak: peak, rms: n > 0 ? Math.sqrt(sq / n) : 0, dc: n > 0 ? sum / n : 0, sumSquares: sq };
}

export interface StereoImage {
  correlation: number;
  width: number;
  sideToMidDb: number;
  balanceDb: number;
}

export function stereoImage(left: Float32Array, right: Float32Array): StereoImage {
  let ll = 0;
  let rr = 0;
  let lr = 0;
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const l = left[i]!;
    const r = right[i]!;
    ll += l * l;
    rr += r * r;
    lr += l * r;
  }
  return imageFromSums(ll, rr, lr);
}

/**
 * Levels of a stereo pair and its image in one pass over both channels (what the whole-file analyser uses).
 */
export function stereoLevels(
  left: Float32Array,
  right: Float32Array,
): {
  left: ChannelLevels;
  right: ChannelLevels;
  image: StereoImage;
} {
  const n = Math.min(left.length, right.length);
  let pl = 0;
  let pr = 0;
  let sl = 0;
  let sr = 0;
  let ll = 0;
  let rr = 0;
  let lr = 0;
  for (let i = 0; i < n; i++) {
    const l = left[i]!;
    const r = right[i]!;
    sl += l;
    sr += r;
    ll += l * l;
    rr += r * r;
    lr += l * r;
    const al = Math.abs(l);
    const ar = Math.abs(r);
    pl = al > pl ? al : pl;
    pr = ar > pr ? ar : pr;
  }
  const level = (peak: number, sum: number, sq: number): ChannelLevels => ({
    samplePeak: peak,
    rms: n > 0 ? Math.sqrt(sq / n) : 0,
    dc: n > 0 ? sum / n : 0,
    sumSquares: sq,
  });
  return { left: level(pl, sl, ll), right: level(pr, sr, rr), image: imageFromSums(ll, rr, lr) };
}

export function imageFromSums(ll: number, rr: number, lr: number): StereoImage {
  const mid = (ll + rr + 2 * lr) / 4;
  const side = (ll + rr - 2 * lr) / 4;
  const denom = Math.sqrt(ll * rr);
  return {
    correlation: denom > 0 ? Math.max(-1, Math.min(1, lr / denom)) : NaN,
    width: mid + side > 0 ? Math.max(0, Math.min(1, side / (mid + side))) : NaN,
    sideToMidDb: mid > 0 && side > 0 ? 10 * Math.log10(side / mid) : side > 0 ? Infinity : -Infinity,
    balanceDb: ll > 0 && rr > 0 ? 10 * Math.log10(ll / rr) : NaN,
  };
}
