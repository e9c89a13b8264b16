import { existsSync, readFileSync, statSync, watchFile } from 'node:fs';
import { resolve } from 'node:path';
import type { Settings } from '../config';
import { BackupError, createBackup, pruneBackups, restoreBackup } from '../backup/sqlite-backup';
import { logFilePath } from './log-file';
import { clearState, findRunning, processAlive, readState } from './state';

/** What a command prints and the exit code it ends with (0 ok, 1 failed, 3 not running, as `systemctl status`). */
export interface Outcome {
  code: number;
  lines: string[];
}

const ok = (...lines: string[]): Outcome => ({ code: 0, lines });
const failed = (...lines: string[]): Outcome => ({ code: 1, lines });
const usesSupabase = (settings: Settings) => Boolean(settings.supabase.url && settings.supabase.serviceRoleKey);

export async function status(settings: Settings): Promise<Outcome> {
  const running = await findRunning(settings.dataDir);
  if (!running)
    return {
      code: 3,
      lines: [`Codette is not running (data directory ${settings.dataDir}). Start it with \`codette\`.`],
    };
  const { state, health } = running;
  const db = health.database ? `${health.database.kind} ${health.database.ok ? 'ok' : 'NOT OK'}` : 'unknown';
  return ok(
    `Codette ${state.version} is running at ${state.url} (pid ${state.pid}, up ${Math.round(health.uptime_seconds)} s, ${health.status})`,
    `  database ${db} · ${health.websocket_clients} extension connection(s) · log ${state.log_file}`,
    ...health.reasons.map((r) => `  degraded: ${r}`),
  );
}

const STOP_WAIT_MS = 8000;

export async function stop(settings: Settings): Promise<Outcome> {
  const state = readState(settings.dataDir);
  if (!state || !processAlive(state.pid)) {
    if (state) clearState(settings.dataDir, state.pid);
    return ok(`Codette is not running (data directory ${settings.dataDir}).`);
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (processAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (processAlive(state.pid)) {
    process.kill(state.pid, 'SIGKILL');
    clearState(settings.dataDir, state.pid);
    return ok(
      `Codette (pid ${state.pid}) did not stop within ${STOP_WAIT_MS / 1000} s and was killed; acknowledged writes are kept.`,
    );
  }
  return ok(`Codette stopped (pid ${state.pid}).`);
}

/** The last `count` lines of the log file; with `follow`, keeps printing what is appended until interrupted. */
export async function logs(
  settings: Settings,
  count: number,
  follow: boolean,
  write: (text: string) => void,
): Promise<Outcome> {
  const file = logFilePath(settings.dataDir);
  if (!existsSync(file)) return failed(`No log yet at ${file}: Codette has not run with this data directory.`);
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').filter(Boolean);
  write(
    lines
      .slice(-count)
      .map((l) => `${l}\n`)
      .join(''),
  );
  if (!follow) return ok();
  let offset = Buffer.byteLength(text);
  await new Promise<void>(() => {
    watchFile(file, { interval: 300 }, () => {
      const size = existsSync(file) ? statSync(file).size : 0;
      if (size < offset) offset = 0; // rotated
      const all = readFileSync(file);
      write(all.subarray(offset).toString('utf8'));
      offset = all.byteLength;
    });
  });
  return ok();
}

const SUPABASE_BACKUPS =
  "This Codette stores its data in Supabase: backups are your Supabase project's (Dashboard > Database > Backups). " +
  'Your own copy: GET /codette/export, and POST /codette/import to bring it back.';

export async function backup(settings: Settings): Promise<Outcome> {
  if (usesSupabase(settings)) return ok(SUPABASE_BACKUPS);
  try {
    const info = await createBackup(settings.dataDir);
    const removed = pruneBackups(settings.dataDir);
    return ok(
      `Backup written: ${info.file} (${Math.max(1, Math.round(info.bytes / 1024))} KiB)${removed.length ? `; ${removed.length} older backup(s) removed by retention` : ''}.`,
    );
  } catch (error) {
    if (error instanceof BackupError) return failed(error.message);
    throw error;
  }
}

export async function restore(settings: Settings, file: string | undefined): Promise<Outcome> {
  if (!file)
    return failed(
      'Which backup? `codette restore FILE` (the backups are in the backups folder of the data directory).',
    );
  if (usesSupabase(settings)) return failed(SUPABASE_BACKUPS);
  const running = await findRunning(settings.dataDir);
  if (running) {
    return failed(
      `Codette is running on this data directory (pid ${running.state.pid}, ${running.state.url}). Stop it first with \`codette stop\`, then restore.`,
    );
  }
  try {
    const result = await restoreBackup(settings.dataDir, resolve(file));
    return ok(
      `Restored ${result.restored} (schema version ${result.schema_version}).`,
      result.previous ? `The database it replaced is kept at ${result.previous}.` : 'There was no database before.',
    );
  } catch (error) {
    if (error instanceof BackupError) return failed(error.message);
    throw error;
  }
}
