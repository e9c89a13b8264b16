import { z } from 'zod';
import { BackupStatus } from './backup';

export const CacheStats = z.object({
  backend: z.string(),
  entries: z.number().int(),
  max_entries: z.number().int(),
  ttl_seconds: z.number(),
  hits: z.number().int(),
  misses: z.number().int(),
  hit_rate: z.number(),
  avg_hit_ms: z.number(),
  avg_miss_ms: z.number(),
});
export type CacheStats = z.infer<typeof CacheStats>;

export const CacheCleared = z.object({ status: z.literal('ok'), cleared: z.number().int(), stats: CacheStats });

export const PackageStatus = z.object({
  name: z.string(),
  version: z.string().nullable(),
  purpose: z.string(),
  /** Needed to run at all (false: only for an optional feature). */
  required: z.boolean(),
  /** Its package.json was found and read at call time. */
  installed: z.boolean(),
});

export const Dependencies = z.object({
  runtime: z.object({ node: z.string(), platform: z.string(), arch: z.string() }),
  packages: z.array(PackageStatus),
  services: z.object({
    database: z.object({ kind: z.string(), configured: z.boolean() }),
    supabase: z.object({ configured: z.boolean() }),
  }),
});
export type Dependencies = z.infer<typeof Dependencies>;

export const DiagnosticsStatus = z.object({
  status: z.enum(['operational', 'degraded']),
  reasons: z.array(z.string()),
  generated_at: z.string(),
  system: z.object({
    server: z.object({
      name: z.string(),
      version: z.string(),
      node: z.string(),
      pid: z.number().int(),
      platform: z.string(),
      listening: z.string(),
      uptime_seconds: z.number(),
      started_at: z.string(),
    }),
    memory: z.object({ rss_mb: z.number(), heap_used_mb: z.number() }),
    websocket_clients: z.number().int(),
  }),
  database: z.object({ kind: z.string(), client_initialized: z.boolean(), ok: z.boolean().nullable() }),
  backup: BackupStatus,
  dependencies: Dependencies,
});
export type DiagnosticsStatus = z.infer<typeof DiagnosticsStatus>;

export const RouteLatency = z.object({
  method: z.string(),
  route: z.string(),
  count: z.number().int(),
  errors: z.number().int(),
  p50_ms: z.number(),
  p95_ms: z.number(),
  p99_ms: z.number(),
  max_ms: z.number(),
});

export const Performance = z.object({
  uptime_seconds: z.number(),
  memory: z.object({
    rss_mb: z.number(),
    heap_used_mb: z.number(),
    heap_total_mb: z.number(),
    external_mb: z.number(),
  }),
  cpu: z.object({ percent: z.number(), window_seconds: z.number() }),
  event_loop_delay_ms: z.object({ mean: z.number(), p50: z.number(), p99: z.number(), max: z.number() }),
  requests: z.object({
    total: z.number().int(),
    /** Answers with a 5xx status: the server's own failures. */
    errors: z.number().int(),
    /** Answers with a 4xx status: requests the server refused. */
    client_errors: z.number().int(),
    error_rate: z.number(),
    in_flight: z.number().int(),
  }),
  routes: z.array(RouteLatency),
  websocket: z.object({
    clients: z.number().int(),
    messages_in: z.number().int(),
    messages_out: z.number().int(),
    /** Messages dropped for a client's rate, and clients closed for not reading (1013) or sending far too much (1008). */
    messages_refused: z.number().int(),
    slow_consumers_closed: z.number().int(),
    /** Server-side time to hand one broadcast to every subscriber (the last 1024 broadcasts). */
    broadcast_ms: z.object({
      count: z.number().int(),
      last_recipients: z.number().int(),
      p50: z.number(),
      p99: z.number(),
      max: z.number(),
    }),
  }),
  cache: z.object({ hit_rate: z.number(), hits: z.number().int(), misses: z.number().int() }),
});
export type Performance = z.infer<typeof Performance>;

export const Endpoint = z.object({
  method: z.string(),
  path: z.string(),
  summary: z.string(),
  tag: z.string(),
});
export const Endpoints = z.object({ count: z.number().int(), endpoints: z.array(Endpoint) });
export type Endpoints = z.infer<typeof Endpoints>;

export const KeyStatus = z.object({
  present: z.boolean(),
  /** Environment variable it was read from; never the value. */
  variable: z.string().nullable(),
  /** The `role` claim of the key when it is a JWT (anon, service_role, ...). */
  role: z.string().nullable(),
});

export const Credentials = z.object({
  supabase: z.object({
    url: z.object({ present: z.boolean(), variable: z.string().nullable(), host: z.string().nullable() }),
    anon_key: KeyStatus,
    service_role_key: KeyStatus,
    jwt_secret: z.object({ present: z.boolean() }),
  }),
  server_token_required: z.boolean(),
  status: z.enum(['ok', 'warning']),
  warnings: z.array(z.string()),
});
export type Credentials = z.infer<typeof Credentials>;
