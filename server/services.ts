import type { Settings } from './config';
import type { Logger } from './log';
import type { Health } from '../shared/schemas/service';
import { AnswerCache } from './cache/answer-cache';
import { RequestMetrics } from './metrics/request-metrics';
import { Transport } from './transport/transport';
import { Hub } from './ws/hub';
import { AppliedIds } from './idempotency';
import { RequestGuard } from './http/security';
import { RateLimiter } from './http/rate-limit';
import { VERSION } from './version';
import type { Route } from './http/route';

/** Everything a route or the socket may use, built once per server. */
export interface Services {
  settings: Settings;
  log: Logger;
  version: string;
  startedAt: Date;
  transport: Transport;
  cache: AnswerCache;
  metrics: RequestMetrics;
  hub: Hub;
  appliedIds: AppliedIds;
  guard: RequestGuard;
  rateLimiter: RateLimiter;
  /** The URL the server listens on, once it does. */
  url: string | undefined;
  /** The environment the server started with, for the credentials check. */
  env: Record<string, string | undefined>;
  /** 'none' until a store is attached. */
  databaseKind: string;
  /** The routes the app serves: the endpoint list and the API reference are generated from them. */
  routes: readonly Route[];
}

export function createServices(settings: Settings, log: Logger, env: Record<string, string | undefined> = {}): Services {
  const metrics = new RequestMetrics();
  return {
    settings,
    log,
    version: VERSION,
    startedAt: new Date(),
    transport: new Transport(),
    cache: new AnswerCache({ ttlSeconds: settings.cacheTtlSeconds, maxEntries: settings.cacheMaxEntries }),
    metrics,
    hub: new Hub(metrics),
    appliedIds: new AppliedIds(),
    guard: new RequestGuard(settings),
    rateLimiter: new RateLimiter(settings.rateLimitPerMinute),
    url: undefined,
    env,
    databaseKind: 'none',
    routes: [],
  };
}

/** An event loop that lags this much means every answer is late: the server says it is degraded. */
const LOOP_DELAY_DEGRADED_MS = 250;

export async function checkHealth(services: Services): Promise<Health> {
  const reasons: string[] = [];
  const loopDelay = services.metrics.recentLoopDelayP99Ms();
  if (loopDelay > LOOP_DELAY_DEGRADED_MS) reasons.push(`event loop delayed: p99 ${Math.round(loopDelay)} ms`);
  return {
    status: reasons.length ? 'degraded' : 'healthy',
    reasons,
    version: services.version,
    uptime_seconds: Math.round(services.metrics.uptimeSeconds() * 10) / 10,
    websocket_clients: services.hub.size,
    database: null,
  };
}
