import type { BackupStatus } from '../../shared/schemas/backup';
import type { Logger } from '../log';
import { backupDir, createBackup, listBackups, pruneBackups, RETENTION } from './sqlite-backup';

const DAY_MS = 86_400_000;

/**
 * Automatic backups of the embedded database: one at start, then one a day, each followed by retention.
 * With Supabase there is nothing to back up here (the project's own backups cover it): status says so.
 */
export class BackupSchedule {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastError: string | null = null;

  constructor(
    private readonly mode: 'sqlite' | 'supabase',
    private readonly dataDir: string,
    private readonly log: Logger,
    private readonly everyMs = DAY_MS,
  ) {}

  /** Takes the start backup (not awaited by the server's start) and schedules the daily ones. */
  start(): Promise<void> {
    if (this.mode !== 'sqlite') return Promise.resolve();
    this.timer = setInterval(() => void this.runOnce(), this.everyMs);
    this.timer.unref();
    return this.runOnce();
  }

  /** One backup and retention; failures are logged and shown in status, never thrown at the server. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      try {
        const info = await createBackup(this.dataDir);
        const removed = pruneBackups(this.dataDir);
        this.lastError = null;
        this.log.info('backup written', { file: info.file, bytes: info.bytes, pruned: removed.length });
      } catch (error) {
        this.lastError = (error as Error).message;
        this.log.error('backup failed', { error: this.lastError });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Waits for a backup in progress, and stops the daily timer. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  status(): BackupStatus {
    if (this.mode !== 'sqlite')
      return { mode: 'supabase', dir: null, last: null, last_error: null, policy: { ...RETENTION } };
    return {
      mode: 'sqlite',
      dir: backupDir(this.dataDir),
      last: listBackups(this.dataDir)[0] ?? null,
      last_error: this.lastError,
      policy: { ...RETENTION },
    };
  }
}
