import { sessionAnalyzerRoute } from '../../../analysis/session-route';
import { analyzeRouting } from '../../../analysis/rules/routing';

export default sessionAnalyzerRoute(
  'routing',
  'Routing: aux buses past 10 tracks, VCAs, unnamed tracks, outputs to missing buses',
  analyzeRouting,
);
