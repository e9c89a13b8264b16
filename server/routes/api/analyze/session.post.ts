import { sessionAnalyzerRoute } from '../../../analysis/session-route';
import { analyzeSession } from '../../../analysis/rules/session-health';

export default sessionAnalyzerRoute(
  'session',
  'Session health: CPU, plugins per track, track count, colour coding, solos left on',
  analyzeSession,
);
