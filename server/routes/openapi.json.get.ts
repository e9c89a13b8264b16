import { api } from '../../shared/api/index';
import { implement } from '../http/route';
import { buildOpenApi } from '../openapi';

export default implement(api['service.openapi'], ({ services }) => buildOpenApi(services.version));
