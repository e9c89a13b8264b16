import { ChecklistAnswer, ChecklistStage } from '../../../../shared/schemas/analysis';
import { z } from 'zod';
import { defineRoute } from '../../../http/route';
import { checklistData } from '../../../analysis/reference';

export default defineRoute({
  method: 'GET',
  path: '/api/analysis/production-checklist',
  summary:
    'What to check at each production stage (?stage=writing|arrangement|sound_design|recording|editing|mixing|mastering|release), why, and how to tell it is done',
  tag: 'analysis',
  query: z.object({ stage: ChecklistStage.optional() }),
  response: ChecklistAnswer,
  errors: [400],
  handler: ({ query }) => {
    const all = checklistData();
    return {
      stages: ChecklistStage.options,
      checklists: query.stage ? all.filter((c) => c.stage === query.stage) : all,
    };
  },
});
