import { LlmChoiceRequest, LlmStatus } from '../../../shared/schemas/llm';
import { defineRoute } from '../../http/route';

export default defineRoute({
  method: 'POST',
  path: '/codette/llm',
  summary: 'Choose the local model that answers ({url, model, api}), or {engine: "local"} for the built-in engine',
  tag: 'chat',
  body: LlmChoiceRequest,
  response: LlmStatus,
  errors: [400, 413, 415],
  handler: ({ services, body }) => {
    services.llm.choose(
      'engine' in body ? 'local' : { url: body.url.replace(/\/+$/, ''), model: body.model, api: body.api },
    );
    return services.llm.status();
  },
});
