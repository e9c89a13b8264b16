import { ImportBody, ImportResult } from '../../../shared/schemas/backup';
import { readJson } from '../../http/body';
import { defineRoute, type Route } from '../../http/route';
import { resolveUserId } from '../../users';

const route = defineRoute({
  method: 'POST',
  path: '/codette/import',
  summary: 'Restore an export (GET /codette/export) into your data: ids kept, rows already there skipped, all or nothing',
  description:
    'The body is the export file as downloaded. It is checked whole before anything is written: a file cut short, a field ' +
    'out of shape, or a row pointing at a row the file does not hold is refused with 400 naming the field, and nothing ' +
    'is stored. Importing the same file again adds nothing (every row is reported as skipped).',
  tag: 'history',
  response: ImportResult,
  errors: [400, 401, 413, 415],
  // An export can pass the JSON body limit: it is read here within the upload limit instead.
  handler: async ({ event, services }) => {
    const data = await readJson(event, ImportBody, services.settings.uploadLimitBytes);
    return services.store.importUserData(await resolveUserId(event, services), data);
  },
});

/** The body is read by the handler (larger limit); the schema is declared for the API reference. */
export default { ...route, body: ImportBody } satisfies Route;
