import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { analyzeMastering } from '../../../analysis/rules/mastering';

export default implement(api['analyze.mastering'], ({ body }) => analyzeMastering(body));
