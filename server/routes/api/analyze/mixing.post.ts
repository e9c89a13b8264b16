import { sessionAnalyzerRoute } from '../../../analysis/session-route';
import { analyzeMixing } from '../../../analysis/rules/mixing';

export default sessionAnalyzerRoute(
  'mixing',
  'Mix balance: level spread, a dominant track, frequency balance extremes, no processing, low end off-centre',
  analyzeMixing,
);
