import type { AnalysisResult, Session } from '../../../shared/schemas/analysis';
import { RuleBook, fmt, signed } from '../result';
import { LOW_END_ROLES, activePlugins, audibleTracks, isSourceTrack, label, roleOf, spread } from '../tracks';
import { LOW_END_HEAVY, LOW_END_THIN, TILT_BRIGHT, TILT_DARK } from './mastering';

export const MIX_LEVEL_SPREAD_DB = 12;
/** The loudest source this far over the next one dominates the mix. */
export const DOMINANT_MARGIN_DB = 6;

/** Mixing: balance between the sources, frequency balance of the whole, processing, low end in the centre. */
export function analyzeMixing(session: Session): AnalysisResult {
  const book = new RuleBook('mixing');
  const sources = session.tracks.map((t, i) => ({ t, i })).filter(({ t }) => isSourceTrack(t));
  const audible = new Set(audibleTracks(session.tracks));
  const heard = sources.filter(({ t }) => audible.has(t));
  const leveled = heard.filter(({ t }) => book.read('tracks[].level', t.level) !== undefined);

  const s = spread(leveled, ({ t }) => t.level);
  if (s && s.spread > MIX_LEVEL_SPREAD_DB) {
    book.add(
      'level_spread',
      'warning',
      Math.min(20, 8 + (s.spread - MIX_LEVEL_SPREAD_DB)),
      `Levels span ${fmt(s.spread)} dB between ${label(s.hi.t, s.hi.i)} (${fmt(s.hiV)} dB) and ${label(s.lo.t, s.lo.i)} (${fmt(s.loV)} dB): the quiet one is likely masked.`,
      { spread_db: s.spread, loudest_db: s.hiV, quietest_db: s.loV, threshold_db: MIX_LEVEL_SPREAD_DB },
      `Decide whether ${label(s.lo.t, s.lo.i)} is needed: if so bring it up about ${fmt(s.spread - MIX_LEVEL_SPREAD_DB)} dB and give it its own frequency space with EQ; if not, mute it.`,
      [
        {
          action: 'increase_gain',
          parameter: `${s.lo.t.name || `track ${s.lo.i + 1}`}.fader_db`,
          value: Math.round(s.spread - MIX_LEVEL_SPREAD_DB),
          reason: `${fmt(s.spread)} dB below the loudest track`,
        },
      ],
    );
  }
  if (leveled.length >= 3) {
    const sorted = [...leveled].sort((a, b) => b.t.level! - a.t.level!);
    const [first, second] = sorted;
    const margin = first!.t.level! - second!.t.level!;
    if (margin > DOMINANT_MARGIN_DB) {
      book.add(
        'dominant_track',
        'warning',
        8,
        `${label(first!.t, first!.i)} is ${fmt(margin)} dB louder than anything else (${fmt(first!.t.level!)} dB vs ${fmt(second!.t.level!)} dB).`,
        {
          track: first!.t.name,
          level_db: first!.t.level!,
          next_level_db: second!.t.level!,
          margin_db: margin,
          threshold_db: DOMINANT_MARGIN_DB,
        },
        `Pull ${label(first!.t, first!.i)} down ${fmt(margin - 3)} dB and listen whether the mix holds together; the lead element is usually 2-4 dB on top, not ${fmt(margin)}.`,
        [
          {
            action: 'reduce_gain',
            parameter: `${first!.t.name || `track ${first!.i + 1}`}.fader_db`,
            value: -Math.round(margin - 3),
            reason: `${fmt(margin)} dB above the next track`,
          },
        ],
      );
    }
  }

  const m = session.master;
  const tilt = book.read('master.tilt_db_per_octave', m.tilt_db_per_octave);
  const low = book.read('master.low_end_ratio', m.low_end_ratio);
  const centroid = book.read('master.spectral_centroid_hz', m.spectral_centroid_hz);
  if ((tilt !== undefined && tilt > TILT_BRIGHT + 1.5) || (centroid !== undefined && centroid > 5000)) {
    book.add(
      'frequency_balance_bright',
      'warning',
      10,
      `The mix is very bright (${[tilt !== undefined ? `tilt ${signed(tilt)} dB/octave` : '', centroid !== undefined ? `centroid ${fmt(centroid, 0)} Hz` : ''].filter(Boolean).join(', ')}).`,
      { tilt_db_per_octave: tilt ?? null, spectral_centroid_hz: centroid ?? null },
      'Find the brightest sources (solo hats, cymbals, synths through a spectrum analyser) and shelve them down 2-3 dB above 6 kHz rather than EQing the master.',
    );
  } else if ((tilt !== undefined && tilt < TILT_DARK - 1.5) || (centroid !== undefined && centroid < 600)) {
    book.add(
      'frequency_balance_dark',
      'warning',
      10,
      `The mix is very dark (${[tilt !== undefined ? `tilt ${signed(tilt)} dB/octave` : '', centroid !== undefined ? `centroid ${fmt(centroid, 0)} Hz` : ''].filter(Boolean).join(', ')}).`,
      { tilt_db_per_octave: tilt ?? null, spectral_centroid_hz: centroid ?? null },
      'High-pass the tracks that do not need lows (everything but kick and bass, typically 80-150 Hz) and add presence (2-5 kHz) to the lead.',
    );
  }
  if (low !== undefined && (low > LOW_END_HEAVY || low < LOW_END_THIN)) {
    const heavy = low > LOW_END_HEAVY;
    book.add(
      heavy ? 'low_end_extreme_heavy' : 'low_end_extreme_thin',
      'warning',
      8,
      `${fmt(100 * low, 0)} % of the mix's energy is below 120 Hz: ${heavy ? 'the low end swamps the rest' : 'there is almost no low end'}.`,
      { low_end_ratio: low, heavy_above: LOW_END_HEAVY, thin_below: LOW_END_THIN },
      heavy
        ? 'High-pass everything that is not kick or bass, and sidechain the bass to the kick so they take turns.'
        : 'Check the bass and kick levels on headphones and give the bass 2-3 dB more, or add a sub layer.',
    );
  }

  const processed = sources.filter(({ t }) => activePlugins(t).length > 0).length;
  if (sources.length >= 3 && processed === 0) {
    book.add(
      'no_processing',
      'warning',
      15,
      `None of the ${sources.length} source tracks has a plugin: no EQ, no compression, no space.`,
      { tracks: sources.length, processed: 0 },
      'Start with a high-pass filter on every track that is not kick or bass, light compression on vocals and bass, and one shared reverb on a return.',
      [
        {
          action: 'insert',
          parameter: 'non_bass_tracks.high_pass_hz',
          value: 100,
          reason: 'no processing on any track',
        },
      ],
    );
  }
  book.read('tracks[].pan', sources.length > 0 ? true : undefined);
  for (const { t, i } of heard) {
    const role = roleOf(t);
    if (role && LOW_END_ROLES.has(role) && Math.abs(t.pan) > 0.2) {
      book.add(
        'low_end_off_centre',
        'warning',
        6,
        `${label(t, i)} (${role}) is panned ${fmt(t.pan * 100, 0)} % ${t.pan < 0 ? 'left' : 'right'}: low end off-centre costs headroom and translates badly to mono.`,
        { track: t.name, pan: t.pan, role, max_pan: 0.2 },
        `Pan ${label(t, i)} to the centre; widen its upper harmonics with a mid/side EQ or a short chorus on a parallel bus if it needs width.`,
        [
          {
            action: 'set',
            parameter: `${t.name || `track ${i + 1}`}.pan`,
            value: 0,
            reason: `${role} panned ${fmt(t.pan, 2)}`,
          },
        ],
      );
    }
  }
  if (book.findings.length === 0) {
    book.good(
      'balanced',
      `${leveled.length} levels within ${MIX_LEVEL_SPREAD_DB} dB, ${processed} of ${sources.length} tracks processed, low end centred.`,
      { tracks: sources.length, processed, spread_db: s?.spread ?? null },
    );
  }
  return book.result('The mix is balanced: levels, tone and processing all in range.');
}
