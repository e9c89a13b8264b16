import { z } from 'zod';

export const ServiceInfo = z.object({
  service: z.literal('codette'),
  version: z.string(),
  docs: z.string(),
  openapi: z.string(),
  websocket: z.string(),
});
export type ServiceInfo = z.infer<typeof ServiceInfo>;

export const Health = z.object({
  status: z.enum(['healthy', 'degraded']),
  /** Why the server is degraded; empty when healthy. */
  reasons: z.array(z.string()),
  version: z.string(),
  uptime_seconds: z.number(),
  websocket_clients: z.number().int(),
  database: z.object({ kind: z.string(), ok: z.boolean(), latency_ms: z.number().nullable() }).nullable(),
});
export type Health = z.infer<typeof Health>;
