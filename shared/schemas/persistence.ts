import { z } from 'zod';
import { KnowledgeCategory, KnowledgeEntry } from './knowledge';

/**
 * Rows and API shapes of Codette's persistence (both stores return exactly these).
 * Timestamps are ISO 8601 strings in UTC with milliseconds (`2026-11-25T20:40:00.123Z`).
 */
export const IsoTimestamp = z.iso.datetime({ offset: true });
export type IsoTimestamp = z.infer<typeof IsoTimestamp>;

/** A user id: Supabase's auth.users.id (a uuid) or, in the embedded store, the local user's id. */
export const UserId = z.string().min(1).max(128);
export type UserId = z.infer<typeof UserId>;

export const RowId = z.uuid();
export const ClientId = z.string().min(1).max(128);

export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;
export const JsonObject = z.record(z.string(), JsonValue);
export type JsonObject = z.infer<typeof JsonObject>;

// ---------------------------------------------------------------------------------------------- chat
export const ChatRole = z.enum(['user', 'assistant', 'system']);
export type ChatRole = z.infer<typeof ChatRole>;

/**
 * The perspective label stored with a session or a message: free text to the database (chat replies use the
 * `Perspective` enum of chat.ts; older rows or other clients may hold other labels).
 */
export const PerspectiveLabel = z.string().min(1).max(64);

export const CreateSessionBody = z.object({
  title: z.string().max(200).optional(),
  perspective: PerspectiveLabel.optional(),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

export const ChatSession = z.object({
  id: RowId,
  title: z.string(),
  perspective: z.string().nullable(),
  created_at: IsoTimestamp,
  updated_at: IsoTimestamp,
});
export type ChatSession = z.infer<typeof ChatSession>;

/** listSessions(): newest activity first (last message, else creation). */
export const ChatSessionSummary = ChatSession.extend({
  message_count: z.number().int().nonnegative(),
  last_message_at: IsoTimestamp.nullable(),
});
export type ChatSessionSummary = z.infer<typeof ChatSessionSummary>;

export const AppendMessageBody = z.object({
  session_id: RowId,
  role: ChatRole,
  content: z.string().max(100_000),
  /** Set by the extension's offline outbox: a resend with the same client_id writes nothing. */
  client_id: ClientId.optional(),
  perspective: PerspectiveLabel.optional(),
  confidence: z.number().min(0).max(1).optional(),
  sources: z.array(JsonValue).optional(),
  actions: z.array(JsonValue).optional(),
  metadata: JsonObject.optional(),
});
export type AppendMessageBody = z.infer<typeof AppendMessageBody>;

export const ChatMessage = z.object({
  id: RowId,
  session_id: RowId,
  role: ChatRole,
  content: z.string(),
  client_id: z.string().nullable(),
  perspective: z.string().nullable(),
  confidence: z.number().nullable(),
  sources: z.array(JsonValue),
  actions: z.array(JsonValue),
  metadata: JsonObject,
  created_at: IsoTimestamp,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** created = false: the client_id was already stored; `message` is the stored one. */
export const AppendMessageResult = z.object({ message: ChatMessage, created: z.boolean() });
export type AppendMessageResult = z.infer<typeof AppendMessageResult>;

// ---------------------------------------------------------------------------------------------- feedback
export const FeedbackRating = z.union([z.enum(['up', 'down']), z.literal(1), z.literal(-1)]);
export type FeedbackRating = z.infer<typeof FeedbackRating>;

export const FeedbackBody = z.object({
  message_id: RowId,
  rating: FeedbackRating,
  comment: z.string().max(4000).optional(),
  client_id: ClientId.optional(),
});
export type FeedbackBody = z.infer<typeof FeedbackBody>;

export const Feedback = z.object({
  id: RowId,
  message_id: RowId,
  /** 1 = thumbs up, -1 = thumbs down ('up'/'down' in a body are stored as 1/-1). */
  rating: z.union([z.literal(1), z.literal(-1)]),
  comment: z.string().nullable(),
  client_id: z.string().nullable(),
  created_at: IsoTimestamp,
});
export type Feedback = z.infer<typeof Feedback>;

export const AddFeedbackResult = z.object({ feedback: Feedback, created: z.boolean() });
export type AddFeedbackResult = z.infer<typeof AddFeedbackResult>;

export function ratingValue(r: FeedbackRating): 1 | -1 {
  return r === 'up' || r === 1 ? 1 : -1;
}

// ---------------------------------------------------------------------------------------------- files
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex SHA-256');

export const FileRecordBody = z.object({
  name: z.string().min(1).max(255),
  mime_type: z.string().min(1).max(127),
  size_bytes: z.number().int().nonnegative(),
  sha256: Sha256Hex.optional(),
  storage_path: z.string().max(1024).optional(),
  session_id: RowId.optional(),
  metadata: JsonObject.optional(),
});
export type FileRecordBody = z.infer<typeof FileRecordBody>;

export const FileRecord = z.object({
  id: RowId,
  session_id: RowId.nullable(),
  name: z.string(),
  mime_type: z.string(),
  size_bytes: z.number().int().nonnegative(),
  sha256: z.string().nullable(),
  storage_path: z.string().nullable(),
  metadata: JsonObject,
  created_at: IsoTimestamp,
});
export type FileRecord = z.infer<typeof FileRecord>;

// ---------------------------------------------------------------------------------------------- export
export const UserExport = z.object({
  user_id: UserId,
  exported_at: IsoTimestamp,
  sessions: z.array(ChatSession),
  messages: z.array(ChatMessage),
  feedback: z.array(Feedback),
  files: z.array(FileRecord),
});
export type UserExport = z.infer<typeof UserExport>;

// ---------------------------------------------------------------------------------------------- knowledge
/**
 * A page of a list, newest first: `limit` items (default 50), older than `before`, the `next_before` cursor of the
 * previous page. The cursor is opaque to clients: pass back what the server gave.
 */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,400}$/, 'not a cursor: pass the next_before value of the previous page')
    .optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface PageCursor {
  at: string;
  id: string;
}

/** The cursor after `item`: base64url of [at, id]. */
export function encodePageCursor(cursor: PageCursor): string {
  return btoa(JSON.stringify([cursor.at, cursor.id]))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodePageCursor(text: string): PageCursor | null {
  try {
    const parsed: unknown = JSON.parse(atob(text.replaceAll('-', '+').replaceAll('_', '/')));
    const ok = z.tuple([z.string().min(1).max(64), z.string().min(1).max(64)]).safeParse(parsed);
    return ok.success ? { at: ok.data[0], id: ok.data[1] } : null;
  } catch {
    return null;
  }
}

export const KnowledgeSearchQuery = z.object({
  q: z.string().min(1).max(500),
  limit: z.coerce.number().int().min(1).max(50).default(8),
  category: KnowledgeCategory.optional(),
});
export type KnowledgeSearchQuery = z.infer<typeof KnowledgeSearchQuery>;

/**
 * One ranked hit. `score` is the engine's relevance divided by the best relevance of the same query:
 * the best hit has 1 and the others fall in (0, 1], hits come sorted by score. Engines differ in raw
 * scale (SQLite bm25, PostgreSQL ts_rank), so compare scores within one result, not across queries.
 */
export const KnowledgeHit = KnowledgeEntry.pick({
  id: true,
  title: true,
  category: true,
  topic: true,
  body: true,
  parameters: true,
  tags: true,
}).extend({ score: z.number().gt(0).lte(1) });
export type KnowledgeHit = z.infer<typeof KnowledgeHit>;

// ---------------------------------------------------------------------------------------------- metrics
export const MetricRow = z.object({
  route: z.string().min(1).max(200),
  method: z.string().min(1).max(10),
  status: z.number().int().min(100).max(599),
  duration_ms: z.number().nonnegative(),
  user_id: UserId.nullable().optional(),
  meta: JsonObject.optional(),
  created_at: IsoTimestamp.optional(),
});
export type MetricRow = z.infer<typeof MetricRow>;

// ---------------------------------------------------------------------------------------------- diagnostics
export const TableName = z.enum([
  'music_knowledge',
  'chat_sessions',
  'messages',
  'chat_history',
  'user_feedback',
  'api_metrics',
  'codette_files',
]);
export type TableName = z.infer<typeof TableName>;

export const TableStatus = z.object({
  table: TableName,
  ok: z.boolean(),
  rows: z.number().int().nonnegative().nullable(),
  error: z.string().optional(),
});
export type TableStatus = z.infer<typeof TableStatus>;

export const StoreKind = z.enum(['sqlite', 'supabase']);
export type StoreKind = z.infer<typeof StoreKind>;

/** What GET /api/db (or similar) answers: tables probed at call time. */
export const DatabaseDiagnostics = z.object({
  kind: StoreKind,
  ok: z.boolean(),
  location: z.string(),
  latency_ms: z.number().nonnegative(),
  tables: z.array(TableStatus),
});
export type DatabaseDiagnostics = z.infer<typeof DatabaseDiagnostics>;

export const RlsPolicy = z.object({
  name: z.string(),
  command: z.enum(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'ALL']),
  roles: z.array(z.string()),
  using: z.string().nullable(),
  with_check: z.string().nullable(),
});
export type RlsPolicy = z.infer<typeof RlsPolicy>;

export const RlsTable = z.object({
  table: z.string(),
  kind: z.enum(['table', 'view']),
  rls_enabled: z.boolean(),
  security_invoker: z.boolean(),
  policies: z.array(RlsPolicy),
});
export type RlsTable = z.infer<typeof RlsTable>;

export const RlsDiagnostics = z.object({
  kind: StoreKind,
  /** 'postgres': read from the live database's catalog; 'declared': what the migrations define, not enforced here. */
  source: z.enum(['postgres', 'declared']),
  note: z.string(),
  tables: z.array(RlsTable),
});
export type RlsDiagnostics = z.infer<typeof RlsDiagnostics>;
