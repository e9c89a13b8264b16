import type { ImportBody, ImportResult } from '../../shared/schemas/backup';
import type { KnowledgeCategory, KnowledgeEntry } from '../../shared/schemas/knowledge';
import type {
  AddFeedbackResult,
  AppendMessageBody,
  AppendMessageResult,
  ChatMessage,
  ChatSession,
  ChatSessionSummary,
  CreateSessionBody,
  FeedbackBody,
  FileRecord,
  FileRecordBody,
  JsonValue,
  KnowledgeHit,
  MetricRow,
  StoreKind,
  TableStatus,
  UserExport,
  UserId,
} from '../../shared/schemas/persistence';

/** A keyset page, newest first: at most `limit` rows older than `before` (the last row of the previous page). */
export interface PageOptions {
  limit?: number;
  /** Sessions: their updated_at and id; files: their created_at and id. */
  before?: { at: string; id: string };
}

export interface SearchOptions {
  /** 1..50, default 8. */
  limit?: number;
  category?: KnowledgeCategory;
}

/**
 * Codette's persistence, one interface for both engines.
 *
 * - Methods taking a `userId` only ever see and change that user's rows (another user's session id answers
 *   `not_found`, exactly like a missing one). The routes pass the id they authenticated: the local user in
 *   embedded mode, the verified `sub` of a Supabase access token otherwise.
 * - Every method that resolves has written durably (SQLite: committed in WAL; Supabase: committed by PostgreSQL).
 * - Failures reject with `StoreError` (server/store/errors.ts), never with an engine's own error.
 */
export interface CodetteStore {
  readonly kind: StoreKind;
  /** Where the data lives, for diagnostics: a file path or the Supabase URL (never a secret). */
  readonly location: string;

  /** Resolves when the database answers; rejects with StoreError ('unreachable', 'corrupt', ...). */
  ping(): Promise<void>;
  /** Flushes buffered metrics, waits for writes in flight, releases the database. Idempotent. */
  close(): Promise<void>;

  // knowledge (shared by all users)
  /** Inserts or updates entries by id; returns how many rows changed. */
  upsertKnowledge(entries: readonly KnowledgeEntry[]): Promise<number>;
  /** Ranked hits, best first; score = relevance / best relevance of this query (best = 1). */
  searchKnowledge(query: string, options?: SearchOptions): Promise<KnowledgeHit[]>;
  getKnowledge(id: string): Promise<KnowledgeEntry | null>;
  countKnowledge(): Promise<number>;

  // chat (owned by a user)
  createSession(userId: UserId, body?: CreateSessionBody): Promise<ChatSession>;
  /** Idempotent on body.client_id: a resend returns the stored message with created = false. */
  appendMessage(userId: UserId, body: AppendMessageBody): Promise<AppendMessageResult>;
  /** Most recent activity first (updated_at, then id, descending); everything when no page is given. */
  listSessions(userId: UserId, page?: PageOptions): Promise<ChatSessionSummary[]>;
  /** Oldest first. Rejects with 'not_found' when the session is not this user's. */
  listMessages(userId: UserId, sessionId: string): Promise<ChatMessage[]>;
  /** Deletes the session with its messages and their feedback (files keep their record, unlinked). */
  deleteSession(userId: UserId, sessionId: string): Promise<boolean>;
  /** Idempotent on body.client_id. Rejects with 'not_found' when the message is not this user's. */
  addFeedback(userId: UserId, body: FeedbackBody): Promise<AddFeedbackResult>;
  recordFile(userId: UserId, body: FileRecordBody): Promise<FileRecord>;
  /** Newest first (created_at, then id, descending); everything when no page is given. */
  listFiles(userId: UserId, page?: PageOptions): Promise<FileRecord[]>;
  exportUserData(userId: UserId): Promise<UserExport>;
  /**
   * Writes an export back for this user, ids and timestamps kept, all or nothing. Rows whose id is already stored
   * (or whose parent is not this user's) are skipped, so importing the same file twice adds nothing.
   */
  importUserData(userId: UserId, data: ImportBody): Promise<ImportResult>;

  // metrics: never one write per request
  /** Queues one row; the store's MetricsBuffer writes batches every N ms or M rows, and on close(). Never throws. */
  recordMetric(row: MetricRow): void;
  /** Inserts the rows in one batch; returns how many were written (what the MetricsBuffer calls). */
  writeMetrics(rows: readonly MetricRow[]): Promise<number>;

  // the server's dedupe of client message ids, surviving restarts; entries expire after the store's TTL
  /** Remembers that `clientId` was applied with this result. The first result stays if it is remembered twice. */
  rememberClientId(clientId: string, result: JsonValue): Promise<void>;
  /** The remembered result, or null when unknown or expired. */
  lookupClientId(clientId: string): Promise<JsonValue | null>;

  // diagnostics
  /** For each of the seven tables: does it answer, and how many rows (probed now). */
  tableStatus(): Promise<TableStatus[]>;
}
