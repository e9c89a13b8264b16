import { z } from 'zod';
import {
  CacheCleared,
  CacheStats,
  Credentials,
  Dependencies,
  DiagnosticsStatus,
  Endpoints,
  Performance,
} from '../schemas/diagnostics';
import { DatabaseDiagnostics, RlsDiagnostics } from '../schemas/persistence';
import { defineEndpoint } from './define';
import { STORE_ERRORS } from './errors';

/** The row-level security report with the server key's role and what looks wrong. */
export const RlsReport = RlsDiagnostics.extend({
  server_key_role: z.string().nullable(),
  status: z.enum(['ok', 'warning']),
  warnings: z.array(z.string()),
});
export type RlsReport = z.infer<typeof RlsReport>;

export const diagnosticsEndpoints = [
  defineEndpoint({
    name: 'diagnostics.status',
    method: 'GET',
    path: '/api/diagnostics/status',
    summary: 'Server, database and dependencies, measured now',
    tag: 'diagnostics',
    responses: { 200: DiagnosticsStatus },
    errors: [],
  }),
  defineEndpoint({
    name: 'diagnostics.cache',
    method: 'GET',
    path: '/api/diagnostics/cache',
    summary: 'Answer cache statistics (the same figures as /api/cache-stats)',
    tag: 'diagnostics',
    responses: { 200: CacheStats },
    errors: [],
  }),
  defineEndpoint({
    name: 'diagnostics.endpoints',
    method: 'GET',
    path: '/api/diagnostics/endpoints',
    summary: 'Every route this server answers, read from its router',
    tag: 'diagnostics',
    responses: { 200: Endpoints },
    errors: [],
  }),
  defineEndpoint({
    name: 'diagnostics.dependencies',
    method: 'GET',
    path: '/api/diagnostics/dependencies',
    summary: 'Runtime, installed packages and configured services',
    tag: 'diagnostics',
    responses: { 200: Dependencies },
    errors: [],
  }),
  defineEndpoint({
    name: 'diagnostics.performance',
    method: 'GET',
    path: '/api/diagnostics/performance',
    summary: 'Uptime, memory, CPU, event-loop delay, request counts and latency per route, cache hit rate',
    tag: 'diagnostics',
    responses: { 200: Performance },
    errors: [],
  }),
  defineEndpoint({
    name: 'diagnostics.credentials',
    method: 'GET',
    path: '/api/diagnostics/credentials',
    summary: 'Which Supabase settings are present and which role each key carries (values never shown)',
    tag: 'diagnostics',
    responses: { 200: Credentials },
    errors: [],
  }),
  defineEndpoint({
    name: 'diagnostics.database',
    method: 'GET',
    path: '/api/diagnostics/database',
    summary: 'The database kind and, for each of the seven tables, whether it answers and its row count (probed now)',
    tag: 'diagnostics',
    responses: { 200: DatabaseDiagnostics },
    errors: [],
  }),
  defineEndpoint({
    name: 'diagnostics.rlsPolicies',
    method: 'GET',
    path: '/api/diagnostics/rls-policies',
    summary: "Which role the server's key carries and, per table, whether row-level security is on and its policies",
    tag: 'diagnostics',
    responses: { 200: RlsReport },
    errors: [...STORE_ERRORS],
  }),
  defineEndpoint({
    name: 'cache.stats',
    method: 'GET',
    path: '/api/cache-stats',
    summary: 'Answer cache: entries, hits, misses, hit rate and latency',
    tag: 'cache',
    responses: { 200: CacheStats },
    errors: [],
  }),
  defineEndpoint({
    name: 'cache.clear',
    method: 'POST',
    path: '/api/cache-clear',
    summary: 'Empty the answer cache (its counters are kept)',
    tag: 'cache',
    responses: { 200: CacheCleared },
    errors: [],
  }),
] as const;
