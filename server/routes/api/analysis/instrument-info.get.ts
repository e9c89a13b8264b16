import { InstrumentInfoAnswer, InstrumentInfoQuery } from '../../../../shared/schemas/analysis';
import { defineRoute } from '../../../http/route';
import { ApiError } from '../../../http/errors';
import { findInstrument, instrumentData } from '../../../analysis/reference';

export default defineRoute({
  method: 'GET',
  path: '/api/analysis/instrument-info',
  summary:
    'An instrument (?instrument=kick, vocal, 808, piano…): range, frequency areas, EQ, compression, recording and common problems; without it, the list',
  tag: 'analysis',
  query: InstrumentInfoQuery,
  response: InstrumentInfoAnswer,
  errors: [400],
  handler: ({ query }) => {
    const all = instrumentData();
    const instruments = all.map((i) => ({ id: i.id, name: i.name, family: i.family }));
    if (query.instrument === undefined) return { instruments };
    const instrument = findInstrument(query.instrument);
    if (!instrument) {
      throw new ApiError(
        400,
        'invalid_request',
        `Invalid query: instrument: unknown instrument "${query.instrument}"; known: ${all.map((i) => i.id).join(', ')}.`,
        [{ field: 'instrument', message: `one of ${all.map((i) => i.id).join(', ')} (or a common alias)` }],
      );
    }
    return { instruments, instrument };
  },
});
