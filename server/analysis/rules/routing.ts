import type { AnalysisResult, Session } from '../../../shared/schemas/analysis';
import { RuleBook, fmt } from '../result';
import { isBusTrack, isSourceTrack, isUnnamed } from '../tracks';

export const AUX_NEEDED_ABOVE_TRACKS = 10;
export const VCA_USEFUL_ABOVE_TRACKS = 10;
export const UNNAMED_SHARE = 0.3;

/** Routing: buses past a handful of tracks, VCAs for big sessions, names, and routes that lead nowhere. */
export function analyzeRouting(session: Session): AnalysisResult {
  const book = new RuleBook('routing');
  const tracks = session.tracks;
  const n = book.read('tracks', tracks.length) ?? 0;
  const sources = tracks.filter(isSourceTrack);
  const buses = tracks.filter(isBusTrack);
  const routed = sources.filter((t) => book.read('tracks[].bus', t.bus ?? undefined) !== undefined);
  const hasBusTracks = buses.length > 0;

  if (n > AUX_NEEDED_ABOVE_TRACKS && !hasBusTracks && routed.length === 0) {
    book.add(
      'no_aux_bus',
      'warning',
      15,
      `${n} tracks and no aux, group or return bus: every track goes straight to the master.`,
      { tracks: n, buses: 0, threshold_tracks: AUX_NEEDED_ABOVE_TRACKS },
      'Group drums, music and vocals onto three buses (one fader and one compressor each) and put reverb and delay on returns fed by sends.',
      [
        { action: 'create', parameter: 'bus', value: 'Drums', reason: `${n} tracks without a bus` },
        {
          action: 'create',
          parameter: 'return',
          value: 'Reverb',
          reason: 'one shared reverb instead of one per track',
        },
      ],
    );
  }
  const vcas = tracks.filter((t) => t.type === 'vca').length;
  if (n > VCA_USEFUL_ABOVE_TRACKS && vcas === 0) {
    book.add(
      'no_vca',
      'info',
      5,
      `${n} tracks and no VCA: riding a whole section means moving many faders (or a bus that also changes what hits its compressor).`,
      { tracks: n, vcas: 0, threshold_tracks: VCA_USEFUL_ABOVE_TRACKS },
      'Add VCA faders for the big groups (drums, music, vocals) so level rides happen before the bus processing.',
      [{ action: 'create', parameter: 'vca', value: 'Drums VCA', reason: `${n} tracks without a VCA` }],
    );
  }
  const unnamed = tracks.filter(isUnnamed);
  if (n >= 3 && unnamed.length / n > UNNAMED_SHARE) {
    book.add(
      'unnamed_tracks',
      'warning',
      10,
      `${unnamed.length} of ${n} tracks (${fmt((100 * unnamed.length) / n, 0)} %) have no real name (${unnamed
        .slice(0, 3)
        .map((t) => `"${t.name}"`)
        .join(', ')}): over ${fmt(100 * UNNAMED_SHARE, 0)} %.`,
      {
        unnamed: unnamed.length,
        tracks: n,
        share: Math.round((unnamed.length / n) * 100) / 100,
        threshold_share: UNNAMED_SHARE,
      },
      'Name every track for what it holds (Kick In, Bass DI, Lead Vox) before routing: sends, buses and stems are read by name.',
      [
        {
          action: 'rename',
          parameter: 'tracks.name',
          value: `${unnamed.length} tracks`,
          reason: `${unnamed.length} default names`,
        },
      ],
    );
  }
  if (hasBusTracks) {
    const busNames = new Set(buses.map((b) => b.name.trim().toLowerCase()));
    const dangling = sources.filter(
      (t) => t.bus && !busNames.has(t.bus.trim().toLowerCase()) && t.bus.trim().toLowerCase() !== 'master',
    );
    if (dangling.length > 0) {
      book.add(
        'unknown_bus',
        'warning',
        6,
        `${dangling.length} track${dangling.length > 1 ? 's feed' : ' feeds'} a bus that is not in the session (${[...new Set(dangling.map((t) => t.bus))].slice(0, 3).join(', ')}).`,
        { tracks: dangling.length },
        'Check the outputs of those tracks: they may be silent or going to a deleted bus.',
      );
    }
    const feeds = new Map<string, number>();
    for (const t of sources)
      if (t.bus) feeds.set(t.bus.trim().toLowerCase(), (feeds.get(t.bus.trim().toLowerCase()) ?? 0) + 1);
    const empty = buses.filter(
      (b) => b.type !== 'return' && b.type !== 'aux' && (feeds.get(b.name.trim().toLowerCase()) ?? 0) === 0,
    );
    if (empty.length > 0 && routed.length > 0) {
      book.add(
        'empty_bus',
        'info',
        2,
        `${empty.length} bus${empty.length > 1 ? 'es have' : ' has'} no track routed to it (${empty
          .slice(0, 3)
          .map((b) => `"${b.name}"`)
          .join(', ')}).`,
        { buses: empty.length },
        'Delete empty buses or route their tracks to them.',
      );
    }
  }
  if (book.findings.length === 0) {
    book.good('routing_ok', `${n} tracks, ${buses.length} buses, ${vcas} VCAs, names in order.`, {
      tracks: n,
      buses: buses.length,
      vcas,
      routed: routed.length,
    });
  }
  return book.result('Routing is organised: buses, names and outputs in order.');
}
