import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves the WAL into the database file from a worker thread, on its own connection, so that the fsync of a
 * checkpoint never stalls the event loop (with SQLite's automatic checkpoint it would, every ~1000 pages written, and
 * show as a 40 ms answer now and then). PASSIVE: it takes what it can without waiting for the server's connection.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

export class WalCheckpointer {
  readonly #worker: Worker;

  constructor(path: string, everyMs = 1000) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, everyMs } });
    this.#worker.unref();
    this.#worker.on('error', () => undefined);
  }

  /** Runs a last checkpoint and stops the thread. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    // Held while closing, so that a process awaiting close() is not ended with the promise unsettled.
    this.#worker.ref();
    this.#worker.postMessage('close');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await this.#worker.terminate();
  }
}
