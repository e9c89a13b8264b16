import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../paths';

const KnowledgeGenre = z.object({
  id: z.string(),
  topic: z.string(),
  parameters: z
    .object({ tempo_bpm_range: z.tuple([z.number(), z.number()]).optional(), typical_bpm: z.number().optional() })
    .loose(),
});

const Range = z.tuple([z.number(), z.number()]);
/** server/analysis/data/genre-profiles.json: the spectral and dynamics side of each genre, written for genre detection. */
const GenreProfileFile = z.object({
  profiles: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** Only when the knowledge entry has none (or is absent). */
      tempo_bpm: Range.optional(),
      spectral_centroid_hz: Range,
      low_end_ratio: Range,
      crest_factor_db: Range,
      range_lu: Range,
      integrated_lufs: Range,
      tilt_db_per_octave: Range,
      stereo_width: Range.optional(),
    }),
  ),
});

export interface GenreProfile {
  id: string;
  name: string;
  tempo_bpm: [number, number];
  typical_bpm?: number;
  spectral_centroid_hz: [number, number];
  low_end_ratio: [number, number];
  crest_factor_db: [number, number];
  range_lu: [number, number];
  integrated_lufs: [number, number];
  tilt_db_per_octave: [number, number];
  stereo_width?: [number, number];
}

let cached: GenreProfile[] | undefined;

/**
 * Genre profiles: tempo ranges from Codette's knowledge (server/engine/knowledge/data/genres.json, read-only), the
 * rest from the analysis profile file. A profile whose genre has no tempo anywhere is refused at load.
 */
export function genreProfiles(): GenreProfile[] {
  if (cached) return cached;
  const knowledge = z
    .array(KnowledgeGenre)
    .parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'server/engine/knowledge/data/genres.json'), 'utf8')));
  const byId = new Map(knowledge.map((g) => [g.id, g]));
  const file = GenreProfileFile.parse(
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'server/analysis/data/genre-profiles.json'), 'utf8')),
  );
  cached = file.profiles.map((p) => {
    const k = byId.get(p.id);
    const tempo = k?.parameters.tempo_bpm_range ?? p.tempo_bpm;
    if (!tempo) throw new Error(`genre profile ${p.id}: no tempo range in genres.json nor in genre-profiles.json`);
    return { ...p, tempo_bpm: tempo, ...(k?.parameters.typical_bpm ? { typical_bpm: k.parameters.typical_bpm } : {}) };
  });
  return cached;
}

/** The profile a free-text genre name ("dnb", "Drum & Bass", "house") refers to, if any. */
export function findGenre(name: string): GenreProfile | undefined {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/&/g, 'and')
      .replace(/[^a-z0-9]+/g, '');
  const n = norm(name);
  const alias: Record<string, string> = {
    dnb: 'genre.drum-and-bass',
    drumnbass: 'genre.drum-and-bass',
    hiphop: 'genre.hip-hop-boom-bap',
    boombap: 'genre.hip-hop-boom-bap',
    lofi: 'genre.lo-fi-hip-hop',
    edm: 'genre.big-room',
    rnb: 'genre.rnb',
    randb: 'genre.rnb',
    ukg: 'genre.uk-garage',
    garage: 'genre.uk-garage',
    drill: 'genre.uk-drill',
  };
  const profiles = genreProfiles();
  return (
    profiles.find((p) => p.id === alias[n]) ??
    profiles.find((p) => norm(p.name) === n || norm(p.id.replace('genre.', '')) === n)
  );
}
