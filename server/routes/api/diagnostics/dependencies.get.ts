import { Dependencies } from '../../../../shared/schemas/diagnostics';
import { defineRoute } from '../../../http/route';
import { readDependencies } from '../../../diagnostics/dependencies';

export default defineRoute({
  method: 'GET',
  path: '/api/diagnostics/dependencies',
  summary: 'Runtime, installed packages and configured services',
  tag: 'diagnostics',
  response: Dependencies,
  handler: ({ services }) => readDependencies(services),
});
