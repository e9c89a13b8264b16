import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { delaySync } from '../../../analysis/delay-sync';

export default implement(api['analysis.delaySync'], ({ query }) => delaySync(query.bpm));
