import { timingSafeEqual } from 'node:crypto';
import type { Settings } from '../config';
import { ApiError } from './errors';
import type { ExtensionPairing } from './pairing';
import { ACCESS_PATH } from '../../shared/api/access';

/** What the guard needs to know of the web pages the user let in (server/access/web-access.ts). */
export interface UserAllowedOrigins {
  isAllowed(origin: string): boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'];
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/([a-z0-9-]+)$/;
const WEB_ORIGIN = /^https?:\/\/[^/?#\s]+$/i;

/**
 * The one request a page the user has not allowed may make (and read the answer of): asking for access, with its
 * CORS preflight. `path` may carry a query string.
 */
export function isAccessRequest(method: string, path: string): boolean {
  if (method !== 'POST' && method !== 'OPTIONS') return false;
  const end = path.indexOf('?');
  return (end < 0 ? path : path.slice(0, end)) === ACCESS_PATH;
}

/** The id in an extension's origin (`chrome-extension://<id>`), lower case; undefined for any other origin. */
export function extensionIdOf(origin: string | null): string | undefined {
  return origin === null ? undefined : EXTENSION_ORIGIN.exec(origin.toLowerCase())?.[2];
}

export type OriginVerdict = 'none' | 'allowed' | 'forbidden';

/**
 * The rules that keep web pages out of a loopback server: the Host header must name this server (DNS rebinding),
 * and a browser Origin must be an extension of ours, the server itself, or an origin the user allowed.
 */
export class RequestGuard {
  readonly #hosts: Set<string>;
  readonly #origins: Set<string>;
  readonly #extensionIds: Set<string>;
  readonly #token?: Buffer;

  constructor(
    settings: Pick<Settings, 'allowedHosts' | 'allowedOrigins' | 'extensionIds' | 'token'>,
    /** Used when CODETTE_EXTENSION_IDS is unset: the first extension is paired, the others wait for approval. */
    readonly pairing?: ExtensionPairing,
    /** The pages the user allowed from the extension (POST /api/access), besides CODETTE_ALLOWED_ORIGINS. */
    private readonly userAllowed?: UserAllowedOrigins,
  ) {
    this.#hosts = new Set(settings.allowedHosts);
    this.#origins = new Set(settings.allowedOrigins);
    this.#extensionIds = new Set(settings.extensionIds.map((id) => id.toLowerCase()));
    this.#token = settings.token ? Buffer.from(settings.token) : undefined;
  }

  /**
   * Known once the server listens (the port may be ephemeral). Any loopback name is a Host of this server (a request
   * that reached it), but the only origin it serves pages from is the address it listens on: http://localhost:PORT or
   * http://[::1]:PORT may be another program's pages (nothing of ours listens there).
   */
  listeningOn(host: string, port: number) {
    for (const h of LOOPBACK_HOSTNAMES) this.#hosts.add(`${h}:${port}`);
    this.#origins.add(`http://${host.includes(':') ? `[${host}]` : host}:${port}`.toLowerCase());
  }

  /** A web origin let in without asking the user: CODETTE_ALLOWED_ORIGINS, or the server's own pages. */
  allowsWithoutAsking(origin: string): boolean {
    return this.#origins.has(origin.toLowerCase());
  }

  /** The extension of this origin is one Codette talks to (listed in CODETTE_EXTENSION_IDS, or paired). */
  isTrustedExtension(origin: string | null): boolean {
    const id = extensionIdOf(origin);
    if (!id) return false;
    return this.#extensionIds.size > 0 ? this.#extensionIds.has(id) : (this.pairing?.isPaired(id) ?? false);
  }

  get tokenRequired(): boolean {
    return this.#token !== undefined;
  }

  checkHost(host: string | null): void {
    if (!host || !this.#hosts.has(host.toLowerCase())) {
      throw new ApiError(
        403,
        'forbidden_host',
        `Host "${host ?? ''}" is not this Codette server. Call it as http://127.0.0.1:<port>, or add the name to CODETTE_ALLOWED_HOSTS.`,
      );
    }
  }

  originVerdict(origin: string | null): OriginVerdict {
    if (origin === null) return 'none';
    const o = origin.toLowerCase();
    if (this.#origins.has(o)) return 'allowed';
    const id = extensionIdOf(o);
    if (!id) return this.userAllowed?.isAllowed(o) ? 'allowed' : 'forbidden';
    if (this.#extensionIds.size > 0) return this.#extensionIds.has(id) ? 'allowed' : 'forbidden';
    return !this.pairing || this.pairing.allows(id) ? 'allowed' : 'forbidden';
  }

  /**
   * A page we do not know may read nothing (no CORS headers) and change nothing (403), but for asking the user for
   * access (POST /api/access). `path()` is the request's path, read only for such a page.
   */
  checkOrigin(origin: string | null, method: string, isUpgrade: boolean, path?: () => string): OriginVerdict {
    const verdict = this.originVerdict(origin);
    if (verdict === 'forbidden' && !isUpgrade && path && WEB_ORIGIN.test(origin!) && isAccessRequest(method, path()))
      return 'allowed';
    if (verdict === 'forbidden' && (isUpgrade || !SAFE_METHODS.has(method))) {
      const id = extensionIdOf(origin);
      if (id) {
        throw new ApiError(
          403,
          'forbidden_origin',
          `The extension ${id} is not paired with this Codette server (it talks to the first extension that connected). ` +
            `To add this one, approve it from the paired extension or run: curl -X POST -H 'content-type: application/json' ` +
            `-d '{"id":"${id}"}' http://127.0.0.1:<port>/codette/extensions (or list it in CODETTE_EXTENSION_IDS).`,
          { extension_id: id },
        );
      }
      throw new ApiError(
        403,
        'forbidden_origin',
        `Origin "${origin}" may not ${isUpgrade ? 'open a WebSocket to' : 'change'} Codette. The page asks the user first ` +
          `(POST ${ACCESS_PATH}, client.requestAccess()); or add it to CODETTE_ALLOWED_ORIGINS if you trust that site.`,
      );
    }
    return verdict;
  }

  /** With CODETTE_TOKEN set, every request needs it: as a bearer token, or `?token=` on a WebSocket upgrade. */
  checkToken(authorization: string | null, queryToken: string | null): void {
    if (!this.#token) return;
    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? queryToken;
    const given = bearer ? Buffer.from(bearer) : undefined;
    if (!given || given.length !== this.#token.length || !timingSafeEqual(given, this.#token)) {
      throw new ApiError(
        401,
        'unauthorized',
        'This Codette server requires its token: send "Authorization: Bearer <CODETTE_TOKEN>".',
        undefined,
        {
          'www-authenticate': 'Bearer realm="codette"',
        },
      );
    }
  }
}

export function corsHeaders(origin: string, headers: Headers) {
  headers.set('access-control-allow-origin', origin);
  headers.append('vary', 'Origin');
  headers.set('access-control-expose-headers', 'retry-after');
}

/**
 * `privateNetwork`: the preflight asked `Access-Control-Request-Private-Network: true` (Chrome's Private Network
 * Access preflight, which Local Network Access replaced by a permission prompt from Chrome 142; older Chromes and
 * enterprise policies may still send it): it is granted to the origins that get CORS at all.
 */
export function preflightHeaders(origin: string, privateNetwork = false): Headers {
  const headers = new Headers();
  corsHeaders(origin, headers);
  if (privateNetwork) headers.set('access-control-allow-private-network', 'true');
  headers.set('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  headers.set('access-control-allow-headers', 'content-type, authorization, idempotency-key, x-request-id');
  headers.set('access-control-max-age', '600');
  return headers;
}
