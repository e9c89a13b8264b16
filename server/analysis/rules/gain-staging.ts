import type { AnalysisResult, Session } from '../../../shared/schemas/analysis';
import { RuleBook, fmt } from '../result';
import { audibleTracks, isSourceTrack, label, spread } from '../tracks';

/** Peak above this is inside the headroom a mix bus and its plugins need. */
export const HEADROOM_PEAK_DBFS = -3;
/** A track averaging below this sits near the noise of its plugins and leaves the fader too little travel. */
export const LOW_LEVEL_DB = -24;
/** Widest spread of track levels before the balance is done with faders pinned at the extremes. */
export const LEVEL_SPREAD_DB = 12;

/**
 * Gain staging: every track should peak below 0 dBFS with headroom (around -6 dBFS, averaging near -18), none so
 * low that it is lost, and the levels close enough that the faders, not the trims, do the balance.
 */
export function analyzeGainStaging(session: Session): AnalysisResult {
  const book = new RuleBook('gain_staging');
  const indexed = session.tracks.map((t, i) => ({ t, i }));
  const sources = indexed.filter(({ t }) => isSourceTrack(t));
  const withPeak = indexed.filter(({ t }) => book.read('tracks[].peak', t.peak) !== undefined);
  const withLevel = sources.filter(({ t }) => book.read('tracks[].level', t.level) !== undefined);

  const clipping = withPeak.filter(({ t }) => t.peak! > 0);
  for (const { t, i } of clipping) {
    const cut = Math.ceil(t.peak! + 6);
    book.add(
      'track_clipping',
      'critical',
      Math.min(20, 12 + t.peak!),
      `${label(t, i)} peaks at +${fmt(t.peak!)} dBFS: above 0 dBFS it clips (fixed-point bounces and many plugins square it off).`,
      { track: t.name, peak_dbfs: t.peak!, limit_dbfs: 0 },
      `Lower ${label(t, i)}'s clip gain or input trim by ${cut} dB so it peaks near -6 dBFS, then rebalance with the fader.`,
      [
        {
          action: 'reduce_gain',
          parameter: `${t.name || `track ${i + 1}`}.trim_db`,
          value: -cut,
          reason: `peak +${fmt(t.peak!)} dBFS is over 0 dBFS`,
        },
      ],
    );
  }
  const hot = withPeak.filter(({ t }) => t.peak! <= 0 && t.peak! > HEADROOM_PEAK_DBFS);
  for (const { t, i } of hot.slice(0, 8)) {
    const cut = Math.ceil(t.peak! + 6);
    book.add(
      'track_little_headroom',
      'warning',
      4,
      `${label(t, i)} peaks at ${fmt(t.peak!)} dBFS, less than ${-HEADROOM_PEAK_DBFS} dB of headroom.`,
      { track: t.name, peak_dbfs: t.peak!, threshold_dbfs: HEADROOM_PEAK_DBFS },
      `Trim ${label(t, i)} by about ${cut} dB so it peaks around -6 dBFS; saturation and EQ boosts downstream need the room.`,
      [
        {
          action: 'reduce_gain',
          parameter: `${t.name || `track ${i + 1}`}.trim_db`,
          value: -cut,
          reason: `peak ${fmt(t.peak!)} dBFS leaves under 3 dB headroom`,
        },
      ],
    );
  }
  const quiet = withLevel.filter(({ t }) => t.level! < LOW_LEVEL_DB && !t.mute);
  for (const { t, i } of quiet.slice(0, 8)) {
    const lift = Math.round(-18 - t.level!);
    book.add(
      'track_too_low',
      'warning',
      4,
      `${label(t, i)} sits at ${fmt(t.level!)} dB, below ${LOW_LEVEL_DB} dB: it is either lost in the mix or its trim is doing the fader's job.`,
      { track: t.name, level_db: t.level!, threshold_db: LOW_LEVEL_DB },
      `Raise ${label(t, i)}'s input gain by about ${lift} dB (towards -18 dB average) and pull its fader down if it is then too loud.`,
      [
        {
          action: 'increase_gain',
          parameter: `${t.name || `track ${i + 1}`}.trim_db`,
          value: lift,
          reason: `level ${fmt(t.level!)} dB is under ${LOW_LEVEL_DB} dB`,
        },
      ],
    );
  }
  const audible = new Set(audibleTracks(session.tracks));
  const s = spread(
    withLevel.filter(({ t }) => audible.has(t)),
    ({ t }) => t.level,
  );
  if (s && s.spread > LEVEL_SPREAD_DB) {
    book.add(
      'level_spread',
      'warning',
      Math.min(20, 8 + (s.spread - LEVEL_SPREAD_DB)),
      `Track levels span ${fmt(s.spread)} dB, from ${label(s.lo.t, s.lo.i)} at ${fmt(s.loV)} dB to ${label(s.hi.t, s.hi.i)} at ${fmt(s.hiV)} dB (more than ${LEVEL_SPREAD_DB} dB).`,
      { spread_db: s.spread, lowest_db: s.loV, highest_db: s.hiV, threshold_db: LEVEL_SPREAD_DB },
      `Gain-stage before balancing: bring every source to about -18 dB average with its trim, then set the balance with the faders.`,
      [
        {
          action: 'reduce_gain',
          parameter: `${s.hi.t.name || `track ${s.hi.i + 1}`}.trim_db`,
          value: Math.round(-18 - s.hiV),
          reason: `loudest track, ${fmt(s.spread)} dB above the quietest`,
        },
      ],
    );
  }
  const master = session.master;
  const masterPeak =
    book.read('master.true_peak_dbtp', master.true_peak_dbtp) ??
    book.read('master.sample_peak_dbfs', master.sample_peak_dbfs);
  if (masterPeak !== undefined && masterPeak > 0) {
    book.add(
      'master_clipping',
      'critical',
      20,
      `The master peaks at +${fmt(masterPeak)} dB: the mix bus is clipping.`,
      { master_peak_db: masterPeak, limit_db: 0 },
      `Pull every fader down together (or the trims, by ${Math.ceil(masterPeak + 6)} dB) so the mix peaks near -6 dBFS before any master processing.`,
      [
        {
          action: 'reduce_gain',
          parameter: 'all_tracks.fader_db',
          value: -Math.ceil(masterPeak + 6),
          reason: `master peak +${fmt(masterPeak)} dB`,
        },
      ],
    );
  }
  if (withPeak.length === 0 && withLevel.length === 0 && masterPeak === undefined) {
    book.add(
      'no_levels',
      'info',
      0,
      'No track peaks or levels were given, so nothing could be checked.',
      { tracks: session.tracks.length },
      "Send each track's peak and level (dBFS) from the meters.",
    );
  } else if (book.findings.length === 0) {
    book.good(
      'levels_ok',
      `All ${withPeak.length} metered tracks peak below ${HEADROOM_PEAK_DBFS} dBFS and levels stay within ${LEVEL_SPREAD_DB} dB.`,
      {
        tracks_metered: withPeak.length,
        spread_db: s?.spread ?? null,
      },
    );
  }
  return book.result("Gain staging is healthy: headroom on every track and levels within a fader's reach.");
}
