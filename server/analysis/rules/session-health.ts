import type { AnalysisResult, Session } from '../../../shared/schemas/analysis';
import { RuleBook, fmt } from '../result';
import { activePlugins, label } from '../tracks';

export const CPU_WARNING_PERCENT = 60;
export const CPU_CRITICAL_PERCENT = 80;
export const MAX_PLUGINS_PER_TRACK = 5;
export const MAX_TRACKS = 50;

/** Session health: will it play without dropouts, and can you find your way around it. */
export function analyzeSession(session: Session): AnalysisResult {
  const book = new RuleBook('session');
  const cpu = book.read('cpu_percent', session.cpu_percent);
  if (cpu !== undefined && cpu > CPU_CRITICAL_PERCENT) {
    book.add(
      'cpu_critical',
      'critical',
      25,
      `CPU is at ${fmt(cpu, 0)} %, over ${CPU_CRITICAL_PERCENT} %: expect clicks and dropouts.`,
      { cpu_percent: cpu, threshold_percent: CPU_CRITICAL_PERCENT },
      'Freeze or bounce the heaviest instrument tracks, raise the buffer size to 512 or 1024 samples while mixing, and disable unused plugins.',
      [{ action: 'increase', parameter: 'audio.buffer_size_samples', value: 1024, reason: `CPU ${fmt(cpu, 0)} %` }],
    );
  } else if (cpu !== undefined && cpu > CPU_WARNING_PERCENT) {
    book.add(
      'cpu_high',
      'warning',
      10,
      `CPU is at ${fmt(cpu, 0)} %, over ${CPU_WARNING_PERCENT} %: little room left for more tracks or plugins.`,
      { cpu_percent: cpu, threshold_percent: CPU_WARNING_PERCENT },
      'Freeze finished instrument tracks and move shared reverbs to one return instead of one per track.',
      [{ action: 'freeze', parameter: 'instrument_tracks', value: 'finished parts', reason: `CPU ${fmt(cpu, 0)} %` }],
    );
  }
  const heavy = session.tracks
    .map((t, i) => ({ t, i, n: activePlugins(t).length }))
    .filter((x) => x.n > MAX_PLUGINS_PER_TRACK);
  for (const { t, i, n } of heavy.slice(0, 5)) {
    book.add(
      'plugin_heavy_track',
      'warning',
      3,
      `${label(t, i)} runs ${n} plugins (more than ${MAX_PLUGINS_PER_TRACK}).`,
      { track: t.name, plugins: n, threshold: MAX_PLUGINS_PER_TRACK },
      `Bypass each plugin on ${label(t, i)} in turn and remove those you cannot hear; print the rest if the chain is final.`,
      [
        {
          action: 'consolidate',
          parameter: `${t.name || `track ${i + 1}`}.plugins`,
          value: MAX_PLUGINS_PER_TRACK,
          reason: `${n} plugins on one track`,
        },
      ],
    );
  }
  const count = book.read('tracks', session.tracks.length) ?? 0;
  if (count > MAX_TRACKS) {
    book.add(
      'too_many_tracks',
      'warning',
      10,
      `${count} tracks (more than ${MAX_TRACKS}): hard to navigate and heavy to play back.`,
      { tracks: count, threshold: MAX_TRACKS },
      'Bounce stacked layers to stems, delete unused takes and fold related tracks into folders.',
      [{ action: 'consolidate', parameter: 'tracks', value: MAX_TRACKS, reason: `${count} tracks` }],
    );
  }
  if (count >= 4) {
    const colours = session.tracks.map((t) => (t.colour ?? '').trim().toLowerCase()).filter(Boolean);
    const distinct = new Set(colours).size;
    if (distinct <= 1) {
      book.add(
        'no_colour_coding',
        'warning',
        5,
        `${count} tracks and ${distinct === 0 ? 'no colours set' : 'one colour for all'}: finding a part means reading every name.`,
        { tracks: count, distinct_colours: distinct },
        'Colour by family: drums one colour, bass another, vocals, keys, FX; buses in a darker shade of their group.',
        [
          {
            action: 'set',
            parameter: 'tracks.colour',
            value: 'one colour per instrument family',
            reason: `${distinct} distinct colours over ${count} tracks`,
          },
        ],
      );
    }
  }
  const soloed = session.tracks.filter((t) => t.solo);
  if (soloed.length > 0) {
    book.add(
      'solo_left_on',
      'warning',
      5,
      `${soloed.length} track${soloed.length > 1 ? 's are' : ' is'} soloed (${soloed
        .map((t) => t.name || 'unnamed')
        .slice(0, 3)
        .join(', ')}): a bounce now leaves the rest out.`,
      { soloed: soloed.length },
      'Clear every solo before you judge the balance or bounce.',
      [{ action: 'unsolo', parameter: 'tracks.solo', value: 'all', reason: `${soloed.length} soloed` }],
    );
  }
  const muted = session.tracks.filter((t) => t.mute).length;
  if (count >= 8 && muted / count > 0.25) {
    book.add(
      'many_muted',
      'info',
      2,
      `${muted} of ${count} tracks are muted (${fmt((100 * muted) / count, 0)} %): dead weight in the session.`,
      { muted, tracks: count },
      'Decide on the muted parts: delete them, or move them to a hidden "unused" folder so they cost no CPU.',
    );
  }
  if (book.findings.length === 0) {
    book.good(
      'healthy',
      `${count} tracks, CPU ${cpu === undefined ? 'not reported' : `${fmt(cpu, 0)} %`}, plugin counts and colours in order.`,
      { tracks: count, cpu_percent: cpu ?? null },
    );
  }
  return book.result('The session is in good health.');
}
