import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { ApiError } from '../../../http/errors';
import { findInstrument, instrumentData } from '../../../analysis/reference';

export default implement(api['analysis.instrumentInfo'], ({ query }) => {
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
});
