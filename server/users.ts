import type { H3Event } from 'h3';
import { ApiError } from './http/errors';
import type { AccessTokenVerifier } from './store/auth';

/** The one user of the embedded database: every row on this machine belongs to them. */
export const LOCAL_USER_ID = 'local';

/** Where a client puts the user's Supabase access token (Authorization is CODETTE_TOKEN's). */
export const ACCESS_TOKEN_HEADER = 'x-supabase-access-token';

/** Who owns the rows a request reads and writes, from the access token it carries (or none). */
export interface UserResolver {
  resolve(token: string | null): Promise<string>;
}

/** The embedded database: one local user, whatever the request carries. */
export const localUser: UserResolver = { resolve: async () => LOCAL_USER_ID };

/** Supabase: the user whose access token the request carries (verified), so that every row is scoped to them. */
export function tokenUsers(verify: AccessTokenVerifier): UserResolver {
  return {
    async resolve(token) {
      if (!token) {
        throw new ApiError(
          401,
          'sign_in_required',
          `This Codette server stores data in Supabase: sign in (the extension's options) so that requests carry ${ACCESS_TOKEN_HEADER}.`,
        );
      }
      return (await verify(token)).userId;
    },
  };
}

/** Who is asking: the request's token (a header, or given by the socket) through the server's user resolver. */
export function resolveUserId(
  event: H3Event | { token: string | null },
  services: { users: UserResolver },
): Promise<string> {
  const token = 'token' in event ? event.token : event.req.headers.get(ACCESS_TOKEN_HEADER);
  return services.users.resolve(token);
}
