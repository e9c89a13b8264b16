import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { analyzeSession } from '../../../analysis/rules/session-health';

export default implement(api['analyze.session'], ({ body }) => analyzeSession(body));
