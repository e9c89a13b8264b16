import { LlmStatus } from '../../../shared/schemas/llm';
import { defineRoute } from '../../http/route';

export default defineRoute({
  method: 'GET',
  path: '/codette/llm',
  summary:
    'Local model servers found now on loopback (Ollama 11434, LM Studio 1234, llama.cpp 8080), their models, and which one answers',
  tag: 'chat',
  response: LlmStatus,
  handler: async ({ services }) => {
    await services.llm.detect(false);
    return services.llm.status();
  },
});
