import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';

export default implement(api['diagnostics.cache'], ({ services }) => services.cache.stats());
