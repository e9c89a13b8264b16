import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';

export default implement(api['llm.choose'], ({ services, body }) => {
  services.llm.choose(
    'engine' in body ? 'local' : { url: body.url.replace(/\/+$/, ''), model: body.model, api: body.api },
  );
  return services.llm.status();
});
