import { ErrorBody } from '../../schemas/errors';
import { Health } from '../../schemas/service';
import { addressSpaceInit, LOCAL_NETWORK_DENIED_MESSAGE, localNetworkDenied } from '../local-network';
import type { Problem, ProblemCode, ServerConfig } from './types';

export interface ProbeResult {
  health?: Health;
  problem?: Problem;
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Asks GET /health how the server is, and when it cannot answer, why: the cause the user can act on. */
export async function probeHealth(config: () => Promise<ServerConfig>, fetch: Fetch): Promise<ProbeResult> {
  let server: ServerConfig;
  try {
    server = await config();
    new URL(server.serverUrl);
  } catch {
    return { problem: { code: 'bad_url' } };
  }
  const url = server.serverUrl.replace(/\/+$/, '') + '/health';
  let res: Response;
  try {
    const headers: Record<string, string> = server.token ? { authorization: `Bearer ${server.token}` } : {};
    res = await fetch(url, { headers, cache: 'no-store', ...addressSpaceInit(url) });
  } catch {
    if (await localNetworkDenied(url))
      return { problem: { code: 'local_network_denied', message: LOCAL_NETWORK_DENIED_MESSAGE } };
    return { problem: { code: 'server_down' } };
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = ErrorBody.safeParse(body);
    return {
      problem: {
        code: problemCode(res.status, err.success ? err.data.error.code : undefined),
        message: err.success ? err.data.error.message : `HTTP ${res.status}`,
      },
    };
  }
  const health = Health.safeParse(body);
  return health.success
    ? { health: health.data }
    : { problem: { code: 'health_failed', message: 'unexpected /health answer' } };
}

function problemCode(status: number, code: string | undefined): ProblemCode {
  if (status === 401) return 'unauthorized';
  if (code === 'forbidden_host') return 'forbidden_host';
  if (status === 403) return 'forbidden_origin';
  return 'health_failed';
}
