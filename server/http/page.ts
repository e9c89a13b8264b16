import { decodePageCursor, encodePageCursor, type PageCursor, type PageQuery } from '../../shared/schemas/persistence';
import type { PageOptions } from '../store/types';
import { ApiError } from './errors';

/**
 * Serves one page of a list: asks the store for one row more than the page holds, so that `next_before` is null
 * exactly when nothing older is left.
 */
export async function listPage<T>(
  query: PageQuery,
  fetch: (page: PageOptions) => Promise<T[]>,
  positionOf: (item: T) => PageCursor,
): Promise<{ items: T[]; next_before: string | null }> {
  let before: PageCursor | undefined;
  if (query.before !== undefined) {
    const decoded = decodePageCursor(query.before);
    if (!decoded) {
      throw new ApiError(
        400,
        'invalid_request',
        'Invalid query: before: not a cursor; pass the next_before value of the previous page.',
        [{ field: 'before', message: 'not a cursor' }],
      );
    }
    before = decoded;
  }
  const rows = await fetch({ limit: query.limit + 1, ...(before ? { before } : {}) });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items, next_before: rows.length > query.limit && last ? encodePageCursor(positionOf(last)) : null };
}
