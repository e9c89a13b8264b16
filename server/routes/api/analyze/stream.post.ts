import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { analyzeAndAnnounce } from '../../../analysis/stream';

export default implement(api['analyze.stream'], ({ services, body }) => analyzeAndAnnounce(services, body));
