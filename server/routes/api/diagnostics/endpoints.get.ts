import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';

export default implement(api['diagnostics.endpoints'], ({ services }) => {
  const endpoints = services.endpoints.map((e) => ({
    method: e.method,
    path: e.path,
    summary: e.summary,
    tag: e.tag,
  }));
  return { count: endpoints.length, endpoints };
});
