import type { AnalysisResult, Session } from '../../../shared/schemas/analysis';
import { RuleBook, fmt } from '../result';
import { findGenre } from '../genre-data';
import { LOW_END_ROLES, audibleTracks, isSourceTrack, roleOf } from '../tracks';

export const CROWDED_SOURCES = 24;
export const LAYERS_PER_ROLE = 4;
export const SAME_LEVEL_STDEV_DB = 1.5;
export const MIN_SECTION_CONTRAST_TRACKS = 3;

/**
 * Creative rules: arrangement density, contrast between sections, a stereo picture, foreground and background,
 * a lead and a low end, and the tempo against the genre's usual range.
 */
export function analyzeCreative(session: Session): AnalysisResult {
  const book = new RuleBook('creative');
  const heard = audibleTracks(session.tracks).filter(isSourceTrack);
  book.read('tracks', session.tracks.length > 0 ? session.tracks.length : undefined);
  const roles = new Map<string, number>();
  for (const t of heard) {
    const r = roleOf(t) ?? 'other';
    roles.set(r, (roles.get(r) ?? 0) + 1);
  }

  if (heard.length > CROWDED_SOURCES) {
    book.add(
      'dense_arrangement',
      'warning',
      10,
      `${heard.length} source tracks play at once (more than ${CROWDED_SOURCES}): parts compete for the same space.`,
      { audible_sources: heard.length, threshold: CROWDED_SOURCES },
      'Mute half the layers in the busiest section and bring back only those you miss; give each remaining part its own register.',
      [
        {
          action: 'mute',
          parameter: 'layers',
          value: Math.round(heard.length / 3),
          reason: `${heard.length} simultaneous sources`,
        },
      ],
    );
  }
  for (const [role, count] of roles) {
    if (role !== 'other' && role !== 'drums' && role !== 'hats' && role !== 'vocal' && count > LAYERS_PER_ROLE) {
      book.add(
        'stacked_role',
        'warning',
        6,
        `${count} ${role} tracks play together: layers of the same kind blur into one another.`,
        { role, tracks: count, threshold: LAYERS_PER_ROLE },
        `Keep the two ${role} layers that do different jobs (one body, one top) and bounce or drop the rest; or give each its own octave.`,
      );
    }
  }
  const stereoCandidates = heard.filter((t) => !LOW_END_ROLES.has(roleOf(t) ?? ''));
  if (stereoCandidates.length >= 4 && stereoCandidates.every((t) => Math.abs(t.pan) < 0.05)) {
    book.add(
      'all_centre',
      'warning',
      10,
      `All ${stereoCandidates.length} non-bass tracks are panned centre: the mix is a mono stack with no space between the parts.`,
      { tracks_centred: stereoCandidates.length },
      'Keep kick, bass, snare and lead vocal in the centre; pan doubled guitars, keys, percussion and backing vocals opposite each other (30-70 %).',
      [
        {
          action: 'set',
          parameter: 'supporting_tracks.pan',
          value: '±0.3 to ±0.7, in pairs',
          reason: 'everything panned centre',
        },
      ],
    );
  }
  const levels = heard.map((t) => t.level).filter((v): v is number => v !== undefined);
  if (levels.length >= 4) {
    const mean = levels.reduce((a, b) => a + b, 0) / levels.length;
    const sd = Math.sqrt(levels.reduce((a, b) => a + (b - mean) ** 2, 0) / levels.length);
    if (sd < SAME_LEVEL_STDEV_DB) {
      book.add(
        'same_level',
        'warning',
        10,
        `All ${levels.length} tracks sit within ${fmt(sd)} dB (standard deviation) of ${fmt(mean)} dB: nothing is in front, nothing behind.`,
        {
          tracks: levels.length,
          stdev_db: Math.round(sd * 100) / 100,
          mean_db: Math.round(mean * 10) / 10,
          threshold_db: SAME_LEVEL_STDEV_DB,
        },
        'Pick the one element that carries the song in each section and put it 3-4 dB on top; push pads and textures 6-10 dB back.',
      );
    }
  }
  const sections = session.sections;
  if (sections && sections.length >= 2) {
    book.read('sections', sections);
    const counts = sections.map((s) => s.active_tracks);
    const contrast = Math.max(...counts) - Math.min(...counts);
    const loud = sections.map((s) => s.loudness_lufs).filter((v): v is number => v !== undefined);
    const loudContrast = loud.length >= 2 ? Math.max(...loud) - Math.min(...loud) : undefined;
    if (contrast < MIN_SECTION_CONTRAST_TRACKS && (loudContrast === undefined || loudContrast < 3)) {
      book.add(
        'no_contrast',
        'warning',
        12,
        `The ${sections.length} sections use between ${Math.min(...counts)} and ${Math.max(...counts)} tracks${loudContrast !== undefined ? ` and differ by ${fmt(loudContrast)} LU` : ''}: the song never drops or lifts.`,
        {
          sections: sections.length,
          min_tracks: Math.min(...counts),
          max_tracks: Math.max(...counts),
          loudness_contrast_lu: loudContrast ?? null,
          threshold_tracks: MIN_SECTION_CONTRAST_TRACKS,
        },
        'Strip the verse or breakdown to 3-4 elements (drop the drums or the bass for 4-8 bars) so the chorus or drop lands.',
        [
          {
            action: 'mute',
            parameter: `${sections[0]!.name}.tracks`,
            value: Math.max(1, Math.round(Math.max(...counts) / 2)),
            reason: 'no contrast between sections',
          },
        ],
      );
    }
  } else {
    book.read('sections', undefined);
  }
  if (heard.length >= 4) {
    if (!['vocal', 'lead', 'guitar', 'keys'].some((r) => roles.has(r))) {
      book.add(
        'no_lead',
        'info',
        4,
        `None of the ${heard.length} tracks reads as a lead (vocal, lead synth, guitar, keys).`,
        { audible_sources: heard.length },
        'Make sure one part carries the melody in each section, and name it so.',
      );
    }
    if (![...LOW_END_ROLES].some((r) => roles.has(r))) {
      book.add(
        'no_low_end_part',
        'info',
        4,
        `None of the ${heard.length} tracks reads as kick, bass or sub.`,
        { audible_sources: heard.length },
        'If that is intended (an ambient piece), fine; otherwise give the song a foundation below 120 Hz.',
      );
    }
  }
  const tempo = book.read('tempo_bpm', session.tempo_bpm);
  const genre = session.genre ? findGenre(session.genre) : undefined;
  if (session.genre) book.read('genre', session.genre);
  if (tempo !== undefined && genre) {
    const [lo, hi] = genre.tempo_bpm;
    if (tempo < lo || tempo > hi) {
      book.add(
        'tempo_outside_genre',
        'info',
        3,
        `${fmt(tempo, 0)} bpm is outside ${genre.name}'s usual ${lo}-${hi} bpm.`,
        { tempo_bpm: tempo, genre: genre.name, genre_low_bpm: lo, genre_high_bpm: hi },
        tempo * 2 >= lo && tempo * 2 <= hi
          ? `Fine if it is meant as half time (${fmt(tempo * 2, 0)} bpm feel); otherwise try ${genre.typical_bpm ?? Math.round((lo + hi) / 2)} bpm.`
          : `Try ${genre.typical_bpm ?? Math.round((lo + hi) / 2)} bpm, or own the difference as a deliberate twist.`,
      );
    }
  }
  if (book.findings.length === 0) {
    book.good('arrangement_ok', `${heard.length} parts with a lead, a low end, a stereo picture and level contrast.`, {
      audible_sources: heard.length,
    });
  }
  return book.result('The arrangement has contrast, space and a clear lead.');
}
