import type { GenreCandidate, GenreDetection, GenreFeatures } from '../../shared/schemas/analysis';
import { genreProfiles, type GenreProfile } from './genre-data';

/**
 * The scoring table: each feature, its weight, and how fast its fit falls outside the genre's range (the distance at
 * which fit = e^-1). Centroid is compared in octaves, the rest linearly.
 */
export const FEATURE_TABLE = [
  { feature: 'tempo_bpm', weight: 3, scale: 6, log: false },
  { feature: 'spectral_centroid_hz', weight: 1.5, scale: 0.5, log: true },
  { feature: 'low_end_ratio', weight: 1.5, scale: 0.08, log: false },
  { feature: 'crest_factor_db', weight: 1, scale: 1.5, log: false },
  { feature: 'range_lu', weight: 0.75, scale: 2, log: false },
  { feature: 'integrated_lufs', weight: 1, scale: 2, log: false },
  { feature: 'tilt_db_per_octave', weight: 1, scale: 0.8, log: false },
  { feature: 'stereo_width', weight: 0.5, scale: 0.15, log: false },
] as const satisfies readonly {
  feature: keyof GenreFeatures & keyof GenreProfile;
  weight: number;
  scale: number;
  log: boolean;
}[];

/** A tempo read at half or double time fits less than the tempo as given. */
const OCTAVE_TEMPO_FACTOR = 0.75;
/** Sharpness of the candidates' probabilities: score^k normalised. */
const SHARPNESS = 12;
/** Inside its range a feature fits 1 at the centre and EDGE_FIT at the edges: the more typical value wins a tie. */
const EDGE_FIT = 0.9;
/** Score margin between the first two candidates at which the margin part of the confidence is 63 % of its span. */
const MARGIN_SCALE = 0.08;
/** A range wider than this many scales says little (jazz: 60-300 bpm): its fit counts for scales x 4 / width of it. */
const SPECIFIC_WIDTH_SCALES = 4;

const TOTAL_WEIGHT = FEATURE_TABLE.reduce((s, f) => s + f.weight, 0);

/**
 * Inside [lo, hi]: from 1 at the centre down to 0.9 at the edges. Outside: 0.9 exp(-(d/scale)^2), with d the distance
 * to the nearer edge.
 */
export function rangeFit(value: number, [lo, hi]: readonly [number, number], scale: number, log = false): number {
  const v = log ? Math.log2(value) : value;
  const a = log ? Math.log2(lo) : lo;
  const b = log ? Math.log2(hi) : hi;
  if (v >= a && v <= b) {
    const half = (b - a) / 2;
    const centrality = half > 0 ? 1 - Math.abs(v - (a + b) / 2) / half : 1;
    return EDGE_FIT + (1 - EDGE_FIT) * centrality;
  }
  const d = v < a ? a - v : v - b;
  return EDGE_FIT * Math.exp(-((d / scale) ** 2));
}

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

function scoreGenre(profile: GenreProfile, features: GenreFeatures): GenreCandidate {
  const rows: GenreCandidate['features'] = [];
  let sum = 0;
  let weights = 0;
  let tempoReadAs: number | null = null;
  for (const row of FEATURE_TABLE) {
    const value = features[row.feature];
    const expected = profile[row.feature];
    if (value === undefined || expected === undefined) continue;
    let fit: number;
    if (row.feature === 'tempo_bpm') {
      const readings = [
        { bpm: value, fit: rangeFit(value, expected, row.scale) },
        { bpm: value * 2, fit: OCTAVE_TEMPO_FACTOR * rangeFit(value * 2, expected, row.scale) },
        { bpm: value / 2, fit: OCTAVE_TEMPO_FACTOR * rangeFit(value / 2, expected, row.scale) },
      ].sort((x, y) => y.fit - x.fit);
      fit = readings[0]!.fit;
      if (readings[0]!.bpm !== value) tempoReadAs = round(readings[0]!.bpm, 1);
    } else {
      fit = rangeFit(value, expected, row.scale, row.log);
    }
    const width = row.log ? Math.log2(expected[1] / expected[0]) : expected[1] - expected[0];
    const specificity = Math.min(1, (SPECIFIC_WIDTH_SCALES * row.scale) / Math.max(width, 1e-9));
    rows.push({
      feature: row.feature,
      value,
      expected: [expected[0], expected[1]],
      fit: round(fit),
      weight: round(row.weight * specificity),
    });
    sum += row.weight * specificity * fit;
    weights += row.weight;
  }
  return {
    genre: profile.name,
    id: profile.id,
    score: weights > 0 ? round(sum / weights) : 0,
    probability: 0,
    tempo_read_as: tempoReadAs,
    features: rows,
  };
}

/**
 * Genre from measured features: every genre profile is scored by the weighted mean fit of the features given
 * (FEATURE_TABLE; a range wider than 4 scales counts less, by 4 scales / its width, as it says little), candidates are ranked by score, their probabilities are score^12 normalised. The confidence is
 * the top score (how well the features fit at all) x the square root of the share of the table's weight the input
 * covered x a margin part, 0.3 + 0.7 (1 - exp(-margin / 0.08)), with the margin the top score minus the second.
 */
export function detectGenre(features: GenreFeatures, limit = 5): Omit<GenreDetection, 'file_id'> {
  const given = FEATURE_TABLE.filter((f) => features[f.feature] !== undefined);
  const missing = FEATURE_TABLE.filter((f) => features[f.feature] === undefined).map((f) => f.feature);
  const coverage = given.reduce((s, f) => s + f.weight, 0) / TOTAL_WEIGHT;
  const scored = genreProfiles()
    .map((p) => scoreGenre(p, features))
    .sort((a, b) => b.score - a.score || a.genre.localeCompare(b.genre));
  const powered = scored.map((c) => c.score ** SHARPNESS);
  const total = powered.reduce((a, b) => a + b, 0);
  scored.forEach((c, i) => (c.probability = total > 0 ? round(powered[i]! / total) : 0));
  const top = scored[0]!;
  const margin = top.score - (scored[1]?.score ?? 0);
  const confidence =
    given.length === 0
      ? 0
      : round(Math.min(1, top.score * Math.sqrt(coverage) * (0.3 + 0.7 * (1 - Math.exp(-margin / MARGIN_SCALE)))));
  return {
    genre: given.length === 0 ? 'unknown' : top.genre,
    confidence,
    candidates: scored.slice(0, limit),
    features,
    features_missing: missing,
    method: `weighted range fit over ${genreProfiles().length} genre profiles (tempo from the knowledge base, half/double time allowed at x${OCTAVE_TEMPO_FACTOR}); features: ${FEATURE_TABLE.map((f) => `${f.feature} x${f.weight}`).join(', ')}`,
  };
}
