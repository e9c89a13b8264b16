import {
  accessEndpoints,
  type AccessDecision,
  type AccessEvent,
  type AccessList,
  type OriginAccess,
  type PendingAccess,
} from '../../shared/api/access';
import { callEndpoint } from '../../shared/client/rest/call';
import { unwrap } from '../../shared/client/rest/result';

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

/**
 * Only the access entries of the contract, not the whole `api` record: the extension's build must not carry the
 * server-only routes' texts (extension-build-secrets.test.ts).
 */
const [, listEndpoint, decideEndpoint, revokeEndpoint] = accessEndpoints;

/** The calls go through @codette/client's `callEndpoint`: the contract checks what is sent and what comes back. */
const context = (server: ServerAccess, fetcher: Fetch) => ({
  baseUrl: server.serverUrl,
  ...(server.token ? { token: server.token } : {}),
  // Called as a function: a browser's fetch called as a method of another object throws "Illegal invocation".
  fetch: ((url: string, init?: RequestInit) => fetcher(url, init)) as typeof fetch,
});

export async function listAccess(server: ServerAccess, fetcher: Fetch = fetch): Promise<AccessList> {
  return unwrap(await callEndpoint(context(server, fetcher), listEndpoint, {}));
}

export async function decideAccess(
  server: ServerAccess,
  origin: string,
  decision: AccessDecision,
  fetcher: Fetch = fetch,
): Promise<OriginAccess> {
  return unwrap(
    await callEndpoint(context(server, fetcher), decideEndpoint, { params: { origin }, body: { decision } }),
  );
}

export async function revokeAccess(server: ServerAccess, origin: string, fetcher: Fetch = fetch): Promise<AccessList> {
  return unwrap(await callEndpoint(context(server, fetcher), revokeEndpoint, { params: { origin } }));
}
