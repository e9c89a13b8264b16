import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { handleTransportRequest } from '../codette/transport.post';

export default implement(api['transport.action'], handleTransportRequest);
