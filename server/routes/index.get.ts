import { api } from '../../shared/api/index';
import { WS_PATH } from '../../shared/constants';
import { implement } from '../http/route';

export default implement(api['service.info'], ({ services }) => ({
  service: 'codette' as const,
  version: services.version,
  docs: api['service.docs'].path,
  openapi: api['service.openapi'].path,
  websocket: WS_PATH,
}));
