import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { analyzeRouting } from '../../../analysis/rules/routing';

export default implement(api['analyze.routing'], ({ body }) => analyzeRouting(body));
