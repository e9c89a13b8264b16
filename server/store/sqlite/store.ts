/**
 * Embedded store: SQLite through better-sqlite3, one file in the data directory.
 *
 * Durability: WAL journal + synchronous=NORMAL. A transaction is in the WAL file (in the OS page cache at
 * least) when its COMMIT returns, so an acknowledged write survives the process being killed (SIGKILL, crash):
 * the next open replays the WAL. It does NOT survive a power loss or kernel crash before the OS flushes;
 * `synchronous: 'FULL'` (an fsync per commit) closes that gap at a cost per write.
 *
 * The parts: connection.ts opens and checks the file, group-commit.ts batches writes into shared transactions,
 * checkpoint-policy.ts moves the WAL off the event loop,
 * knowledge.ts keeps the knowledge table and its index, queries.ts holds the SQL, rows.ts maps rows, errors.ts maps
 * engine errors to StoreError.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ImportBody, ImportResult } from '../../../shared/schemas/backup';
import type { KnowledgeEntry } from '../../../shared/schemas/knowledge';
import {
  TableName,
  type AddFeedbackResult,
  type AppendMessageBody,
  type AppendMessageResult,
  type ChatMessage,
  type ChatSession,
  type ChatSessionSummary,
  type CreateSessionBody,
  type FeedbackBody,
  type FileRecord,
  type FileRecordBody,
  type JsonValue,
  type KnowledgeHit,
  type MetricRow,
  type TableStatus,
  type UserExport,
} from '../../../shared/schemas/persistence';
import { StoreError } from '../errors';
import { MetricsBuffer, type MetricsBufferOptions } from '../metrics-buffer';
import type { CodetteStore, PageOptions, SearchOptions } from '../types';
import { WalCheckpointer } from './checkpointer';
import { CheckpointPolicy } from './checkpoint-policy';
import { ClientIdTable } from './client-ids';
import { closeQuietly, migrate, openConnection } from './connection';
import { isBusyError, sqliteError } from './errors';
import { GroupCommit } from './group-commit';
import { importUserRows } from './import';
import { KnowledgeTable } from './knowledge';
import { countRows, SQL } from './queries';
import {
  feedbackOf,
  fileOf,
  iso,
  messageOf,
  newFeedbackRow,
  newFileRow,
  newMessageRow,
  newSessionRow,
  pageParams,
  sessionOf,
  type FeedbackRow,
  type FileRow,
  type MessageRow,
  type SessionRow,
} from './rows';

/**
 * After opening, SQLite itself waits at most this long for a lock: better-sqlite3 waits synchronously, so a longer
 * wait would freeze the event loop (issue 13.4). A write that finds the file locked goes back in the queue and is
 * tried again, asynchronously, with growing pauses, until its own deadline (busyTimeoutMs): see group-commit.ts.
 */
const LOCK_SLICE_MS = 5;
const DAY_MS = 86_400_000;

export interface SqliteStoreOptions {
  /** Path of the database file (created with its folder when missing). */
  path: string;
  /** How long a write waits for another connection's lock before failing with 'locked' (without blocking). Default 5000. */
  busyTimeoutMs?: number;
  /** 'NORMAL' (default, survives process kill) or 'FULL' (also survives power loss). */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long remembered client ids are kept. Default 7 days. */
  clientIdTtlMs?: number;
  /**
   * The knowledge's source of truth (server/engine/knowledge/data). When given, the table is brought in line
   * with it at open (only when its content hash changed): entries upserted, entries no longer in it removed.
   */
  knowledge?: readonly KnowledgeEntry[];
  /** Batching of recordMetric(). */
  metrics?: Omit<MetricsBufferOptions, 'write'>;
}

export function knowledgeHash(entries: readonly KnowledgeEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

/** Open (creating and migrating as needed) the embedded store. Rejects with StoreError. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return SqliteStore.open(options);
}

const closedError = (doing: string) => new StoreError('internal', 'The store is closed.', { doing });

export class SqliteStore implements CodetteStore {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private closed = false;
  private readonly metrics: MetricsBuffer;
  private readonly queue: GroupCommit;
  private readonly checkpoints: CheckpointPolicy;
  private readonly knowledge = new KnowledgeTable((sql) => this.statement(sql));
  private readonly clientIds: ClientIdTable;

  /** One transaction wrapper for every write: better-sqlite3 prepares BEGIN/COMMIT each time one is made. */
  private transactionRunner?: Database.Transaction<(fn: () => unknown) => unknown>;
  private runner() {
    return (this.transactionRunner ??= this.db.transaction((fn: () => unknown) => fn()));
  }
  /** Runs `fn` in a BEGIN IMMEDIATE transaction: writers queue on the lock instead of failing midway. */
  private immediately<T>(fn: () => T): T {
    const result = this.runner().immediate(fn) as T;
    this.checkpoints.afterWrite();
    return result;
  }
  private inTransaction<T>(fn: () => T): T {
    return this.runner()(fn) as T;
  }

  /** Writes committed and the commits that carried them: their ratio is how much group commit saves. */
  get writeStats(): { readonly writes: number; readonly commits: number } {
    return this.queue.stats;
  }

  /** Prepared statements are compiled once and kept: preparing costs more than running most of them. */
  private readonly statements = new Map<string, Database.Statement>();
  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private constructor(
    private readonly db: Database.Database,
    options: SqliteStoreOptions,
  ) {
    this.location = options.path;
    this.clientIds = new ClientIdTable((sql) => this.statement(sql), options.clientIdTtlMs ?? 7 * DAY_MS);
    this.metrics = new MetricsBuffer({ ...options.metrics, write: (rows) => this.writeMetrics(rows) });
    this.checkpoints = new CheckpointPolicy(() => new WalCheckpointer(this.location));
    this.queue = new GroupCommit({
      runner: {
        immediate: (fn) => this.immediately(fn),
        nested: (fn) => this.inTransaction(fn),
        inTransaction: () => this.db.inTransaction,
      },
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      isBusy: isBusyError,
      toError: (e, doing) => sqliteError(e, this.location, doing),
      lockedAtClose: (doing) =>
        sqliteError({ code: 'SQLITE_BUSY', message: 'database is locked' }, this.location, doing),
    });
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    const path = options.path;
    const { db, version } = openConnection(path, {
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      synchronous: options.synchronous ?? 'NORMAL',
    });
    try {
      const store = new SqliteStore(db, options);
      migrate(db, version);
      // A write probe: a read-only file or a lock held by another process must fail now, not at the first message.
      db.exec('BEGIN IMMEDIATE; ROLLBACK;');
      if (options.knowledge) store.syncKnowledge(options.knowledge);
      // Built now (~35 ms for 380 entries) rather than by the first question, which would wait for it.
      store.knowledge.index();
      store.clientIds.prune();
      // From now on a lock is waited for asynchronously (see LOCK_SLICE_MS), and checkpoints run on a thread.
      db.pragma(`busy_timeout = ${LOCK_SLICE_MS}`);
      db.pragma('wal_autocheckpoint = 0');
      store.checkpoints.enable();
      return store;
    } catch (e) {
      closeQuietly(db);
      throw sqliteError(e, path, 'opening the database');
    }
  }

  /** Bring the knowledge table in line with the data files (no-op when their hash is unchanged). */
  syncKnowledge(entries: readonly KnowledgeEntry[]): number {
    const hash = knowledgeHash(entries);
    if (this.knowledge.holds(hash)) return 0;
    return this.immediately(() => this.knowledge.replaceAll(entries, hash));
  }

  private write<T>(doing: string, fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(closedError(doing));
    return this.queue.write(doing, fn);
  }

  private run<T>(doing: string, fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(closedError(doing));
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(sqliteError(e, this.location, doing));
    }
  }

  /** Answers at once: fails with 'locked' while another process holds the write lock (a write would have to wait). */
  ping(): Promise<void> {
    return this.run('pinging', () => {
      this.statement(SQL.ping).get();
      if (this.db.inTransaction) return;
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.metrics.close();
    // What is queued runs now; what another process still locks out fails rather than after the store is gone.
    this.queue.close();
    this.closed = true;
    await this.checkpoints.close();
    try {
      this.db.pragma('optimize');
    } catch {
      /* best effort */
    }
    this.db.close();
  }

  // ------------------------------------------------------------------------------------- knowledge
  upsertKnowledge(entries: readonly KnowledgeEntry[]): Promise<number> {
    return this.write('upserting knowledge', () => this.knowledge.upsert(entries));
  }

  searchKnowledge(query: string, options: SearchOptions = {}): Promise<KnowledgeHit[]> {
    return this.run('searching the knowledge', () =>
      this.knowledge.index().search(query, {
        limit: options.limit ?? 8,
        ...(options.category ? { category: options.category } : {}),
      }),
    );
  }

  getKnowledge(id: string): Promise<KnowledgeEntry | null> {
    return this.run('reading knowledge', () => this.knowledge.get(id));
  }

  countKnowledge(): Promise<number> {
    return this.run('counting knowledge', () => this.knowledge.count());
  }

  // ------------------------------------------------------------------------------------- chat
  private requireSession(userId: string, sessionId: string): void {
    if (!this.statement(SQL.sessionExists).get(sessionId, userId))
      throw new StoreError('not_found', `Session ${sessionId} not found.`, { field: 'session_id' });
  }

  createSession(userId: string, body: CreateSessionBody = {}): Promise<ChatSession> {
    return this.write('creating a session', () => {
      const row = newSessionRow(body);
      this.statement(SQL.insertSession).run({ ...row, user_id: userId });
      return sessionOf(row);
    });
  }

  appendMessage(userId: string, body: AppendMessageBody): Promise<AppendMessageResult> {
    return this.write('appending a message', (): AppendMessageResult => {
      if (body.client_id !== undefined) {
        const existing = this.statement(SQL.messageByClientId).get(userId, body.client_id) as MessageRow | undefined;
        if (existing) return { message: messageOf(existing), created: false };
      }
      this.requireSession(userId, body.session_id);
      const row = newMessageRow(body);
      this.statement(SQL.insertMessage).run({ ...row, user_id: userId });
      this.statement(SQL.touchSession).run(row.created_at, body.session_id);
      return { message: messageOf(row), created: true };
    });
  }

  listSessions(userId: string, page: PageOptions = {}): Promise<ChatSessionSummary[]> {
    return this.run('listing sessions', () => {
      const rows = this.statement(SQL.listSessions).all({ user: userId, ...pageParams(page) }) as (SessionRow & {
        message_count: number;
        last_message_at: string | null;
      })[];
      return rows.map((r) => ({ ...sessionOf(r), message_count: r.message_count, last_message_at: r.last_message_at }));
    });
  }

  listMessages(userId: string, sessionId: string): Promise<ChatMessage[]> {
    return this.run('listing messages', () => {
      this.requireSession(userId, sessionId);
      return (this.statement(SQL.sessionMessages).all(sessionId, userId) as MessageRow[]).map(messageOf);
    });
  }

  deleteSession(userId: string, sessionId: string): Promise<boolean> {
    return this.write('deleting a session', () => this.statement(SQL.deleteSession).run(sessionId, userId).changes > 0);
  }

  addFeedback(userId: string, body: FeedbackBody): Promise<AddFeedbackResult> {
    return this.write('adding feedback', (): AddFeedbackResult => {
      if (body.client_id !== undefined) {
        const existing = this.statement(SQL.feedbackByClientId).get(userId, body.client_id) as FeedbackRow | undefined;
        if (existing) return { feedback: feedbackOf(existing), created: false };
      }
      if (!this.statement(SQL.messageExists).get(body.message_id, userId)) {
        throw new StoreError('not_found', `Message ${body.message_id} not found.`, { field: 'message_id' });
      }
      const row = newFeedbackRow(body);
      this.statement(SQL.insertFeedback).run({ ...row, user_id: userId });
      return { feedback: feedbackOf(row), created: true };
    });
  }

  recordFile(userId: string, body: FileRecordBody): Promise<FileRecord> {
    return this.write('recording a file', (): FileRecord => {
      if (body.session_id !== undefined) this.requireSession(userId, body.session_id);
      const row = newFileRow(body);
      this.statement(SQL.insertFile).run({ ...row, user_id: userId });
      return fileOf(row);
    });
  }

  listFiles(userId: string, page: PageOptions = {}): Promise<FileRecord[]> {
    return this.run('listing files', () =>
      (this.statement(SQL.listFiles).all({ user: userId, ...pageParams(page) }) as FileRow[]).map(fileOf),
    );
  }

  exportUserData(userId: string): Promise<UserExport> {
    const all = <R>(sql: string) => this.statement(sql).all(userId) as R[];
    return this.run('exporting user data', () =>
      this.inTransaction((): UserExport => ({
        user_id: userId,
        exported_at: iso(),
        sessions: all<SessionRow>(SQL.userSessions).map(sessionOf),
        messages: all<MessageRow>(SQL.userMessages).map(messageOf),
        feedback: all<FeedbackRow>(SQL.userFeedback).map(feedbackOf),
        files: all<FileRow>(SQL.userFiles).map(fileOf),
      })),
    );
  }

  importUserData(userId: string, data: ImportBody): Promise<ImportResult> {
    return this.write('importing an export', () => importUserRows(this.db, userId, data));
  }

  // ------------------------------------------------------------------------------------- metrics
  recordMetric(row: MetricRow): void {
    this.metrics.push(row);
  }

  writeMetrics(rows: readonly MetricRow[]): Promise<number> {
    if (rows.length === 0) return this.run('writing metrics', () => 0);
    return this.write('writing metrics', () => {
      const stmt = this.statement(SQL.insertMetric);
      for (const r of rows) {
        const meta = JSON.stringify(r.meta ?? {});
        stmt.run(r.route, r.method, r.status, r.duration_ms, r.user_id ?? null, meta, r.created_at ?? null);
      }
      return rows.length;
    });
  }

  // ------------------------------------------------------------------------------------- client-id dedupe
  rememberClientId(clientId: string, result: JsonValue): Promise<void> {
    return this.write('remembering a client id', () => this.clientIds.remember(clientId, result));
  }

  lookupClientId(clientId: string): Promise<JsonValue | null> {
    return this.run('looking up a client id', () => this.clientIds.lookup(clientId));
  }

  // ------------------------------------------------------------------------------------- diagnostics
  async tableStatus(): Promise<TableStatus[]> {
    if (this.closed) throw new StoreError('internal', 'The store is closed.');
    return TableName.options.map((table): TableStatus => {
      try {
        const { n } = this.statement(countRows(table)).get() as { n: number };
        return { table, ok: true, rows: n };
      } catch (e) {
        return { table, ok: false, rows: null, error: sqliteError(e, this.location, `counting ${table}`).message };
      }
    });
  }

  /** For tests and tools: the schema version the file carries. */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }
}
