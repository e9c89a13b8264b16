import { SuggestRequest, SuggestResponse } from '../../../shared/schemas/chat';
import { defineRoute } from '../../http/route';
import { suggest } from '../../engine/suggest';

export default defineRoute({
  method: 'POST',
  path: '/codette/suggest',
  summary:
    'Concrete suggestions for a context {track_type?, genre?, stage?, metrics?}, ranked, each with the reason it applies',
  tag: 'chat',
  body: SuggestRequest,
  response: SuggestResponse,
  errors: [400, 413, 415],
  handler: async ({ services, body }) => {
    const key = `suggest:${JSON.stringify(body)}`;
    const { value } = await services.cache.wrap(key, () => suggest(services.store, body));
    return { suggestions: value };
  },
});
