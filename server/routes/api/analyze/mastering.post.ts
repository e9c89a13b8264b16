import { sessionAnalyzerRoute } from '../../../analysis/session-route';
import { analyzeMastering } from '../../../analysis/rules/mastering';

export default sessionAnalyzerRoute(
  'mastering',
  'Master against a loudness target: integrated loudness, true-peak ceiling, dynamics, loudness range, tonal tilt, low end, correlation',
  analyzeMastering,
);
