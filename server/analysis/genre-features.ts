import type { AnalysisReport } from '../../shared/dsp/index';
import { GenreFeatures } from '../../shared/schemas/analysis';

/** Genre features from a whole-file report; figures the report lacks (or that fall outside the schema) are left out. */
export function genreFeaturesOf(report: AnalysisReport): GenreFeatures {
  const raw: Record<string, number | null | undefined> = {
    tempo_bpm: report.tempo?.bpm,
    spectral_centroid_hz: report.spectrum?.centroid_hz,
    low_end_ratio: report.spectrum?.low_end_ratio,
    crest_factor_db: report.crest.db,
    range_lu: report.duration_s >= 10 ? report.loudness.range_lu : null,
    integrated_lufs: report.loudness.integrated_lufs,
    tilt_db_per_octave: report.spectrum?.tilt_db_per_octave,
    stereo_width: report.stereo?.width,
  };
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === null || v === undefined) continue;
    const field = GenreFeatures.shape[k as keyof typeof GenreFeatures.shape];
    if (field.safeParse(v).success) out[k] = v;
  }
  return GenreFeatures.parse(out);
}
