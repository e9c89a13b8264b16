import type { AnalysisResult, LoudnessTarget, MasterMetrics, Session } from '../../../shared/schemas/analysis';
import { LOUDNESS_TARGETS } from '../../../shared/loudness-targets';
import { RuleBook, fmt, signed } from '../result';

/** Streaming services: more than this far from the target and normalisation changes how the master plays. */
export const LOUDNESS_WINDOW_LU = 2;
/** Peak-to-loudness below this (dB) is a master with its transients flattened. */
export const MIN_DYNAMIC_RANGE_DB = 4;
const BROADCAST: ReadonlySet<LoudnessTarget> = new Set(['ebu_r128', 'atsc_a85']);
/** Octave-band tilt (pink noise = 0 dB/oct) outside this window sounds bright or dark next to commercial masters. */
export const TILT_BRIGHT = 0.5;
export const TILT_DARK = -4.5;
/** Share of power below 120 Hz: above it boomy, below it thin. */
export const LOW_END_HEAVY = 0.7;
export const LOW_END_THIN = 0.08;

/**
 * Master rules against a loudness target: integrated loudness, true peak against the ceiling, peak-to-loudness
 * (dynamics), loudness range, tonal tilt and low end, stereo correlation. Shared by the session's master, the live
 * stream snapshots and whole-file reports.
 */
export function masteringRules(book: RuleBook, m: MasterMetrics, targetName: LoudnessTarget): void {
  const t = LOUDNESS_TARGETS[targetName];
  const integrated = book.read('integrated_lufs', m.integrated_lufs);
  const truePeak = book.read('true_peak_dbtp', m.true_peak_dbtp);
  const samplePeak = m.sample_peak_dbfs;
  if (truePeak === undefined) book.read('sample_peak_dbfs', samplePeak);

  if (integrated !== undefined) {
    const diff = integrated - t.integrated_lufs;
    const broadcast = BROADCAST.has(targetName);
    const window = broadcast ? t.tolerance_lu : LOUDNESS_WINDOW_LU;
    const evidence = {
      integrated_lufs: integrated,
      target_lufs: t.integrated_lufs,
      difference_lu: Math.round(diff * 10) / 10,
      allowed_lu: window,
    };
    if (Math.abs(diff) > window) {
      const louder = diff > 0;
      const severity = broadcast ? 'critical' : 'warning';
      const penalty = Math.min(30, (broadcast ? 20 : 8) + 2 * (Math.abs(diff) - window));
      const message = broadcast
        ? `Integrated loudness ${fmt(integrated)} LUFS is ${signed(diff)} LU from ${t.label}'s ${t.integrated_lufs} LUFS (±${t.tolerance_lu} LU allowed): the delivery fails.`
        : louder
          ? `Integrated loudness ${fmt(integrated)} LUFS is ${fmt(diff)} LU above ${t.label}'s ${t.integrated_lufs} LUFS: it will be turned down about ${fmt(diff)} dB, so the extra limiting only costs punch.`
          : `Integrated loudness ${fmt(integrated)} LUFS is ${fmt(-diff)} LU below ${t.label}'s ${t.integrated_lufs} LUFS: it may play quieter than the tracks around it.`;
      const next = louder
        ? `Back the limiter's input gain off by ${fmt(diff)} dB (aim for ${t.integrated_lufs} LUFS integrated) and re-measure.`
        : `Raise the limiter's input gain by ${fmt(-diff)} dB, keeping the true-peak ceiling at ${t.true_peak_dbtp} dBTP, and re-measure.`;
      book.add(louder ? 'too_loud_for_target' : 'too_quiet_for_target', severity, penalty, message, evidence, next, [
        {
          action: louder ? 'reduce_gain' : 'increase_gain',
          parameter: 'limiter.input_gain_db',
          value: Math.round(-diff * 10) / 10,
          reason: `integrated ${fmt(integrated)} LUFS vs ${t.integrated_lufs} LUFS target`,
        },
      ]);
    } else {
      book.add(
        'loudness_on_target',
        'info',
        0,
        `Integrated loudness ${fmt(integrated)} LUFS is within ${window} LU of ${t.label}'s ${t.integrated_lufs} LUFS (${signed(diff)} LU): within target.`,
        evidence,
        'Keep it: normalisation will barely touch this master.',
      );
    }
  }

  const peak = truePeak ?? samplePeak;
  if (peak !== undefined) {
    const kind = truePeak !== undefined ? 'True peak' : 'Sample peak';
    const unit = truePeak !== undefined ? 'dBTP' : 'dBFS';
    const over = peak - t.true_peak_dbtp;
    if (over > 0) {
      const clipping = peak > 0;
      book.add(
        'true_peak_over_ceiling',
        clipping || over > 1 ? 'critical' : 'warning',
        Math.min(35, (clipping ? 25 : 12) + 4 * over),
        `${kind} ${signed(peak, 2)} ${unit} is ${fmt(over, 2)} dB over ${t.label}'s ${t.true_peak_dbtp} dBTP ceiling${clipping ? ': the reconstructed waveform goes past full scale, so converters and lossy encoders will clip' : ': lossy encoding can push it into clipping'}.`,
        {
          [truePeak !== undefined ? 'true_peak_dbtp' : 'sample_peak_dbfs']: peak,
          ceiling_dbtp: t.true_peak_dbtp,
          over_db: Math.round(over * 100) / 100,
        },
        `Set the limiter's ceiling to ${t.true_peak_dbtp} dBTP with true-peak (oversampled) detection on, then re-measure.`,
        [
          {
            action: 'set',
            parameter: 'limiter.ceiling_dbtp',
            value: t.true_peak_dbtp,
            reason: `${kind.toLowerCase()} ${signed(peak, 2)} ${unit} exceeds ${t.true_peak_dbtp} dBTP`,
          },
        ],
      );
    } else {
      book.add(
        'peak_under_ceiling',
        'info',
        0,
        `${kind} ${signed(peak, 2)} ${unit} is under the ${t.true_peak_dbtp} dBTP ceiling.`,
        { [truePeak !== undefined ? 'true_peak_dbtp' : 'sample_peak_dbfs']: peak, ceiling_dbtp: t.true_peak_dbtp },
        'Nothing to change here.',
      );
    }
    if (truePeak === undefined) {
      book.add(
        'no_true_peak',
        'info',
        0,
        'Only the sample peak was given: true peaks between samples can be up to ~3 dB higher.',
        { sample_peak_dbfs: peak },
        'Meter with a true-peak (4x oversampled) meter before delivery.',
      );
    }
  }

  const dr = book.read(
    'dynamic_range_db',
    m.dynamic_range_db ?? (peak !== undefined && integrated !== undefined ? peak - integrated : undefined),
  );
  if (dr !== undefined && dr < MIN_DYNAMIC_RANGE_DB) {
    book.add(
      'over_compressed',
      'warning',
      Math.min(20, 10 + 3 * (MIN_DYNAMIC_RANGE_DB - dr)),
      `Peak-to-loudness is ${fmt(dr)} dB (under ${MIN_DYNAMIC_RANGE_DB} dB): the transients are flattened; it will sound smaller than quieter masters once normalised.`,
      { dynamic_range_db: Math.round(dr * 10) / 10, threshold_db: MIN_DYNAMIC_RANGE_DB },
      "Lower the limiter's gain reduction to 2-3 dB on the loudest parts, or use a slower-attack bus compressor before it to keep the kick's attack.",
      [
        {
          action: 'reduce',
          parameter: 'limiter.gain_reduction_db',
          value: 3,
          reason: `peak-to-loudness ${fmt(dr)} dB`,
        },
      ],
    );
  }
  const lra = book.read('range_lu', m.range_lu);
  if (lra !== undefined && lra < 3 && targetName !== 'club') {
    book.add(
      'little_loudness_range',
      'info',
      3,
      `Loudness range is ${fmt(lra)} LU: verses and choruses sit at almost the same loudness.`,
      { range_lu: lra, typical_lu: '4-8' },
      'Let the sections breathe: automate the quieter sections 1-2 dB down, or ease the bus compression.',
    );
  } else if (lra !== undefined && lra > 15 && !BROADCAST.has(targetName)) {
    book.add(
      'wide_loudness_range',
      'warning',
      5,
      `Loudness range is ${fmt(lra)} LU: quiet passages will be hard to hear on phones and in cars.`,
      { range_lu: lra, threshold_lu: 15 },
      'Ride the quiet sections up with volume automation or gentle bus compression (2:1, slow attack) before the limiter.',
    );
  }

  const tilt = book.read('tilt_db_per_octave', m.tilt_db_per_octave);
  if (tilt !== undefined && tilt > TILT_BRIGHT) {
    book.add(
      'tilted_bright',
      'warning',
      8,
      `Spectral tilt is ${signed(tilt)} dB/octave (brighter than pink noise's 0): the top end will sound harsh next to other masters.`,
      { tilt_db_per_octave: tilt, bright_above: TILT_BRIGHT },
      'Try a high shelf of -1.5 dB at 8 kHz on the master, or tame the brightest sources (hats, cymbals, synth leads) in the mix.',
      [
        {
          action: 'cut',
          parameter: 'master_eq.high_shelf_8khz_db',
          value: -1.5,
          reason: `tilt ${signed(tilt)} dB/octave`,
        },
      ],
    );
  } else if (tilt !== undefined && tilt < TILT_DARK) {
    book.add(
      'tilted_dark',
      'warning',
      8,
      `Spectral tilt is ${signed(tilt)} dB/octave: the mix leans dark and will sound dull next to other masters.`,
      { tilt_db_per_octave: tilt, dark_below: TILT_DARK },
      'Try a broad high shelf of +1.5 dB at 10 kHz, or a low shelf cut of 1-2 dB at 100 Hz.',
      [
        {
          action: 'boost',
          parameter: 'master_eq.high_shelf_10khz_db',
          value: 1.5,
          reason: `tilt ${signed(tilt)} dB/octave`,
        },
      ],
    );
  }
  const low = book.read('low_end_ratio', m.low_end_ratio);
  if (low !== undefined && low > LOW_END_HEAVY) {
    book.add(
      'low_end_heavy',
      'warning',
      8,
      `${fmt(100 * low, 0)} % of the energy is below 120 Hz (over ${fmt(100 * LOW_END_HEAVY, 0)} %): the low end will eat the limiter's headroom and boom on big systems.`,
      { low_end_ratio: low, threshold: LOW_END_HEAVY },
      'Cut 1-3 dB around 60-100 Hz on the master, or better, on the bass or kick that is overlapping.',
      [{ action: 'cut', parameter: 'master_eq.low_shelf_100hz_db', value: -2, reason: `low-end ratio ${fmt(low, 2)}` }],
    );
  } else if (low !== undefined && low < LOW_END_THIN) {
    book.add(
      'low_end_thin',
      'warning',
      6,
      `Only ${fmt(100 * low, 0)} % of the energy is below 120 Hz: the master will sound thin on full-range systems.`,
      { low_end_ratio: low, threshold: LOW_END_THIN },
      'Check the low end on headphones: add 1-2 dB of low shelf at 80 Hz, or bring the bass up in the mix.',
      [
        {
          action: 'boost',
          parameter: 'master_eq.low_shelf_80hz_db',
          value: 1.5,
          reason: `low-end ratio ${fmt(low, 2)}`,
        },
      ],
    );
  }
  if (m.low_db !== undefined && m.high_db !== undefined) {
    book.read('low_db', m.low_db);
    book.read('high_db', m.high_db);
    const d = m.low_db - m.high_db;
    if (d > 25 || d < 0) {
      book.add(
        d > 25 ? 'low_high_imbalance_dark' : 'low_high_imbalance_bright',
        'warning',
        6,
        `Lows are ${fmt(m.low_db)} dB and highs ${fmt(m.high_db)} dB: a ${fmt(d)} dB difference, ${d > 25 ? 'heavy at the bottom' : 'top-heavy'}.`,
        { low_db: m.low_db, high_db: m.high_db, difference_db: Math.round(d * 10) / 10, expected_db: '5-25' },
        d > 25
          ? 'Lift the highs with a gentle shelf (+1.5 dB at 10 kHz) or cut the lows a little.'
          : 'Tame the highs (-1.5 dB shelf at 8 kHz) or add weight below 200 Hz.',
      );
    }
  }
  const corr = book.read('correlation', m.correlation);
  if (corr !== undefined && corr < 0) {
    book.add(
      'out_of_phase',
      'critical',
      20,
      `Stereo correlation is ${fmt(corr, 2)}: the channels partly cancel, and in mono (phones, clubs, radio) parts will vanish.`,
      { correlation: corr, threshold: 0 },
      'Find the culprit (stereo wideners, a flipped polarity, a doubled take) by soloing tracks in mono; keep everything under 120 Hz mono.',
      [{ action: 'set', parameter: 'master.mono_below_hz', value: 120, reason: `correlation ${fmt(corr, 2)}` }],
    );
  } else if (corr !== undefined && corr < 0.2) {
    book.add(
      'wide_stereo',
      'warning',
      6,
      `Stereo correlation is ${fmt(corr, 2)}: very wide, mono playback will lose level.`,
      { correlation: corr, threshold: 0.2 },
      'Check the mix in mono and narrow the widest elements (stereo wideners, chorus, Haas delays).',
    );
  }
}

export function analyzeMastering(session: Session): AnalysisResult {
  const book = new RuleBook('mastering');
  masteringRules(book, session.master, session.target);
  if (Object.keys(session.master).length === 0) {
    book.add(
      'no_master_metrics',
      'info',
      0,
      'No master figures were given.',
      { master_fields: 0 },
      'Send master.integrated_lufs and master.true_peak_dbtp from a loudness meter (or POST the bounce to /api/analyze/audio).',
    );
  }
  const t = LOUDNESS_TARGETS[session.target];
  return book.result(`The master meets ${t.label}'s target (${t.integrated_lufs} LUFS, ${t.true_peak_dbtp} dBTP).`);
}
