import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { analyzeAudioRequest } from '../../../analysis/audio';

export default implement(api['analyze.audio'], ({ event, services, query }) =>
  analyzeAudioRequest(event, services, query),
);
