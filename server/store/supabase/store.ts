/**
 * Supabase store: @supabase/supabase-js with the service-role key, on the server only, calling the SQL
 * functions of supabase/migrations through PostgREST RPC (`POST /rest/v1/rpc/codette_*`).
 *
 * How rows are scoped to a user (and why RLS stays meaningful):
 *  - The routes verify the user's Supabase access token (server/store/auth.ts) and pass its `sub` as userId.
 *  - When the project's JWT secret is configured (the default way here), every user-scoped call is made with a
 *    short-lived (60 s) token minted for that user (role "authenticated", sub = userId) instead of the service
 *    key. PostgREST then runs the function as `authenticated` with auth.uid() = userId, so PostgreSQL's
 *    row-level security is enforced on the server's own calls: a bug that passed the wrong session id cannot
 *    read or change another user's rows. The functions are SECURITY INVOKER for exactly this reason.
 *  - Without the secret (a project that only publishes asymmetric keys, which the server cannot sign with), the
 *    service role is used and the functions scope every statement by p_user_id themselves
 *    (codette_private.acting_user); RLS then guards direct client access only. Say so in diagnostics.
 *  - Knowledge writes, metrics, client-id dedupe and diagnostics always use the service role: RLS allows them
 *    to nobody else.
 */
import { SignJWT } from 'jose';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { z } from 'zod';
import type { KnowledgeEntry } from '../../../shared/schemas/knowledge';
import { KnowledgeEntry as KnowledgeEntrySchema } from '../../../shared/schemas/knowledge';
import {
  AddFeedbackResult,
  AppendMessageResult,
  ChatMessage,
  ChatSession,
  ChatSessionSummary,
  FileRecord,
  JsonValue,
  KnowledgeHit,
  RlsTable,
  TableStatus,
  UserExport,
  ratingValue,
  type AppendMessageBody,
  type CreateSessionBody,
  type FeedbackBody,
  type FileRecordBody,
  type MetricRow,
  type RlsDiagnostics,
} from '../../../shared/schemas/persistence';
import { ImportResult, type ImportBody } from '../../../shared/schemas/backup';
import { StoreError } from '../errors';
import { MetricsBuffer, type MetricsBufferOptions } from '../metrics-buffer';
import type { CodetteStore, PageOptions, SearchOptions } from '../types';

export interface SupabaseStoreOptions {
  url: string;
  serviceRoleKey: string;
  /** The project's JWT secret (HS256). When set, user-scoped calls run as the user under RLS (see above). */
  jwtSecret?: string;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  clientIdTtlMs?: number;
  metrics?: Omit<MetricsBufferOptions, 'write'>;
}

interface PostgrestErrorLike {
  message: string;
  code?: string;
  details?: string | null;
  hint?: string | null;
}

/** Map a PostgREST / network error to a StoreError (by SQLSTATE first: PostgREST's HTTP statuses are coarse). */
export function postgrestError(error: PostgrestErrorLike, status: number, fn: string, url: string): StoreError {
  const code = error.code ?? '';
  const details = { function: fn, status, pg_code: code || undefined, hint: error.hint ?? undefined };
  if (
    status === 0 ||
    status === 502 ||
    status === 503 ||
    status === 504 ||
    code.startsWith('08') ||
    code === 'PGRST000' ||
    code === 'PGRST001' ||
    code === 'PGRST002'
  ) {
    return new StoreError(
      'unreachable',
      `Supabase at ${url} does not answer (${error.message}). Check SUPABASE_URL and the network; nothing was written.`,
      details,
    );
  }
  if (code === 'P0002') return new StoreError('not_found', error.message, details);
  if (code === 'PGRST202' || code === '42883' || code === '42P01') {
    return new StoreError(
      'misconfigured',
      `The Supabase project lacks Codette's schema (${error.message}). Run \`supabase db push\` with this repository's supabase/migrations.`,
      details,
    );
  }
  if (status === 401 || code.startsWith('PGRST3')) {
    return new StoreError(
      'unauthorized',
      `Supabase refused the credentials (${error.message}). Check SUPABASE_SERVICE_ROLE_KEY and SUPABASE_JWT_SECRET.`,
      details,
    );
  }
  if (code === '42501' || status === 403) return new StoreError('forbidden', `Not allowed: ${error.message}`, details);
  if (code === '23505' || code === '23503') return new StoreError('conflict', error.message, details);
  if (code.startsWith('22') || code.startsWith('23')) return new StoreError('invalid', error.message, details);
  return new StoreError('internal', `Supabase error in ${fn}: ${error.message}`, details);
}

/** PostgreSQL renders timestamptz as `2026-11-25 20:40:00.123456+00`: normalise every *_at to ISO UTC ms. */
function normaliseTimestamps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normaliseTimestamps);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = k.endsWith('_at') && typeof x === 'string' ? new Date(x).toISOString() : normaliseTimestamps(x);
    }
    return out;
  }
  return v;
}

const Count = z.coerce.number().int().nonnegative();
const RpcRlsTables = z.array(RlsTable);

export class SupabaseStore implements CodetteStore {
  readonly kind = 'supabase' as const;
  readonly location: string;
  private readonly client: SupabaseClient;
  private readonly secret: Uint8Array | null;
  private readonly ttlSeconds: number;
  private readonly metrics: MetricsBuffer;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly options: SupabaseStoreOptions) {
    this.location = options.url.replace(/\/+$/, '');
    this.secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : null;
    this.ttlSeconds = Math.max(1, Math.round((options.clientIdTtlMs ?? 7 * 86_400_000) / 1000));
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.client = createClient(this.location, options.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // Node 20 has no global WebSocket; supabase-js refuses to start without a transport even if unused.
      realtime: {
        transport: WebSocket as unknown as NonNullable<
          NonNullable<Parameters<typeof createClient>[2]>['realtime']
        >['transport'],
      },
      global: {
        fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
      },
    });
    this.metrics = new MetricsBuffer({ ...options.metrics, write: (rows) => this.writeMetrics(rows) });
  }

  /** How user-scoped calls reach the database: 'user_jwt' (RLS enforced) or 'service_role'. */
  get userScoping(): 'user_jwt' | 'service_role' {
    return this.secret ? 'user_jwt' : 'service_role';
  }

  private async userToken(userId: string): Promise<string | null> {
    if (!this.secret) return null;
    return new SignJWT({ role: 'authenticated', aud: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(`${this.location}/auth/v1`)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(this.secret);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  /** One RPC. `asUser` set: the call carries that user's token when the store can mint one. */
  private rpc<S extends z.ZodType>(
    fn: string,
    args: Record<string, unknown>,
    schema: S,
    asUser?: string,
  ): Promise<z.infer<S>> {
    if (this.closed) return Promise.reject(new StoreError('internal', 'The store is closed.', { function: fn }));
    return this.track(
      (async () => {
        const token = asUser !== undefined ? await this.userToken(asUser) : null;
        let builder = this.client.rpc(fn, args);
        if (token) builder = builder.setHeader('Authorization', `Bearer ${token}`);
        let res: { data: unknown; error: PostgrestErrorLike | null; status: number };
        try {
          res = await builder;
        } catch (e) {
          throw new StoreError(
            'unreachable',
            `Supabase at ${this.location} does not answer (${(e as Error).message}).`,
            { function: fn },
            { cause: e },
          );
        }
        if (res.error) throw postgrestError(res.error, res.status, fn, this.location);
        const parsed = schema.safeParse(normaliseTimestamps(res.data));
        if (!parsed.success) {
          throw new StoreError(
            'internal',
            `Unexpected answer from ${fn}: ${parsed.error.message}. Is the project's schema up to date?`,
            { function: fn },
          );
        }
        return parsed.data as z.infer<S>;
      })(),
    );
  }

  async ping(): Promise<void> {
    await this.rpc('codette_ping', {}, z.literal('ok'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.metrics.close();
    await Promise.allSettled([...this.inFlight]);
    this.closed = true;
    await this.client.removeAllChannels();
  }

  // ------------------------------------------------------------------------------------- knowledge
  upsertKnowledge(entries: readonly KnowledgeEntry[]): Promise<number> {
    return this.rpc('codette_upsert_knowledge', { entries }, Count);
  }

  searchKnowledge(query: string, options: SearchOptions = {}): Promise<KnowledgeHit[]> {
    const limit = Math.max(1, Math.min(50, Math.trunc(options.limit ?? 8)));
    return this.rpc(
      'codette_search_knowledge',
      { q: query, max_results: limit, p_category: options.category ?? null },
      z.array(KnowledgeHit),
    );
  }

  getKnowledge(id: string): Promise<KnowledgeEntry | null> {
    return this.rpc('codette_get_knowledge', { p_id: id }, KnowledgeEntrySchema.nullable());
  }

  countKnowledge(): Promise<number> {
    return this.rpc('codette_count_knowledge', {}, Count);
  }

  // ------------------------------------------------------------------------------------- chat
  createSession(userId: string, body: CreateSessionBody = {}): Promise<ChatSession> {
    return this.rpc(
      'codette_create_session',
      { p_user_id: userId, p_title: body.title ?? null, p_perspective: body.perspective ?? null },
      ChatSession,
      userId,
    );
  }

  appendMessage(userId: string, body: AppendMessageBody): Promise<AppendMessageResult> {
    return this.rpc('codette_append_message', { p_user_id: userId, p_message: body }, AppendMessageResult, userId);
  }

  listSessions(userId: string, page?: PageOptions): Promise<ChatSessionSummary[]> {
    return this.rpc(
      'codette_list_sessions',
      { p_user_id: userId, ...pageArgs(page) },
      z.array(ChatSessionSummary),
      userId,
    );
  }

  listMessages(userId: string, sessionId: string): Promise<ChatMessage[]> {
    return this.rpc(
      'codette_list_messages',
      { p_user_id: userId, p_session_id: sessionId },
      z.array(ChatMessage),
      userId,
    );
  }

  deleteSession(userId: string, sessionId: string): Promise<boolean> {
    return this.rpc('codette_delete_session', { p_user_id: userId, p_session_id: sessionId }, z.boolean(), userId);
  }

  addFeedback(userId: string, body: FeedbackBody): Promise<AddFeedbackResult> {
    return this.rpc(
      'codette_add_feedback',
      { p_user_id: userId, p_feedback: { ...body, rating: ratingValue(body.rating) } },
      AddFeedbackResult,
      userId,
    );
  }

  recordFile(userId: string, body: FileRecordBody): Promise<FileRecord> {
    return this.rpc('codette_record_file', { p_user_id: userId, p_file: body }, FileRecord, userId);
  }

  listFiles(userId: string, page?: PageOptions): Promise<FileRecord[]> {
    return this.rpc('codette_list_files', { p_user_id: userId, ...pageArgs(page) }, z.array(FileRecord), userId);
  }

  exportUserData(userId: string): Promise<UserExport> {
    return this.rpc('codette_export_user_data', { p_user_id: userId }, UserExport, userId);
  }

  importUserData(userId: string, data: ImportBody): Promise<ImportResult> {
    return this.rpc('codette_import_user_data', { p_user_id: userId, p_data: data }, ImportResult, userId);
  }

  // ------------------------------------------------------------------------------------- metrics
  recordMetric(row: MetricRow): void {
    this.metrics.push(row);
  }

  async writeMetrics(rows: readonly MetricRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.rpc('codette_write_metrics', { p_rows: rows }, Count);
  }

  // ------------------------------------------------------------------------------------- client-id dedupe
  async rememberClientId(clientId: string, result: JsonValue): Promise<void> {
    await this.rpc(
      'codette_remember_client_id',
      { p_client_id: clientId, p_result: result, p_ttl_seconds: this.ttlSeconds },
      z.boolean(),
    );
  }

  lookupClientId(clientId: string): Promise<JsonValue | null> {
    return this.rpc(
      'codette_lookup_client_id',
      { p_client_id: clientId, p_ttl_seconds: this.ttlSeconds },
      JsonValue.nullable(),
    );
  }

  // ------------------------------------------------------------------------------------- diagnostics
  tableStatus(): Promise<TableStatus[]> {
    return this.rpc('codette_table_status', {}, z.array(TableStatus));
  }

  async rlsPolicies(): Promise<RlsDiagnostics> {
    const tables = await this.rpc('codette_rls_policies', {}, RpcRlsTables);
    return {
      kind: 'supabase',
      source: 'postgres',
      note:
        this.userScoping === 'user_jwt'
          ? 'Read live from PostgreSQL. User-scoped calls run as the user (role authenticated), so these policies apply to the server too.'
          : 'Read live from PostgreSQL. No JWT secret configured: the server calls as service_role (bypasses RLS) and the SQL functions scope by user id; these policies guard direct client access.',
      tables,
    };
  }
}

/** The page arguments of the list functions (supabase/migrations/20261126000100_codette_pages.sql). */
function pageArgs(page: PageOptions | undefined) {
  return { p_limit: page?.limit ?? null, p_before_at: page?.before?.at ?? null, p_before_id: page?.before?.id ?? null };
}
