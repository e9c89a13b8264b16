/** The evaluation's figures: shares, expected calibration error, percentiles, agreement with hand grades. */

export interface Scored {
  pass: boolean;
  confidence: number;
}

/** Expected calibration error over equal-width confidence bins: sum over bins of (share of answers) x |mean confidence - pass rate|. */
export function expectedCalibrationError(scored: readonly Scored[], bins = 10): number {
  if (scored.length === 0) return 0;
  const sums = Array.from({ length: bins }, () => ({ n: 0, conf: 0, pass: 0 }));
  for (const s of scored) {
    const b = sums[Math.min(bins - 1, Math.max(0, Math.floor(s.confidence * bins)))]!;
    b.n += 1;
    b.conf += s.confidence;
    b.pass += s.pass ? 1 : 0;
  }
  return sums.reduce((e, b) => (b.n ? e + (b.n / scored.length) * Math.abs(b.conf / b.n - b.pass / b.n) : e), 0);
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const share = (n: number, of: number) => (of === 0 ? 1 : n / of);

/** Agreement between two yes/no raters: raw share and Cohen's kappa. */
export function agreement(pairs: readonly { a: boolean; b: boolean }[]): { agree: number; kappa: number } {
  const n = pairs.length;
  if (n === 0) return { agree: 1, kappa: 1 };
  const agree = pairs.filter((p) => p.a === p.b).length / n;
  const pa = pairs.filter((p) => p.a).length / n;
  const pb = pairs.filter((p) => p.b).length / n;
  const chance = pa * pb + (1 - pa) * (1 - pb);
  return { agree, kappa: chance === 1 ? 1 : (agree - chance) / (1 - chance) };
}
