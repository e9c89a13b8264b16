import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { analyzeGainStaging } from '../../../analysis/rules/gain-staging';

export default implement(api['analyze.gainStaging'], ({ body }) => analyzeGainStaging(body));
