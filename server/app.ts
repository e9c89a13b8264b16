import { H3, defineWebSocketHandler, type H3Event } from 'h3';
import { FastResponse } from 'srvx';
import { addRoute, createRouter, findRoute } from 'rou3';
import { WS_PATH } from '../shared/constants';
import { ApiError, errorResponse, toApiError } from './http/errors';
import { nodeRequestOf, type NodeRequestView } from './http/node-request';
import { corsHeaders, preflightHeaders } from './http/security';
import { rateKey } from './http/rate-limit';
import type { Route } from './http/route';
import type { Health } from '../shared/schemas/service';
import type { Logger } from './log';
import { checkHealth, type Services } from './services';
import { createSocketHooks } from './ws/socket';
import healthRoute from './routes/health.get';

/** What the server's fetch (guard, metrics, log) and the routes share about one request. */
interface RequestContext {
  /** The request's number; its id in the logs is requestId(seq). */
  seq: number;
  route?: string;
  corsOrigin?: string;
}

let requestCounter = 0;
const idPrefix = process.pid.toString(36);
/** A request's id in the logs: the process and the request's number (made only when a line is written). */
const requestId = (seq: number) => `${idPrefix}-${seq.toString(36)}`;

/** RFC 9112: more than one Host is a bad request (Node keeps the first and drops the rest silently). */
function hasDuplicateHost(node: NodeRequestView | undefined): boolean {
  const raw = node?.rawHeaders;
  if (!raw) return false;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') hosts += 1;
  return hosts > 1;
}

/** Node's already-parsed header object when running on Node (cheap), the Fetch Headers otherwise. */
function headerReader(request: Request, node: NodeRequestView | undefined): (name: string) => string | null {
  const raw = node?.headers;
  if (!raw) return (name) => request.headers.get(name);
  return (name) => {
    const v = raw[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
}

/**
 * The security checks every request and WebSocket upgrade passes before any routing: one Host, a Host of this
 * server (DNS rebinding), an allowed Origin (CORS), the token when one is set, and the rate limit (HTTP) or the
 * connection cap (WebSocket). Throws an ApiError; returns the answer to a CORS preflight; undefined to go on.
 */
function guardRequest(request: Request, services: Services, ctx: RequestContext): Response | undefined {
  const { guard, rateLimiter } = services;
  const node = nodeRequestOf(request);
  const header = headerReader(request, node);
  if (hasDuplicateHost(node)) throw new ApiError(400, 'bad_request', 'The request has more than one Host header.');
  guard.checkHost(header('host'));
  const origin = header('origin');
  const isUpgrade = header('upgrade')?.toLowerCase() === 'websocket';
  const path = () => node?.url ?? new URL(request.url).pathname;
  const verdict = guard.checkOrigin(origin, request.method, isUpgrade, path);
  if (verdict === 'allowed' && origin) {
    ctx.corsOrigin = origin;
    if (request.method === 'OPTIONS') {
      const privateNetwork = header('access-control-request-private-network') === 'true';
      return new Response(null, { status: 204, headers: preflightHeaders(origin, privateNetwork) });
    }
  }
  if (guard.tokenRequired)
    guard.checkToken(header('authorization'), isUpgrade ? new URL(request.url).searchParams.get('token') : null);
  if (isUpgrade) {
    // A socket is one request for a long connection: what needs a bound is how many are open, not how fast they
    // arrive (200 clients reconnecting after a restart must all get back in).
    if (services.hub.size >= services.settings.wsMaxClients) {
      throw new ApiError(
        503,
        'too_many_connections',
        `Codette already holds ${services.hub.size} WebSocket connections (CODETTE_WS_MAX_CLIENTS); try again shortly.`,
        undefined,
        {
          'retry-after': '5',
        },
      );
    }
  } else if (rateLimiter.perMinute > 0) {
    const retryAfter = rateLimiter.take(rateKey(origin, header, (request as { ip?: string }).ip ?? 'local'));
    if (retryAfter > 0) {
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests: wait ${retryAfter} s and try again.`,
        { retry_after_seconds: retryAfter },
        {
          'retry-after': String(retryAfter),
        },
      );
    }
  }
  return undefined;
}

/** The client closed the connection (or timed out) before its answer: its request was abandoned, not failed. */
function clientGone(request: Request): boolean {
  try {
    return request.signal.aborted;
  } catch {
    return false;
  }
}
/** nginx's "client closed request": recorded as a client error, never as a server one, and nobody reads it. */
const CLIENT_CLOSED = 499;
const clientClosed = () => new Response(null, { status: CLIENT_CLOSED });

/**
 * The answer to anything thrown, for the guard's refusals and for h3's onError alike: the JSON error of
 * server/http/errors.ts with the CORS headers, 499 when the client left, and a log line for what was not meant.
 */
function errorAnswer(error: unknown, request: Request, ctx: RequestContext | undefined, log: Logger): Response {
  const { api, unexpected } = toApiError(error);
  // A body read that failed because the client left: not the server's error (a refusal of ours stays itself).
  if (unexpected && clientGone(request)) return clientClosed();
  if (unexpected)
    log.error('request failed', {
      id: ctx ? requestId(ctx.seq) : undefined,
      method: request.method,
      path: new URL(request.url).pathname,
      err: String((error as Error).cause ?? error),
    });
  const headers = new Headers();
  if (ctx?.corsOrigin) corsHeaders(ctx.corsOrigin, headers);
  return errorResponse(api, headers);
}

/** 405 when the path exists with other methods (with Allow), 404 otherwise: both JSON. */
function fallbackHandler(routes: readonly Route[]) {
  const byPath = createRouter<Set<string>>();
  for (const route of [...routes, { method: 'GET', path: WS_PATH }]) {
    const found = findRoute(byPath, '', route.path);
    if (found && found.data) found.data.add(route.method);
    else addRoute(byPath, '', route.path, new Set([route.method]));
  }
  return (event: H3Event) => {
    const methods = findRoute(byPath, '', event.url.pathname)?.data;
    if (methods && event.req.method !== 'OPTIONS') {
      const allow = [...methods].join(', ');
      throw new ApiError(
        405,
        'method_not_allowed',
        `${event.req.method} is not allowed on ${event.url.pathname}; use ${allow}.`,
        { allow: [...methods] },
        { allow },
      );
    }
    throw new ApiError(
      404,
      'not_found',
      `No route ${event.req.method} ${event.url.pathname}. GET /api/diagnostics/endpoints lists them all.`,
    );
  };
}

/** The h3 app: security in front, then the routes, then JSON 404/405. */
export function createApp(services: Services, routes: readonly Route[]): H3 {
  services.endpoints = routes.map((r) => r.endpoint);
  const app = new H3({
    silent: true,
    onError: (error, event) =>
      errorAnswer(error, event.req, event.context.codette as RequestContext | undefined, services.log),
  });
  for (const route of routes) {
    app.on(route.method, route.path, (event) => {
      (event.context.codette as RequestContext).route = route.path;
      return route.run(event, services);
    });
  }
  app.get(
    WS_PATH,
    defineWebSocketHandler(createSocketHooks(services), () => {
      throw new ApiError(
        426,
        'upgrade_required',
        `${WS_PATH} is Codette's WebSocket: connect with a WebSocket client (ws://127.0.0.1:<port>${WS_PATH}).`,
        undefined,
        {
          upgrade: 'websocket',
        },
      );
    }),
  );
  app.all('/**', fallbackHandler(routes));
  return app;
}

/**
 * GET /health is what every client and monitor polls, so it is answered here, after the guard and before h3's router
 * (a fifth of its cost): same checkHealth, same JSON and content type as the route in routes/health.get.ts, which
 * stays its documented definition and answers any other form of the request (a query string, HEAD). Metrics and the
 * log line count it as that route.
 */
function isPlainHealthCheck(request: Request): boolean {
  return request.method === 'GET' && nodeRequestOf(request)?.url === healthRoute.path;
}
/** As pairs: srvx copies them as they are (an object would be turned into entries on every answer). */
const JSON_TYPE: [string, string][] = [['content-type', 'application/json;charset=UTF-8']];

/** Two health answers that would serialise alike (the same figures; uptime changes every tenth of a second). */
function sameHealth(a: Health, b: Health): boolean {
  return (
    a.uptime_seconds === b.uptime_seconds &&
    a.status === b.status &&
    a.websocket_clients === b.websocket_clients &&
    a.version === b.version &&
    a.reasons.length === b.reasons.length &&
    a.reasons.every((r, i) => r === b.reasons[i]) &&
    (a.database === b.database ||
      (a.database !== null &&
        b.database !== null &&
        a.database.kind === b.database.kind &&
        a.database.ok === b.database.ok &&
        a.database.latency_ms === b.database.latency_ms))
  );
}

/** The last health answer's JSON, reused while the figures are the same (polls come many times a second). */
let lastHealth: { health: Health; json: string } | undefined;
function healthJson(health: Health): string {
  if (lastHealth && sameHealth(lastHealth.health, health)) return lastHealth.json;
  lastHealth = { health, json: JSON.stringify(health) };
  return lastHealth.json;
}

function healthResponse(services: Services, ctx: RequestContext): Response | Promise<Response> {
  ctx.route = healthRoute.path;
  const health = checkHealth(services);
  const respond = (h: Health) => new FastResponse(healthJson(h), { headers: JSON_TYPE });
  return health instanceof Promise ? health.then(respond) : respond(health);
}

/**
 * The server's fetch: gives each request an id, and after the answer records its latency per route and logs one line.
 * A synchronous answer (a refusal of the guard, /health) is returned as it is, not wrapped in a promise: srvx then
 * writes it at once, without a microtask and a promise per request.
 */
export function instrumentedFetch(app: H3, services: Services) {
  const { metrics, log } = services;
  const logRequests = log.enabled('info');

  /** The guard's refusals (h3 renders the errors of the routes themselves, in onError). */
  const refusal = (request: Request, ctx: RequestContext, error: unknown): Response =>
    errorAnswer(error, request, ctx, log);

  const finish = (request: Request, ctx: RequestContext, started: number, answer: Response): Response => {
    let response = answer;
    try {
      if (ctx.corsOrigin && !response.headers.has('access-control-allow-origin'))
        corsHeaders(ctx.corsOrigin, response.headers);
    } catch (error) {
      response = refusal(request, ctx, error);
    }
    metrics.inFlight -= 1;
    const ms = performance.now() - started;
    const route = ctx.route ?? (request.url.includes(WS_PATH) ? WS_PATH : 'unmatched');
    metrics.record(request.method, route, response.status, ms);
    services.metricsRollup.add(request.method, route, response.status, ms);
    // The id goes to the log line; setting it on every response would cost a tenth of the throughput.
    if (logRequests)
      log.info('request', {
        id: requestId(ctx.seq),
        method: request.method,
        route,
        status: response.status,
        ms: Math.round(ms * 100) / 100,
      });
    return response;
  };

  return (request: Request): Response | Promise<Response> => {
    const started = performance.now();
    const ctx: RequestContext = { seq: ++requestCounter };
    metrics.inFlight += 1;
    let answer: Response | Promise<Response>;
    try {
      // The guard runs here, before h3: one check per request without a middleware chain around every route.
      answer =
        guardRequest(request, services, ctx) ??
        (isPlainHealthCheck(request)
          ? healthResponse(services, ctx)
          : app.request(request, undefined, { codette: ctx }));
    } catch (error) {
      answer = refusal(request, ctx, error);
    }
    if (answer instanceof Promise)
      return answer.then(
        (response) => finish(request, ctx, started, response),
        (error: unknown) => finish(request, ctx, started, refusal(request, ctx, error)),
      );
    return finish(request, ctx, started, answer);
  };
}
