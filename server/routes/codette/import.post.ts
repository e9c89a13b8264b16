import { z } from 'zod';
import { api } from '../../../shared/api/index';
import { readJson, validate } from '../../http/body';
import { ApiError } from '../../http/errors';
import { implement } from '../../http/route';
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

// The body is read here (within the upload limit, as the contract says) so that its depth is checked before the
// contract's schema walks it.
const endpoint = api['data.import'];

export default implement(
  endpoint,
  async ({ event, services }) => {
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
    const data = validate(endpoint.body.json, raw, 'body');
    return services.store.importUserData(await resolveUserId(event, services), data);
  },
  { readsBody: true },
);
