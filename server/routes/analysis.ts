import type { Route } from '../http/route';
import analyzeAudio from './api/analyze/audio.post';
import analyzeSession from './api/analyze/session.post';
import analyzeMixing from './api/analyze/mixing.post';
import analyzeRouting from './api/analyze/routing.post';
import analyzeMastering from './api/analyze/mastering.post';
import analyzeCreative from './api/analyze/creative.post';
import analyzeGainStaging from './api/analyze/gain-staging.post';
import analyzeStream from './api/analyze/stream.post';
import delaySync from './api/analysis/delay-sync.get';
import earTraining from './api/analysis/ear-training.get';
import productionChecklist from './api/analysis/production-checklist.get';
import instrumentInfo from './api/analysis/instrument-info.get';
import detectGenre from './api/analysis/detect-genre.post';

/** The music analysis routes (/api/analyze/*, /api/analysis/*), mounted with the others by routes/index.ts. */
export const analysisRoutes: readonly Route[] = [
  analyzeAudio,
  analyzeSession,
  analyzeMixing,
  analyzeRouting,
  analyzeMastering,
  analyzeCreative,
  analyzeGainStaging,
  analyzeStream,
  delaySync,
  earTraining,
  productionChecklist,
  instrumentInfo,
  detectGenre,
];
