/**
 * When the WAL is moved into the database file. Checkpoints never run on the event loop (the server's connection has
 * wal_autocheckpoint = 0): a thread (WalCheckpointer) does it while writes come, so that a checkpoint's fsync never
 * stalls answers (30-50 ms pauses under load, issue 13.4). It starts with the first write and stops, after a last
 * checkpoint, once `quietMs` pass without a write, so an idle server carries no extra thread.
 */

/** A running checkpointer: stopping it runs a last checkpoint. */
export interface Checkpointer {
  close(): Promise<void>;
}

export interface CheckpointTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: CheckpointTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const QUIET_MS = 60_000;

export class CheckpointPolicy {
  #running?: Checkpointer;
  #quietTimer: unknown;
  /** Off while the store opens (migrations and the knowledge sync checkpoint as usual) and once it closes. */
  #enabled = false;

  constructor(
    private readonly start: () => Checkpointer,
    private readonly quietMs = QUIET_MS,
    private readonly timers: CheckpointTimers = nodeTimers,
  ) {}

  get running(): boolean {
    return this.#running !== undefined;
  }

  enable(): void {
    this.#enabled = true;
  }

  /** After each commit: the thread runs (started if needed) until a quiet period passes. */
  afterWrite(): void {
    if (!this.#running && this.#enabled) this.#running = this.start();
    if (!this.#running) return;
    this.#clearQuiet();
    this.#quietTimer = this.timers.setTimeout(() => void this.stop(), this.quietMs);
  }

  /** Stops the thread after a last checkpoint; the next write starts it again. */
  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = undefined;
    this.#clearQuiet();
    await running.close();
  }

  /** For good: no thread starts again. */
  close(): Promise<void> {
    this.#enabled = false;
    return this.stop();
  }

  #clearQuiet() {
    if (this.#quietTimer !== undefined) this.timers.clearTimeout(this.#quietTimer);
    this.#quietTimer = undefined;
  }
}
