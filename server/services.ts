import type { Settings } from './config';
import type { Logger } from './log';
import type { Health } from '../shared/schemas/service';
import { AnswerCache } from './cache/answer-cache';
import { RequestMetrics } from './metrics/request-metrics';
import { MetricsRollup } from './metrics/metrics-rollup';
import { Transport } from './transport/transport';
import { Hub } from './ws/hub';
import { AppliedIds } from './idempotency';
import { RequestGuard } from './http/security';
import { ExtensionPairing } from './http/pairing';
import { WebAccess } from './access/web-access';
import { RateLimiter } from './http/rate-limit';
import { VERSION } from './version';
import type { Endpoint } from '../shared/api/define';
import type { CodetteStore } from './store/types';
import type { EngineData } from './engine/engine';
import { ChatEngine } from './engine/chat';
import { LlmChooser } from './engine/llm/choice';
import { KNOWN_SERVERS } from './engine/llm/detect';
import { createAccessTokenVerifier } from './store/auth';
import { localUser, tokenUsers, type UserResolver } from './users';
import { rlsSourceOf, type RlsSource } from './diagnostics/rls';
import { BackupSchedule } from './backup/schedule';

/** Everything a route or the socket may use, built once per server. */
export interface Services {
  settings: Settings;
  log: Logger;
  version: string;
  startedAt: Date;
  transport: Transport;
  cache: AnswerCache;
  metrics: RequestMetrics;
  /** Request metrics on their way to api_metrics, rolled up per route and status. */
  metricsRollup: MetricsRollup;
  hub: Hub;
  appliedIds: AppliedIds;
  guard: RequestGuard;
  /** The web pages the user allowed or denied from the extension, and the requests waiting for their click. */
  access: WebAccess;
  rateLimiter: RateLimiter;
  /** The URL the server listens on, once it does. */
  url: string | undefined;
  /** The environment the server started with, for the credentials check. */
  env: Record<string, string | undefined>;
  store: CodetteStore;
  engine: EngineData;
  /** Which local model answers, if any (settings, the user's choice, or one detected on loopback). */
  llm: LlmChooser;
  chat: Pick<ChatEngine, 'handle'>;
  /** Who owns the rows of a request: the local user (embedded store) or the verified Supabase user of its token. */
  users: UserResolver;
  /** The row-level security report: live from PostgreSQL, or as the migrations declare it (embedded). */
  rls: RlsSource;
  /** Automatic backups of the embedded database (start and daily) and what the last one was. */
  backups: BackupSchedule;
  /** The contract entries of the routes the app serves (the endpoint list is made from them). */
  endpoints: readonly Endpoint[];
}

export function createServices(
  settings: Settings,
  log: Logger,
  store: CodetteStore,
  engine: EngineData,
  env: Record<string, string | undefined> = {},
): Services {
  const metrics = new RequestMetrics();
  const access = WebAccess.inDataDir(settings.dataDir);
  const services: Omit<Services, 'chat'> = {
    settings,
    log,
    version: VERSION,
    startedAt: new Date(),
    transport: new Transport(),
    cache: new AnswerCache({ ttlSeconds: settings.cacheTtlSeconds, maxEntries: settings.cacheMaxEntries }),
    metrics,
    metricsRollup: new MetricsRollup((row) => store.recordMetric(row)),
    // CODETTE_RATE_LIMIT=0 (load tests) lifts the socket's message rate too.
    hub: new Hub(metrics, settings.rateLimitPerMinute === 0 ? { messagesPerSecond: 0 } : {}),
    appliedIds: new AppliedIds(store),
    guard: new RequestGuard(
      settings,
      settings.extensionIds.length ? undefined : ExtensionPairing.inDataDir(settings.dataDir),
      access,
    ),
    access,
    rateLimiter: new RateLimiter(settings.rateLimitPerMinute),
    url: undefined,
    env,
    store,
    engine,
    llm: new LlmChooser(
      settings.llm,
      settings.llmTimeoutMs,
      settings.llmDetect === 'off' ? [] : settings.llmDetect === 'default' ? KNOWN_SERVERS : settings.llmDetect,
    ),
    // Chosen here, with the store: the embedded database has one local user, Supabase one per access token.
    users:
      store.kind === 'sqlite'
        ? localUser
        : tokenUsers(
            createAccessTokenVerifier({ jwtSecret: settings.supabase.jwtSecret, supabaseUrl: settings.supabase.url }),
          ),
    rls: rlsSourceOf(store),
    endpoints: [],
    backups: new BackupSchedule(store.kind, settings.dataDir, log),
  };
  return Object.assign(services, { chat: new ChatEngine(services) });
}

/** An event loop that lags this much means every answer is late: the server says it is degraded. */
const LOOP_DELAY_DEGRADED_MS = 250;

/** The database is probed at most this often by /health, so that a busy health poll costs no query. */
const DB_PROBE_MS = 2000;
interface Probe {
  at: number;
  ok: boolean;
  latency: number | null;
  reason?: string;
}

const isLocked = (error: unknown) => (error as { code?: unknown } | null)?.code === 'locked';
const lastProbe = new WeakMap<CodetteStore, Probe>();

/** The database probe, at most every DB_PROBE_MS: a fresh one is answered synchronously (health is polled often). */
function probeDatabase(store: CodetteStore): Probe | Promise<Probe> {
  const now = performance.now();
  const last = lastProbe.get(store);
  if (last && now - last.at < DB_PROBE_MS) return last;
  return store
    .ping()
    .then(
      (): Probe => ({ at: now, ok: true, latency: Math.round((performance.now() - now) * 1000) / 1000 }),
      (error: unknown): Probe => ({
        at: now,
        ok: false,
        latency: null,
        reason: isLocked(error) ? 'database locked' : `database not answering: ${(error as Error).message}`,
      }),
    )
    .then((probe) => {
      lastProbe.set(store, probe);
      return probe;
    });
}

export function checkHealth(services: Services): Health | Promise<Health> {
  const db = probeDatabase(services.store);
  return db instanceof Promise ? db.then((probe) => healthOf(services, probe)) : healthOf(services, db);
}

function healthOf(services: Services, db: Probe): Health {
  const reasons: string[] = [];
  const loopDelay = services.metrics.recentLoopDelayP99Ms();
  if (loopDelay > LOOP_DELAY_DEGRADED_MS) reasons.push(`event loop delayed: p99 ${Math.round(loopDelay)} ms`);
  if (!db.ok) reasons.push(db.reason ?? 'database not answering');
  return {
    status: reasons.length ? 'degraded' : 'healthy',
    reasons,
    version: services.version,
    uptime_seconds: Math.round(services.metrics.uptimeSeconds() * 10) / 10,
    websocket_clients: services.hub.size,
    database: { kind: services.store.kind, ok: db.ok, latency_ms: db.latency },
  };
}
