import { z } from 'zod';
import { ImportBody, ImportResult } from '../../../shared/schemas/backup';
import { readJson, validate } from '../../http/body';
import { ApiError } from '../../http/errors';
import { defineRoute, type Route } from '../../http/route';
import { resolveUserId } from '../../users';

/** An export nests a few levels (metadata, sources, actions); far deeper is no export, and would exhaust the validator's stack. */
const MAX_DEPTH = 64;

/** The path of the first value nested deeper than `limit`, or null; iterative, so any depth is safe to measure. */
export function tooDeep(value: unknown, limit: number): string | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return path || '(root)';
    for (const [k, child] of Object.entries(v))
      stack.push({ v: child, path: path ? `${path}.${k}` : k, depth: depth + 1 });
  }
  return null;
}

const route = defineRoute({
  method: 'POST',
  path: '/codette/import',
  summary:
    'Restore an export (GET /codette/export) into your data: ids kept, rows already there skipped, all or nothing',
  description:
    'The body is the export file as downloaded. It is checked whole before anything is written: a file cut short, a field ' +
    'out of shape, or a row pointing at a row the file does not hold is refused with 400 naming the field, and nothing ' +
    'is stored. Importing the same file again adds nothing (every row is reported as skipped).',
  tag: 'history',
  response: ImportResult,
  errors: [400, 401, 413, 415],
  // An export can pass the JSON body limit: it is read here within the upload limit instead.
  handler: async ({ event, services }) => {
    const raw = await readJson(event, z.record(z.string(), z.unknown()), services.settings.uploadLimitBytes);
    const deep = tooDeep(raw, MAX_DEPTH);
    if (deep) {
      throw new ApiError(
        400,
        'invalid_request',
        `Invalid body: ${deep} is nested more than ${MAX_DEPTH} levels deep; this is not a Codette export.`,
        [{ field: deep, message: `nested more than ${MAX_DEPTH} levels` }],
      );
    }
    const data = validate(ImportBody, raw, 'body');
    return services.store.importUserData(await resolveUserId(event, services), data);
  },
});

/** The body is read by the handler (larger limit); the schema is declared for the API reference. */
export default { ...route, body: ImportBody } satisfies Route;
