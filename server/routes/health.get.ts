import { api } from '../../shared/api/index';
import { implement } from '../http/route';
import { checkHealth } from '../services';

export default implement(api['service.health'], ({ services }) => checkHealth(services));
