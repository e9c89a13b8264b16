import type { H3Event } from 'h3';
import { ApiError } from './http/errors';
import type { Services } from './services';

/** The one user of the embedded database: every row on this machine belongs to them. */
export const LOCAL_USER_ID = 'local';

/** Where a client puts the user's Supabase access token (Authorization is CODETTE_TOKEN's). */
export const ACCESS_TOKEN_HEADER = 'x-supabase-access-token';

/**
 * Who is asking: the local user with the embedded database; with Supabase, the user whose access token the
 * request carries (verified), so that every row is scoped to them.
 */
export async function resolveUserId(
  event: H3Event | { token: string | null },
  services: Pick<Services, 'store' | 'verifyAccessToken'>,
): Promise<string> {
  if (services.store.kind === 'sqlite') return LOCAL_USER_ID;
  const token = 'token' in event ? event.token : event.req.headers.get(ACCESS_TOKEN_HEADER);
  if (!token) {
    throw new ApiError(
      401,
      'sign_in_required',
      `This Codette server stores data in Supabase: sign in (the extension's options) so that requests carry ${ACCESS_TOKEN_HEADER}.`,
    );
  }
  const user = await services.verifyAccessToken(token);
  return user.userId;
}
