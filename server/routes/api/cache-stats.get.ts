import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';

export default implement(api['cache.stats'], ({ services }) => services.cache.stats());
