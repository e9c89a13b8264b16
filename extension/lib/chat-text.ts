import type { KnowledgeCategory } from '../../shared/schemas/knowledge';
import { t } from './i18n';

const CATEGORY_KEYS: Record<KnowledgeCategory, string> = {
  eq: 'catEq',
  compression: 'catCompression',
  reverb_delay: 'catReverbDelay',
  gain_staging: 'catGainStaging',
  mastering: 'catMastering',
  stereo_imaging: 'catStereo',
  mix_problems: 'catMixProblems',
  recording: 'catRecording',
  arrangement: 'catArrangement',
  sound_design: 'catSoundDesign',
  music_theory: 'catTheory',
  rhythm_groove: 'catRhythm',
  genres: 'catGenres',
  ear_training: 'catEarTraining',
  workflow: 'catWorkflow',
  web_daw: 'catWebDaw',
};

/** "sound_design" -> "Sound design" (translated). */
export function categoryLabel(category: KnowledgeCategory): string {
  return t(CATEGORY_KEYS[category]);
}
