import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';

export default implement(api['llm.status'], async ({ services }) => {
  await services.llm.detect(false);
  return services.llm.status();
});
