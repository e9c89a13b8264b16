import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { analyzeMixing } from '../../../analysis/rules/mixing';

export default implement(api['analyze.mixing'], ({ body }) => analyzeMixing(body));
