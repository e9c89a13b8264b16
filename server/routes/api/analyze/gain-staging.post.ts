import { sessionAnalyzerRoute } from '../../../analysis/session-route';
import { analyzeGainStaging } from '../../../analysis/rules/gain-staging';

export default sessionAnalyzerRoute(
  'gain-staging',
  'Gain staging: clipping and headroom per track, tracks too low, level spread, master clipping',
  analyzeGainStaging,
);
