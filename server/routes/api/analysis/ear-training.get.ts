import { EarTrainingAnswer, EarTrainingQuery } from '../../../../shared/schemas/analysis';
import { defineRoute } from '../../../http/route';
import { ApiError } from '../../../http/errors';
import { earTrainingData } from '../../../analysis/reference';

export default defineRoute({
  method: 'GET',
  path: '/api/analysis/ear-training',
  summary:
    'Ear-training exercises (frequency, level, dynamics, intervals, harmony, space, tone, mixing), filtered by ?category= and ?level=, with a pick for today',
  tag: 'analysis',
  query: EarTrainingQuery,
  response: EarTrainingAnswer,
  errors: [400],
  handler: ({ query }) => {
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
  },
});
