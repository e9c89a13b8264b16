import { LOUDNESS_TARGETS, LOUDNESS_TARGET_NAMES, type LoudnessTargetName } from '../../shared/loudness-targets';
import type { MeterSnapshot } from '../../shared/schemas/meters';

/** The BroadcastChannel on which the offscreen meter publishes to the extension's pages. */
export const METER_CHANNEL = 'codette-meters';
/** storage.local key of the chosen loudness target. */
export const METER_TARGET_KEY = 'codette.meters.target.v1';
/** Points kept for the loudness history plot: 3 minutes at ten snapshots a second. */
export const HISTORY_POINTS = 1800;

export interface HistoryPoint {
  /** Seconds since the reset. */
  t: number;
  momentary: number | null;
  shortTerm: number | null;
}

export function isTargetName(v: unknown): v is LoudnessTargetName {
  return typeof v === 'string' && (LOUDNESS_TARGET_NAMES as string[]).includes(v);
}

/** True when the true-peak hold is above the target's ceiling (the hold turns red). */
export function overCeiling(snapshot: MeterSnapshot | null, target: LoudnessTargetName): boolean {
  const tp = snapshot?.true_peak_dbtp;
  return typeof tp === 'number' && tp > LOUDNESS_TARGETS[target].true_peak_dbtp;
}

/**
 * The figures "Ask Codette about this mix" attaches as `daw_context.metrics`: the names the server's mix review reads
 * (integrated_lufs, true_peak_dbtp, range_lu, correlation, low_end_ratio, target) and a few more for context.
 * Figures without a value yet are left out.
 */
export function chatMetrics(
  snapshot: MeterSnapshot | null,
  target: LoudnessTargetName,
): Record<string, number | string> {
  const out: Record<string, number | string> = { target };
  if (!snapshot) return out;
  const put = (k: string, v: number | null) => {
    if (v !== null && Number.isFinite(v)) out[k] = Math.round(v * 100) / 100;
  };
  put('integrated_lufs', snapshot.integrated_lufs);
  put('true_peak_dbtp', snapshot.true_peak_dbtp);
  if (snapshot.duration_s >= 3) put('range_lu', snapshot.range_lu);
  put('correlation', snapshot.correlation_avg);
  put('low_end_ratio', snapshot.low_end_ratio);
  put('short_term_lufs', snapshot.short_term_lufs);
  put('momentary_max_lufs', snapshot.momentary_max_lufs);
  put('short_term_max_lufs', snapshot.short_term_max_lufs);
  put('measured_seconds', snapshot.duration_s);
  return out;
}

/** "-14.2" for a level, "–" for none. */
export function fmtLevel(v: number | null | undefined, digits = 1): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–';
}
