import { api } from '../../../../shared/api/index';
import { ChecklistStage } from '../../../../shared/schemas/analysis';
import { implement } from '../../../http/route';
import { checklistData } from '../../../analysis/reference';

export default implement(api['analysis.productionChecklist'], ({ query }) => {
  const all = checklistData();
  return {
    stages: ChecklistStage.options,
    checklists: query.stage ? all.filter((c) => c.stage === query.stage) : all,
  };
});
