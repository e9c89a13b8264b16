import { DelaySync, DelaySyncQuery } from '../../../../shared/schemas/analysis';
import { defineRoute } from '../../../http/route';
import { delaySync } from '../../../analysis/delay-sync';

export default defineRoute({
  method: 'GET',
  path: '/api/analysis/delay-sync',
  summary: 'Delay, reverb pre-delay/decay and release times locked to a tempo (?bpm=), straight, dotted and triplet',
  tag: 'analysis',
  query: DelaySyncQuery,
  response: DelaySync,
  errors: [400],
  handler: ({ query }) => delaySync(query.bpm),
});
