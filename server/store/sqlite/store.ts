/**
 * Embedded store: SQLite through better-sqlite3, one file in the data directory.
 *
 * Durability: WAL journal + synchronous=NORMAL. A transaction is in the WAL file (in the OS page cache at
 * least) when its COMMIT returns, so an acknowledged write survives the process being killed (SIGKILL, crash):
 * the next open replays the WAL. It does NOT survive a power loss or kernel crash before the OS flushes;
 * `synchronous: 'FULL'` (an fsync per commit) closes that gap at a cost per write.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { randomUUID, createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { KnowledgeEntry } from '../../../shared/schemas/knowledge';
import {
  ratingValue,
  type AddFeedbackResult,
  type AppendMessageBody,
  type AppendMessageResult,
  type ChatMessage,
  type ChatSession,
  type ChatSessionSummary,
  type CreateSessionBody,
  type Feedback,
  type FeedbackBody,
  type FileRecord,
  type FileRecordBody,
  type JsonObject,
  type JsonValue,
  type KnowledgeHit,
  type MetricRow,
  type RlsDiagnostics,
  type TableStatus,
  type UserExport,
  TableName,
} from '../../../shared/schemas/persistence';
import { StoreError } from '../errors';
import { DECLARED_RLS, EMBEDDED_RLS_NOTE } from '../policies';
import { MetricsBuffer, type MetricsBufferOptions } from '../metrics-buffer';
import { WalCheckpointer } from './checkpointer';
import { importUserRows } from './import';
import type { ImportBody, ImportResult } from '../../../shared/schemas/backup';

/**
 * After opening, SQLite itself waits at most this long for a lock: better-sqlite3 waits synchronously, so a longer
 * wait would freeze the event loop (issue 13.4). A write that finds the file locked goes back in the queue and is
 * tried again, asynchronously, with growing pauses, until its own deadline (busyTimeoutMs).
 */
const LOCK_SLICE_MS = 5;
const LOCK_RETRY_FIRST_MS = 10;
const LOCK_RETRY_MAX_MS = 250;
const QUIET_MS = 60_000;
import { KnowledgeIndex } from '../knowledge-index';
import type { CodetteStore, PageOptions, SearchOptions } from '../types';
import { SQLITE_APPLICATION_ID, SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './migrations';

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

const DAY_MS = 86_400_000;

interface SqliteErrorLike {
  code?: unknown;
  message?: unknown;
}

/** Map a better-sqlite3 / fs error to a StoreError whose message says what to do. */
export function sqliteError(e: unknown, path: string, doing: string): StoreError {
  if (e instanceof StoreError) return e;
  const err = (e ?? {}) as SqliteErrorLike;
  const code = typeof err.code === 'string' ? err.code : '';
  const msg = typeof err.message === 'string' ? err.message : String(e);
  const details = { path, sqlite_code: code || undefined, doing };
  if (isBusy(code)) {
    // Sent to clients: the file's name, not where it is on this machine.
    return new StoreError(
      'locked',
      `The database (${basename(path)} in Codette's data directory) is locked by another process (${msg}). Close the ` +
        'other Codette server or tool using this file and try again; nothing stored was lost.',
      { sqlite_code: code || undefined, doing },
      { cause: e },
    );
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code === 'EACCES' ||
    code === 'EROFS' ||
    code === 'EPERM' ||
    code.startsWith('SQLITE_CANTOPEN')
  ) {
    return new StoreError(
      'read_only',
      `Cannot write the database ${path} (${msg}). Give Codette write access to the file and its folder ` +
        '(or point CODETTE_DATA_DIR at a writable folder); nothing stored was changed.',
      details,
      { cause: e },
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(
      'corrupt',
      `The database ${path} is damaged or is not a SQLite database (${msg}). Codette left it untouched: move ` +
        'it aside (keep a copy) to start with a fresh one, or restore it from a backup.',
      details,
      { cause: e },
    );
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StoreError(
      'read_only',
      `The disk holding ${path} is full (${msg}). Free some space and retry.`,
      details,
      {
        cause: e,
      },
    );
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new StoreError('invalid', `A value was refused by the database while ${doing}: ${msg}`, details, {
      cause: e,
    });
  }
  return new StoreError('internal', `Database error while ${doing}: ${msg}`, details, { cause: e });
}

const isBusy = (code: string) => code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
const isBusyError = (e: unknown) => {
  const code = (e as SqliteErrorLike | null)?.code;
  return typeof code === 'string' && isBusy(code);
};

const iso = (d = new Date()) => d.toISOString();
/** Keyset page parameters; SQLite reads a negative limit as "no limit". */
const pageParams = (page: PageOptions) => ({
  limit: page.limit ?? -1,
  at: page.before?.at ?? null,
  id: page.before?.id ?? null,
});
const parseJson = <T>(text: string): T => JSON.parse(text) as T;

interface PendingWrite {
  /** When it gives up waiting for another process's lock (performance.now()). */
  deadline: number;
  doing: string;
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

interface KnowledgeRow {
  id: string;
  topic: string;
  category: string;
  title: string;
  body: string;
  parameters: string;
  tags: string;
}
interface SessionRow {
  id: string;
  title: string;
  perspective: string | null;
  created_at: string;
  updated_at: string;
}
interface MessageRow {
  id: string;
  session_id: string;
  role: ChatMessage['role'];
  content: string;
  client_id: string | null;
  perspective: string | null;
  confidence: number | null;
  sources: string;
  actions: string;
  metadata: string;
  created_at: string;
}
interface FeedbackRow {
  id: string;
  message_id: string;
  rating: number;
  comment: string | null;
  client_id: string | null;
  created_at: string;
}
interface FileRow {
  id: string;
  session_id: string | null;
  name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string | null;
  storage_path: string | null;
  metadata: string;
  created_at: string;
}

const knowledgeOf = (r: KnowledgeRow): KnowledgeEntry => ({
  id: r.id,
  topic: r.topic,
  category: r.category as KnowledgeEntry['category'],
  title: r.title,
  body: r.body,
  parameters: parseJson<KnowledgeEntry['parameters']>(r.parameters),
  tags: parseJson<string[]>(r.tags),
});
const sessionOf = (r: SessionRow): ChatSession => ({
  id: r.id,
  title: r.title,
  perspective: r.perspective,
  created_at: r.created_at,
  updated_at: r.updated_at,
});
const messageOf = (r: MessageRow): ChatMessage => ({
  id: r.id,
  session_id: r.session_id,
  role: r.role,
  content: r.content,
  client_id: r.client_id,
  perspective: r.perspective,
  confidence: r.confidence,
  sources: parseJson<JsonValue[]>(r.sources),
  actions: parseJson<JsonValue[]>(r.actions),
  metadata: parseJson<JsonObject>(r.metadata),
  created_at: r.created_at,
});
const feedbackOf = (r: FeedbackRow): Feedback => ({
  id: r.id,
  message_id: r.message_id,
  rating: r.rating === 1 ? 1 : -1,
  comment: r.comment,
  client_id: r.client_id,
  created_at: r.created_at,
});
const fileOf = (r: FileRow): FileRecord => ({
  id: r.id,
  session_id: r.session_id,
  name: r.name,
  mime_type: r.mime_type,
  size_bytes: r.size_bytes,
  sha256: r.sha256,
  storage_path: r.storage_path,
  metadata: parseJson<JsonObject>(r.metadata),
  created_at: r.created_at,
});

export function knowledgeHash(entries: readonly KnowledgeEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

/** Open (creating and migrating as needed) the embedded store. Rejects with StoreError. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return SqliteStore.open(options);
}

export class SqliteStore implements CodetteStore {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private closed = false;
  private readonly ttlMs: number;
  private readonly metrics: MetricsBuffer;

  /** One transaction wrapper for every write: better-sqlite3 prepares BEGIN/COMMIT each time one is made. */
  private transactionRunner?: Database.Transaction<(fn: () => unknown) => unknown>;
  private runner() {
    return (this.transactionRunner ??= this.db.transaction((fn: () => unknown) => fn()));
  }
  /** Runs `fn` in a BEGIN IMMEDIATE transaction: writers queue on the lock instead of failing midway. */
  private immediately<T>(fn: () => T): T {
    const result = this.runner().immediate(fn) as T;
    this.afterWrite();
    return result;
  }
  private inTransaction<T>(fn: () => T): T {
    return this.runner()(fn) as T;
  }

  /**
   * Group commit. Every write the routes ask for waits for the next turn of the event loop and goes into one
   * transaction with the writes that arrived meanwhile (under load, those of many requests), each under its own
   * savepoint: a write that fails is rolled back and rejected alone, the others commit. A promise resolves only
   * after the COMMIT, so "resolved" still means "durable". One commit instead of one per write is most of the cost
   * saved: a commit appends every page it touched to the WAL.
   */
  private pendingWrites: PendingWrite[] = [];
  private flushScheduled = false;
  /** While another process holds the write lock: the pause before the next try (grows), and its timer. */
  private lockRetryMs = 0;
  private lockTimer?: NodeJS.Timeout;
  /** Writes committed and the commits that carried them: their ratio is how much group commit saves. */
  readonly writeStats = { writes: 0, commits: 0 };
  private write<T>(doing: string, fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('internal', 'The store is closed.', { doing }));
    return new Promise<T>((resolve, reject) => {
      this.pendingWrites.push({
        deadline: performance.now() + this.busyTimeoutMs,
        doing,
        fn,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.flushScheduled && !this.lockTimer) {
        this.flushScheduled = true;
        setImmediate(() => this.flushWrites());
      }
    });
  }

  /**
   * Another process holds the write lock (BEGIN IMMEDIATE got SQLITE_BUSY, so nothing of the batch ran): the writes
   * whose deadline has passed fail as 'locked', the others wait for the next try, without blocking the event loop.
   */
  private waitForLock(batch: PendingWrite[], error: unknown): void {
    const now = performance.now();
    const waiting = batch.filter((item) => {
      if (now < item.deadline && !this.closed) return true;
      item.reject(sqliteError(error, this.location, item.doing));
      return false;
    });
    this.pendingWrites = [...waiting, ...this.pendingWrites];
    if (this.pendingWrites.length === 0) {
      this.lockRetryMs = 0;
      return;
    }
    this.lockRetryMs = Math.min(LOCK_RETRY_MAX_MS, this.lockRetryMs ? this.lockRetryMs * 2 : LOCK_RETRY_FIRST_MS);
    this.lockTimer = setTimeout(() => {
      this.lockTimer = undefined;
      this.flushWrites();
    }, this.lockRetryMs);
  }

  private flushWrites(): void {
    this.flushScheduled = false;
    const batch = this.pendingWrites;
    this.pendingWrites = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const only = batch[0]!;
      try {
        const value = this.immediately(only.fn);
        this.writeStats.writes += 1;
        this.writeStats.commits += 1;
        this.lockRetryMs = 0;
        only.resolve(value);
      } catch (e) {
        if (isBusyError(e) && !this.db.inTransaction) this.waitForLock(batch, e);
        else only.reject(sqliteError(e, this.location, only.doing));
      }
      return;
    }
    const settle: (() => void)[] = [];
    try {
      this.immediately(() => {
        for (const item of batch) {
          try {
            const value = this.inTransaction(item.fn); // nested: a savepoint
            settle.push(() => item.resolve(value));
          } catch (e) {
            // An error that ended the whole transaction (disk full, I/O) fails the batch; any other only this write.
            if (!this.db.inTransaction) throw e;
            settle.push(() => item.reject(sqliteError(e, this.location, item.doing)));
          }
        }
      });
    } catch (e) {
      if (isBusyError(e) && settle.length === 0) this.waitForLock(batch, e);
      else for (const item of batch) item.reject(sqliteError(e, this.location, item.doing));
      return;
    }
    this.lockRetryMs = 0;
    this.writeStats.writes += batch.length;
    this.writeStats.commits += 1;
    for (const s of settle) s();
  }

  /**
   * Checkpoints never run on the event loop (the server's connection has wal_autocheckpoint = 0): a thread
   * (WalCheckpointer) moves the WAL into the database file while writes come, so that a checkpoint's fsync never
   * stalls answers (30-50 ms pauses under load, issue 13.4). It starts with the first write and stops, after a last
   * checkpoint, once a minute passes without one, so an idle server carries no extra thread.
   */
  private checkpointer?: WalCheckpointer;
  private quietTimer?: NodeJS.Timeout;

  private afterWrite(): void {
    if (!this.checkpointer && !this.closed && this.offLoopCheckpoints)
      this.checkpointer = new WalCheckpointer(this.location);
    if (this.checkpointer) {
      clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => void this.stopCheckpointer(), QUIET_MS);
      this.quietTimer.unref();
    }
  }

  private async stopCheckpointer(): Promise<void> {
    const running = this.checkpointer;
    if (!running) return;
    this.checkpointer = undefined;
    clearTimeout(this.quietTimer);
    await running.close();
  }

  /** Set once the store is open: migrations and the knowledge sync at start checkpoint as usual. */
  private offLoopCheckpoints = false;

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

  private readonly busyTimeoutMs: number;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteStoreOptions,
  ) {
    this.location = options.path;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.ttlMs = options.clientIdTtlMs ?? 7 * DAY_MS;
    this.metrics = new MetricsBuffer({ ...options.metrics, write: (rows) => this.writeMetrics(rows) });
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    const path = options.path;
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw sqliteError(e, path, 'creating the data folder');
    }
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (e) {
      throw sqliteError(e, path, 'opening the database');
    }
    try {
      // Order matters: the first statement that reads the file tells a corrupt or foreign file apart.
      const appId = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SQLITE_SCHEMA_VERSION) {
        throw new StoreError(
          'newer_schema',
          `The database ${path} was written by a newer Codette (schema version ${version}; this one knows up to ` +
            `${SQLITE_SCHEMA_VERSION}). Update Codette, or point CODETTE_DATA_DIR at another folder. The file was not changed.`,
          { path, found_version: version, supported_version: SQLITE_SCHEMA_VERSION },
        );
      }
      if (appId !== 0 && appId !== SQLITE_APPLICATION_ID) {
        throw new StoreError(
          'corrupt',
          `${path} is a SQLite database of another application (application_id ${appId}), not Codette's. ` +
            'Point CODETTE_DATA_DIR at another folder; the file was not changed.',
          { path, application_id: appId },
        );
      }
      const journal = db.pragma('journal_mode = WAL', { simple: true });
      if (journal !== 'wal') {
        throw new StoreError(
          'read_only',
          `Cannot switch ${path} to WAL mode (got ${String(journal)}): the file or its folder is not writable.`,
          { path },
        );
      }
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') {
        throw new StoreError(
          'corrupt',
          `The database ${path} failed its integrity check (${String(check)}). Codette left it untouched: move it ` +
            'aside (keep a copy) to start fresh, or restore a backup.',
          { path },
        );
      }
      const store = new SqliteStore(db, options);
      store.migrate(version);
      // A write probe: a read-only file or a lock held by another process must fail now, not at the first message.
      db.exec('BEGIN IMMEDIATE; ROLLBACK;');
      if (options.knowledge) store.syncKnowledge(options.knowledge);
      // Built now (~35 ms for 380 entries) rather than by the first question, which would wait for it.
      store.currentIndex();
      store.pruneClientIds();
      // From now on a lock is waited for asynchronously (see LOCK_SLICE_MS), and checkpoints run on a thread.
      db.pragma(`busy_timeout = ${LOCK_SLICE_MS}`);
      db.pragma('wal_autocheckpoint = 0');
      store.offLoopCheckpoints = true;
      return store;
    } catch (e) {
      try {
        db.close();
      } catch {
        /* already failing */
      }
      throw sqliteError(e, path, 'opening the database');
    }
  }

  private migrate(found: number): void {
    for (const m of SQLITE_MIGRATIONS) {
      if (m.version <= found) continue;
      this.immediately(() => {
        const now = this.db.pragma('user_version', { simple: true }) as number;
        if (now >= m.version) return; // another process migrated meanwhile
        this.db.exec(m.sql);
        this.db.pragma(`application_id = ${SQLITE_APPLICATION_ID}`);
        this.db.pragma(`user_version = ${m.version}`);
      });
    }
  }

  /** Bring the knowledge table in line with the data files (no-op when their hash is unchanged). */
  syncKnowledge(entries: readonly KnowledgeEntry[]): number {
    const hash = knowledgeHash(entries);
    const row = this.statement(`select value from codette_meta where key = 'knowledge_hash'`).get() as
      { value: string } | undefined;
    if (row?.value === hash) return 0;
    return this.immediately(() => {
      const changed = this.upsertKnowledgeSync(entries);
      const ids = JSON.stringify(entries.map((e) => e.id));
      const removed = this.statement(
        `delete from music_knowledge where id not in (select value from json_each(?))`,
      ).run(ids).changes;
      this.statement(
        `insert into codette_meta (key, value) values ('knowledge_hash', ?) on conflict (key) do update set value = excluded.value`,
      ).run(hash);
      this.knowledgeIndex = undefined;
      return changed + removed;
    });
  }

  private run<T>(doing: string, fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('internal', 'The store is closed.', { doing }));
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(sqliteError(e, this.location, doing));
    }
  }

  /** Answers at once: fails with 'locked' while another process holds the write lock (a write would have to wait). */
  ping(): Promise<void> {
    return this.run('pinging', () => {
      this.statement('select 1').get();
      if (this.db.inTransaction) return;
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.metrics.close();
    clearTimeout(this.lockTimer);
    this.lockTimer = undefined;
    this.flushWrites();
    this.closed = true;
    // Still locked out by another process: what waits fails now rather than after the store is gone.
    clearTimeout(this.lockTimer);
    this.lockTimer = undefined;
    const busy = { code: 'SQLITE_BUSY', message: 'database is locked' };
    for (const item of this.pendingWrites.splice(0)) item.reject(sqliteError(busy, this.location, item.doing));
    await this.stopCheckpointer();
    try {
      this.db.pragma('optimize');
    } catch {
      /* best effort */
    }
    this.db.close();
  }

  // ------------------------------------------------------------------------------------- knowledge
  private upsertKnowledgeSync(entries: readonly KnowledgeEntry[]): number {
    const stmt = this.statement(`
      insert into music_knowledge (id, topic, category, title, body, parameters, tags, tags_text)
      values (@id, @topic, @category, @title, @body, @parameters, @tags, @tags_text)
      on conflict (id) do update set topic = excluded.topic, category = excluded.category, title = excluded.title,
        body = excluded.body, parameters = excluded.parameters, tags = excluded.tags, tags_text = excluded.tags_text,
        updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
      where (topic, category, title, body, parameters, tags) is not
            (excluded.topic, excluded.category, excluded.title, excluded.body, excluded.parameters, excluded.tags)`);
    let changed = 0;
    for (const e of entries) {
      changed += stmt.run({
        id: e.id,
        topic: e.topic,
        category: e.category,
        title: e.title,
        body: e.body,
        parameters: JSON.stringify(e.parameters),
        tags: JSON.stringify(e.tags),
        tags_text: e.tags.join(' '),
      }).changes;
    }
    return changed;
  }

  upsertKnowledge(entries: readonly KnowledgeEntry[]): Promise<number> {
    return this.write('upserting knowledge', () => {
      const changed = this.upsertKnowledgeSync(entries);
      if (changed) this.knowledgeIndex = undefined;
      return changed;
    });
  }

  searchKnowledge(query: string, options: SearchOptions = {}): Promise<KnowledgeHit[]> {
    return this.run('searching the knowledge', () =>
      this.currentIndex().search(query, {
        limit: options.limit ?? 8,
        ...(options.category ? { category: options.category } : {}),
      }),
    );
  }

  /**
   * The in-memory index of the knowledge table (server/store/knowledge-index.ts). This connection's own knowledge
   * writes drop it; another process's writes are noticed through `data_version` (one cheap pragma per search), and
   * the index is rebuilt only when the knowledge rows themselves changed.
   */
  private knowledgeIndex?: { index: KnowledgeIndex; dataVersion: number; fingerprint: string };
  private currentIndex(): KnowledgeIndex {
    const dataVersion = (this.statement('pragma data_version').get() as { data_version: number }).data_version;
    const cached = this.knowledgeIndex;
    if (cached && cached.dataVersion === dataVersion) return cached.index;
    const fingerprint = this.knowledgeFingerprint();
    if (cached && cached.fingerprint === fingerprint) {
      cached.dataVersion = dataVersion;
      return cached.index;
    }
    const rows = this.statement(
      'select id, topic, category, title, body, parameters, tags from music_knowledge order by id',
    ).all() as KnowledgeRow[];
    const index = KnowledgeIndex.build(rows.map(knowledgeOf));
    this.knowledgeIndex = { index, dataVersion, fingerprint };
    return index;
  }
  private knowledgeFingerprint(): string {
    const r = this.statement(
      `select count(*) as n, coalesce(max(updated_at), '') as u, total(kid) as k from music_knowledge`,
    ).get() as { n: number; u: string; k: number };
    return `${r.n}|${r.u}|${r.k}`;
  }

  getKnowledge(id: string): Promise<KnowledgeEntry | null> {
    return this.run('reading knowledge', () => {
      const r = this.statement('select * from music_knowledge where id = ?').get(id) as KnowledgeRow | undefined;
      return r ? knowledgeOf(r) : null;
    });
  }

  countKnowledge(): Promise<number> {
    return this.run(
      'counting knowledge',
      () => (this.statement('select count(*) as n from music_knowledge').get() as { n: number }).n,
    );
  }

  // ------------------------------------------------------------------------------------- chat
  createSession(userId: string, body: CreateSessionBody = {}): Promise<ChatSession> {
    return this.write('creating a session', () => {
      const now = iso();
      const row: SessionRow = {
        id: randomUUID(),
        title: body.title?.trim() || 'New session',
        perspective: body.perspective ?? null,
        created_at: now,
        updated_at: now,
      };
      this.statement(
        `insert into chat_sessions (id, user_id, title, perspective, created_at, updated_at) values (@id, @user_id, @title, @perspective, @created_at, @updated_at)`,
      ).run({ ...row, user_id: userId });
      return sessionOf(row);
    });
  }

  private messageByClientId(userId: string, clientId: string): MessageRow | undefined {
    return this.statement('select * from messages where user_id = ? and client_id = ?').get(userId, clientId) as
      MessageRow | undefined;
  }

  appendMessage(userId: string, body: AppendMessageBody): Promise<AppendMessageResult> {
    return this.write('appending a message', (): AppendMessageResult => {
      if (body.client_id !== undefined) {
        const existing = this.messageByClientId(userId, body.client_id);
        if (existing) return { message: messageOf(existing), created: false };
      }
      const session = this.statement('select 1 from chat_sessions where id = ? and user_id = ?').get(
        body.session_id,
        userId,
      );
      if (!session) throw new StoreError('not_found', `Session ${body.session_id} not found.`, { field: 'session_id' });
      const row: MessageRow = {
        id: randomUUID(),
        session_id: body.session_id,
        role: body.role,
        content: body.content,
        client_id: body.client_id ?? null,
        perspective: body.perspective ?? null,
        confidence: body.confidence ?? null,
        sources: JSON.stringify(body.sources ?? []),
        actions: JSON.stringify(body.actions ?? []),
        metadata: JSON.stringify(body.metadata ?? {}),
        created_at: iso(),
      };
      this.statement(
        `insert into messages (id, session_id, user_id, role, content, client_id, perspective, confidence, sources, actions, metadata, created_at)
           values (@id, @session_id, @user_id, @role, @content, @client_id, @perspective, @confidence, @sources, @actions, @metadata, @created_at)`,
      ).run({ ...row, user_id: userId });
      this.statement('update chat_sessions set updated_at = ? where id = ?').run(row.created_at, body.session_id);
      return { message: messageOf(row), created: true };
    });
  }

  listSessions(userId: string, page: PageOptions = {}): Promise<ChatSessionSummary[]> {
    return this.run('listing sessions', () => {
      const rows = this.statement(
        `select s.*, (select count(*) from messages m where m.session_id = s.id) as message_count,
                  (select max(m.created_at) from messages m where m.session_id = s.id) as last_message_at
           from chat_sessions s
           where s.user_id = @user and (@at is null or s.updated_at < @at or (s.updated_at = @at and s.id < @id))
           order by s.updated_at desc, s.id desc
           limit @limit`,
      ).all({ user: userId, ...pageParams(page) }) as (SessionRow & {
        message_count: number;
        last_message_at: string | null;
      })[];
      return rows.map((r) => ({ ...sessionOf(r), message_count: r.message_count, last_message_at: r.last_message_at }));
    });
  }

  listMessages(userId: string, sessionId: string): Promise<ChatMessage[]> {
    return this.run('listing messages', () => {
      if (!this.statement('select 1 from chat_sessions where id = ? and user_id = ?').get(sessionId, userId)) {
        throw new StoreError('not_found', `Session ${sessionId} not found.`, { field: 'session_id' });
      }
      const rows = this.statement(
        'select * from messages where session_id = ? and user_id = ? order by created_at, seq',
      ).all(sessionId, userId) as MessageRow[];
      return rows.map(messageOf);
    });
  }

  deleteSession(userId: string, sessionId: string): Promise<boolean> {
    return this.write(
      'deleting a session',
      () => this.statement('delete from chat_sessions where id = ? and user_id = ?').run(sessionId, userId).changes > 0,
    );
  }

  addFeedback(userId: string, body: FeedbackBody): Promise<AddFeedbackResult> {
    return this.write('adding feedback', (): AddFeedbackResult => {
      if (body.client_id !== undefined) {
        const existing = this.statement('select * from user_feedback where user_id = ? and client_id = ?').get(
          userId,
          body.client_id,
        ) as FeedbackRow | undefined;
        if (existing) return { feedback: feedbackOf(existing), created: false };
      }
      if (!this.statement('select 1 from messages where id = ? and user_id = ?').get(body.message_id, userId)) {
        throw new StoreError('not_found', `Message ${body.message_id} not found.`, { field: 'message_id' });
      }
      const row: FeedbackRow = {
        id: randomUUID(),
        message_id: body.message_id,
        rating: ratingValue(body.rating),
        comment: body.comment ?? null,
        client_id: body.client_id ?? null,
        created_at: iso(),
      };
      this.statement(
        `insert into user_feedback (id, user_id, message_id, rating, comment, client_id, created_at) values (@id, @user_id, @message_id, @rating, @comment, @client_id, @created_at)`,
      ).run({ ...row, user_id: userId });
      return { feedback: feedbackOf(row), created: true };
    });
  }

  recordFile(userId: string, body: FileRecordBody): Promise<FileRecord> {
    return this.write('recording a file', (): FileRecord => {
      if (
        body.session_id !== undefined &&
        !this.statement('select 1 from chat_sessions where id = ? and user_id = ?').get(body.session_id, userId)
      ) {
        throw new StoreError('not_found', `Session ${body.session_id} not found.`, { field: 'session_id' });
      }
      const row: FileRow = {
        id: randomUUID(),
        session_id: body.session_id ?? null,
        name: body.name,
        mime_type: body.mime_type,
        size_bytes: body.size_bytes,
        sha256: body.sha256 ?? null,
        storage_path: body.storage_path ?? null,
        metadata: JSON.stringify(body.metadata ?? {}),
        created_at: iso(),
      };
      this.statement(
        `insert into codette_files (id, user_id, session_id, name, mime_type, size_bytes, sha256, storage_path, metadata, created_at)
           values (@id, @user_id, @session_id, @name, @mime_type, @size_bytes, @sha256, @storage_path, @metadata, @created_at)`,
      ).run({ ...row, user_id: userId });
      return fileOf(row);
    });
  }

  listFiles(userId: string, page: PageOptions = {}): Promise<FileRecord[]> {
    return this.run('listing files', () =>
      (
        this.statement(
          `select * from codette_files
           where user_id = @user and (@at is null or created_at < @at or (created_at = @at and id < @id))
           order by created_at desc, id desc
           limit @limit`,
        ).all({ user: userId, ...pageParams(page) }) as FileRow[]
      ).map(fileOf),
    );
  }

  exportUserData(userId: string): Promise<UserExport> {
    return this.run('exporting user data', () =>
      this.inTransaction((): UserExport => ({
        user_id: userId,
        exported_at: iso(),
        sessions: (
          this.statement('select * from chat_sessions where user_id = ? order by created_at, id').all(
            userId,
          ) as SessionRow[]
        ).map(sessionOf),
        messages: (
          this.statement('select * from messages where user_id = ? order by created_at, seq').all(
            userId,
          ) as MessageRow[]
        ).map(messageOf),
        feedback: (
          this.statement('select * from user_feedback where user_id = ? order by created_at, id').all(
            userId,
          ) as FeedbackRow[]
        ).map(feedbackOf),
        files: (
          this.statement('select * from codette_files where user_id = ? order by created_at, id').all(
            userId,
          ) as FileRow[]
        ).map(fileOf),
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
      const stmt = this.statement(
        `insert into api_metrics (route, method, status, duration_ms, user_id, meta, created_at)
         values (?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`,
      );
      for (const r of rows) {
        stmt.run(
          r.route,
          r.method,
          r.status,
          r.duration_ms,
          r.user_id ?? null,
          JSON.stringify(r.meta ?? {}),
          r.created_at ?? null,
        );
      }
      return rows.length;
    });
  }

  // ------------------------------------------------------------------------------------- client-id dedupe
  private cutoff(): string {
    return iso(new Date(Date.now() - this.ttlMs));
  }

  private pruneClientIds(): number {
    return this.statement('delete from applied_client_ids where created_at < ?').run(this.cutoff()).changes;
  }

  rememberClientId(clientId: string, result: JsonValue): Promise<void> {
    return this.write('remembering a client id', () => {
      this.pruneClientIds();
      this.statement(
        'insert into applied_client_ids (client_id, result, created_at) values (?, ?, ?) on conflict (client_id) do nothing',
      ).run(clientId, JSON.stringify(result), iso());
    });
  }

  lookupClientId(clientId: string): Promise<JsonValue | null> {
    return this.run('looking up a client id', () => {
      const r = this.statement('select result from applied_client_ids where client_id = ? and created_at >= ?').get(
        clientId,
        this.cutoff(),
      ) as { result: string } | undefined;
      return r ? parseJson<JsonValue>(r.result) : null;
    });
  }

  // ------------------------------------------------------------------------------------- diagnostics
  async tableStatus(): Promise<TableStatus[]> {
    if (this.closed) throw new StoreError('internal', 'The store is closed.');
    return TableName.options.map((table): TableStatus => {
      try {
        const { n } = this.statement(`select count(*) as n from "${table}"`).get() as { n: number };
        return { table, ok: true, rows: n };
      } catch (e) {
        return { table, ok: false, rows: null, error: sqliteError(e, this.location, `counting ${table}`).message };
      }
    });
  }

  async rlsPolicies(): Promise<RlsDiagnostics> {
    return {
      kind: 'sqlite',
      source: 'declared',
      note: EMBEDDED_RLS_NOTE,
      tables: DECLARED_RLS.map((t) => ({ ...t, policies: [...t.policies] })),
    };
  }

  /** For tests and tools: the schema version the file carries. */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }
}
