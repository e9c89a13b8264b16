import { sessionAnalyzerRoute } from '../../../analysis/session-route';
import { analyzeCreative } from '../../../analysis/rules/creative';

export default sessionAnalyzerRoute(
  'creative',
  'Arrangement: density, stacked layers, contrast between sections, stereo picture, foreground/background, lead and low end, tempo for the genre',
  analyzeCreative,
);
