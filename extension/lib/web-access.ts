import {
  ACCESS_PATH,
  AccessList,
  OriginAccess,
  type AccessDecision,
  type AccessEvent,
  type PendingAccess,
} from '../../shared/api/access';
import { ErrorBody } from '../../shared/schemas/errors';

/**
 * Web pages asking to use Codette (POST /api/access): the requests the user has to answer, and the calls the
 * extension makes for the user (list, decide, revoke) with the server's address and token from the settings.
 */

export interface ServerAccess {
  serverUrl: string;
  token?: string;
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** The requests waiting, after one socket event: a new one added (once), an ended one removed. */
export function applyAccessEvent(requests: readonly PendingAccess[], event: AccessEvent): PendingAccess[] {
  if (event.type === 'access_request')
    return [...requests.filter((r) => r.origin !== event.request.origin), event.request];
  return requests.filter((r) => r.id !== event.id);
}

/** Drops the requests whose time is up (the server's expiry event may have been missed while disconnected). */
export function stillWaiting(requests: readonly PendingAccess[], now: number): PendingAccess[] {
  return requests.filter((r) => Date.parse(r.expires_at) > now);
}

async function call<T>(
  server: ServerAccess,
  fetcher: Fetch,
  path: string,
  init: RequestInit,
  parse: (raw: unknown) => T,
): Promise<T> {
  const response = await fetcher(`${server.serverUrl.replace(/\/+$/, '')}${path}`, {
    ...init,
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(server.token ? { authorization: `Bearer ${server.token}` } : {}),
    },
  });
  const raw: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = ErrorBody.safeParse(raw);
    throw new Error(error.success ? error.data.error.message : `HTTP ${response.status}`);
  }
  return parse(raw);
}

const originPath = (origin: string) => `${ACCESS_PATH}/${encodeURIComponent(origin)}`;

export function listAccess(server: ServerAccess, fetcher: Fetch = fetch): Promise<AccessList> {
  return call(server, fetcher, ACCESS_PATH, { method: 'GET' }, (raw) => AccessList.parse(raw));
}

export function decideAccess(
  server: ServerAccess,
  origin: string,
  decision: AccessDecision,
  fetcher: Fetch = fetch,
): Promise<OriginAccess> {
  return call(server, fetcher, originPath(origin), { method: 'PUT', body: JSON.stringify({ decision }) }, (raw) =>
    OriginAccess.parse(raw),
  );
}

export function revokeAccess(server: ServerAccess, origin: string, fetcher: Fetch = fetch): Promise<AccessList> {
  return call(server, fetcher, originPath(origin), { method: 'DELETE' }, (raw) => AccessList.parse(raw));
}
