import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from '../../shared/schemas/settings';
import { createLogger, type Logger } from '../log';

export const LOG_DIR_NAME = 'logs';
export const LOG_FILE_NAME = 'codette.log';
/** The log file is rotated past this size; `codette.log.1` .. `.KEEP` are the older ones. */
export const ROTATE_BYTES = 5 * 1024 * 1024;
export const KEEP = 3;

export const logFilePath = (dataDir: string) => join(dataDir, LOG_DIR_NAME, LOG_FILE_NAME);

/**
 * JSON lines appended to `<dataDir>/logs/codette.log`, rotated by size. Lines are gathered and written once per
 * turn of the event loop (one write for the lines of many requests), and what is left is written at exit.
 */
export class RotatingLogFile {
  private pending: string[] = [];
  private scheduled = false;
  private size: number;

  constructor(
    readonly path: string,
    private readonly rotateBytes = ROTATE_BYTES,
    private readonly keep = KEEP,
  ) {
    mkdirSync(join(path, '..'), { recursive: true });
    this.size = existsSync(path) ? statSync(path).size : 0;
    process.on('exit', () => this.flush());
  }

  write = (line: string): void => {
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  };

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    if (this.size > 0 && this.size + text.length > this.rotateBytes) this.rotate();
    try {
      appendFileSync(this.path, text);
      this.size += Buffer.byteLength(text);
    } catch {
      // A full or vanished disk must not stop the server: the console still has warnings and errors.
    }
  }

  private rotate(): void {
    rmSync(`${this.path}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--)
      if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.1`);
    this.size = 0;
  }
}

/** One logger that writes to two places, each with its own level (console quiet, file detailed). */
export function teeLogger(a: Logger, b: Logger): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
  const level = order.find((l) => a.enabled(l) || b.enabled(l)) ?? 'silent';
  const both = (name: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    a[name](msg, fields);
    b[name](msg, fields);
  };
  return {
    level,
    enabled: (l) => a.enabled(l) || b.enabled(l),
    debug: both('debug'),
    info: both('info'),
    warn: both('warn'),
    error: both('error'),
  };
}

/** The server's logger: the console at `consoleLevel`, the rotating file at `fileLevel`. */
export function serverLogger(
  dataDir: string,
  consoleLevel: LogLevel,
  fileLevel: LogLevel,
): { log: Logger; file: RotatingLogFile } {
  const file = new RotatingLogFile(logFilePath(dataDir));
  const log = teeLogger(createLogger(consoleLevel), createLogger(fileLevel, file.write));
  return { log, file };
}
