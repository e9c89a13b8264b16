import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { analyzeCreative } from '../../../analysis/rules/creative';

export default implement(api['analyze.creative'], ({ body }) => analyzeCreative(body));
