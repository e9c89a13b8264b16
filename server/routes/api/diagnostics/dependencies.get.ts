import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { readDependencies } from '../../../diagnostics/dependencies';

export default implement(api['diagnostics.dependencies'], ({ services }) => readDependencies(services));
