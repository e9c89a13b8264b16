import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { ApiError } from '../../../http/errors';
import { earTrainingData } from '../../../analysis/reference';

export default implement(api['analysis.earTraining'], ({ query }) => {
  const all = earTrainingData();
  const categories = [...new Set(all.map((e) => e.category))].sort();
  if (query.category !== undefined && !categories.includes(query.category.toLowerCase())) {
    throw new ApiError(
      400,
      'invalid_request',
      `Invalid query: category: unknown category "${query.category}"; one of ${categories.join(', ')}.`,
      [{ field: 'category', message: `one of ${categories.join(', ')}` }],
    );
  }
  const exercises = all.filter(
    (e) =>
      (!query.category || e.category === query.category.toLowerCase()) && (!query.level || e.level === query.level),
  );
  const pool = exercises.length > 0 ? exercises : all;
  const day = Math.floor(Date.now() / 86_400_000);
  return { categories, exercises, daily: pool[day % pool.length]! };
});
