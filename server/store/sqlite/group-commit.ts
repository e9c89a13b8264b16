/**
 * Group commit. Every write waits for the next turn of the event loop and goes into one transaction with the writes
 * that arrived meanwhile (under load, those of many requests), each under its own savepoint: a write that fails is
 * rolled back and rejected alone, the others commit. A promise resolves only after the COMMIT, so "resolved" still
 * means "durable". One commit instead of one per write is most of the cost saved: a commit appends every page it
 * touched to the WAL.
 *
 * While another process holds the write lock (BEGIN IMMEDIATE got SQLITE_BUSY, so nothing of the batch ran), the
 * batch goes back in front of the queue and is tried again with growing pauses, without blocking the event loop,
 * until each write's own deadline; then it fails as 'locked'.
 */

/** How the queue reaches the database: the SQLite store gives better-sqlite3 transactions, tests a fake. */
export interface TransactionRunner {
  /** Runs `fn` in BEGIN IMMEDIATE ... COMMIT; throws (nothing committed) when it fails. */
  immediate<T>(fn: () => T): T;
  /** Runs `fn` in a savepoint of the open transaction: a throw rolls back only `fn`. */
  nested<T>(fn: () => T): T;
  /** Whether a transaction is still open (an I/O error or a full disk ends it). */
  inTransaction(): boolean;
}

export interface GroupCommitOptions {
  runner: TransactionRunner;
  /** How long a write waits for another process's lock before it fails. */
  busyTimeoutMs: number;
  /** Is this the other process's lock (worth waiting for)? */
  isBusy(error: unknown): boolean;
  /** The error a write rejects with: the engine's error turned into one that says what to do. */
  toError(error: unknown, doing: string): Error;
  /** The error of writes still waiting for a lock when the queue closes. */
  lockedAtClose(doing: string): Error;
  now?: () => number;
  timers?: QueueTimers;
}

export interface QueueTimers {
  /** The next turn of the event loop (setImmediate): the writes of this turn go in one transaction. */
  nextTurn(fn: () => void): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: QueueTimers = {
  nextTurn: (fn) => void setImmediate(fn),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const LOCK_RETRY_FIRST_MS = 10;
export const LOCK_RETRY_MAX_MS = 250;

interface PendingWrite {
  /** When it gives up waiting for another process's lock (now()). */
  deadline: number;
  doing: string;
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export class GroupCommit {
  /** Writes committed and the commits that carried them: their ratio is how much group commit saves. */
  readonly stats = { writes: 0, commits: 0 };
  #pending: PendingWrite[] = [];
  #flushScheduled = false;
  /** While another process holds the write lock: the pause before the next try (grows), and its timer. */
  #lockRetryMs = 0;
  #lockTimer: unknown;
  #closed = false;
  readonly #o: GroupCommitOptions;
  readonly #now: () => number;
  readonly #timers: QueueTimers;

  constructor(options: GroupCommitOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#timers = options.timers ?? nodeTimers;
  }

  /** Queues `fn` for the next group transaction; resolves with its value once committed. */
  write<T>(doing: string, fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({
        deadline: this.#now() + this.#o.busyTimeoutMs,
        doing,
        fn,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.#flushScheduled && this.#lockTimer === undefined) {
        this.#flushScheduled = true;
        this.#timers.nextTurn(() => this.flush());
      }
    });
  }

  /** Writes queued and not yet settled. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Runs what is queued now (it would have run at the next turn); the writes still locked out then fail. */
  close(): void {
    this.#stopLockTimer();
    this.flush();
    this.#closed = true;
    this.#stopLockTimer();
    for (const item of this.#pending.splice(0)) item.reject(this.#o.lockedAtClose(item.doing));
  }

  flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    const { runner, isBusy, toError } = this.#o;
    if (batch.length === 1) {
      const only = batch[0]!;
      try {
        const value = runner.immediate(only.fn);
        this.#committed(1);
        only.resolve(value);
      } catch (e) {
        if (isBusy(e) && !runner.inTransaction()) this.#waitForLock(batch, e);
        else only.reject(toError(e, only.doing));
      }
      return;
    }
    const settle: (() => void)[] = [];
    try {
      runner.immediate(() => {
        for (const item of batch) {
          try {
            const value = runner.nested(item.fn);
            settle.push(() => item.resolve(value));
          } catch (e) {
            // An error that ended the whole transaction (disk full, I/O) fails the batch; any other only this write.
            if (!runner.inTransaction()) throw e;
            settle.push(() => item.reject(toError(e, item.doing)));
          }
        }
      });
    } catch (e) {
      if (isBusy(e) && settle.length === 0) this.#waitForLock(batch, e);
      else for (const item of batch) item.reject(toError(e, item.doing));
      return;
    }
    this.#committed(batch.length);
    for (const s of settle) s();
  }

  #committed(writes: number) {
    this.#lockRetryMs = 0;
    this.stats.writes += writes;
    this.stats.commits += 1;
  }

  /** The writes whose deadline has passed fail as 'locked'; the others wait for the next try, in their order. */
  #waitForLock(batch: PendingWrite[], error: unknown): void {
    const now = this.#now();
    const waiting = batch.filter((item) => {
      if (now < item.deadline && !this.#closed) return true;
      item.reject(this.#o.toError(error, item.doing));
      return false;
    });
    this.#pending = [...waiting, ...this.#pending];
    if (this.#pending.length === 0) {
      this.#lockRetryMs = 0;
      return;
    }
    this.#lockRetryMs = Math.min(LOCK_RETRY_MAX_MS, this.#lockRetryMs ? this.#lockRetryMs * 2 : LOCK_RETRY_FIRST_MS);
    this.#lockTimer = this.#timers.setTimeout(() => {
      this.#lockTimer = undefined;
      this.flush();
    }, this.#lockRetryMs);
  }

  #stopLockTimer() {
    if (this.#lockTimer !== undefined) this.#timers.clearTimeout(this.#lockTimer);
    this.#lockTimer = undefined;
  }
}
