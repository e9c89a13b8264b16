import { z } from 'zod';

/**
 * Live meters: the snapshot the metering DSP (an AudioWorklet) publishes about ten times a second, and the messages
 * that carry it between the extension's pages. JSON only: "no value yet" (silence, under 400 ms / 3 s) is null,
 * never -Infinity.
 */

const level = z.number().finite().nullable();

/** Third-octave band centres of `MeterSnapshot.bands` (IEC 61260 nominal, 31.5 Hz .. 16 kHz). */
export const METER_BAND_CENTRES_HZ = [
  31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000,
  5000, 6300, 8000, 10000, 12500, 16000,
] as const;

export const MeterSnapshot = z.object({
  /** Increases by one per snapshot of a measurement; restarts at 0 on reset. */
  seq: z.number().int().min(0),
  /** Seconds measured since the last reset. */
  duration_s: z.number().min(0),
  sample_rate: z.number().int().min(8000).max(384000),
  channels: z.number().int().min(1).max(32),
  momentary_lufs: level,
  short_term_lufs: level,
  integrated_lufs: level,
  range_lu: z.number().min(0).max(100),
  momentary_max_lufs: level,
  short_term_max_lufs: level,
  /** Highest true peak since the reset (the hold), dBTP. */
  true_peak_dbtp: level,
  /** Highest sample peak since the last snapshot (the live bar), dBFS. */
  sample_peak_dbfs: level,
  /** Left/right phase correlation over the last snapshot interval (-1..1), null for mono or silence. */
  correlation: z.number().min(-1).max(1).nullable(),
  /** The same since the reset. */
  correlation_avg: z.number().min(-1).max(1).nullable(),
  /** Share of the energy below 120 Hz since the reset, 0..1. */
  low_end_ratio: z.number().min(0).max(1).nullable(),
  /** Third-octave band levels (dB relative to a full-scale sine), one per METER_BAND_CENTRES_HZ, smoothed. */
  bands: z.array(level).length(METER_BAND_CENTRES_HZ.length),
});
export type MeterSnapshot = z.infer<typeof MeterSnapshot>;

export const MeterSource = z.enum(['tab_capture', 'page_hook']);
export type MeterSource = z.infer<typeof MeterSource>;

export const MeterState = z.enum(['idle', 'starting', 'running', 'error']);
export type MeterState = z.infer<typeof MeterState>;

export const MeterErrorCode = z.enum([
  'not_invoked',
  'no_tab',
  'capture_failed',
  'worklet_failed',
  'unsupported',
  'ended',
]);
export type MeterErrorCode = z.infer<typeof MeterErrorCode>;

/** Runtime messages of the meters (panel <-> background <-> offscreen document or DAW tab). */
export const MeterMessage = z.discriminatedUnion('type', [
  /** Panel -> background: capture this tab (Chrome: with a stream id the panel got inside the user's click). */
  z.object({
    type: z.literal('meters_start'),
    tab_id: z.number().int(),
    stream_id: z.string().min(1).max(500).optional(),
  }),
  z.object({ type: z.literal('meters_stop') }),
  /** Clears integrated, range, maxima and the true-peak hold. */
  z.object({ type: z.literal('meters_reset') }),
  /** Panel -> meter: say your state (a panel that opens while metering runs). */
  z.object({ type: z.literal('meters_query') }),
  /** Background -> offscreen document. */
  z.object({ type: z.literal('meters_capture'), tab_id: z.number().int(), stream_id: z.string().min(1).max(500) }),
  /** Meter -> panels. */
  z.object({
    type: z.literal('meters_status'),
    state: MeterState,
    source: MeterSource.optional(),
    tab_id: z.number().int().optional(),
    error: z.object({ code: MeterErrorCode, message: z.string().max(500) }).optional(),
  }),
  z.object({
    type: z.literal('meters_snapshot'),
    source: MeterSource,
    tab_id: z.number().int(),
    snapshot: MeterSnapshot,
  }),
]);
export type MeterMessage = z.infer<typeof MeterMessage>;
