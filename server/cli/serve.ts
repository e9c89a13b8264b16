import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from '../../shared/schemas/settings';
import type { Settings } from '../config';
import { ensureDataDir, startServer, StartError } from '../start';
import { LOG_DIR_NAME, logFilePath, serverLogger } from './log-file';
import { clearState, findRunning, writeState, type ServerState } from './state';

const SHUTDOWN_DEADLINE_MS = 4500;
const DETACHED_START_MS = 15_000;

/**
 * The log levels of a start: the console stays quiet (warnings and errors) unless a level was asked for with
 * --log-level or CODETTE_LOG_LEVEL; the log file gets the requests too (info) unless a level was asked for.
 */
export function logLevels(asked: LogLevel | undefined): { console: LogLevel; file: LogLevel } {
  return { console: asked ?? 'warn', file: asked ?? 'info' };
}

const startLine = (version: string, url: string, settings: Settings, kind: string, logFile: string) =>
  `Codette ${version} is listening on ${url} (data directory ${settings.dataDir}, database ${kind}, log ${logFile})`;

/** Runs the server in this process until SIGINT/SIGTERM. */
export async function serve(
  settings: Settings,
  askedLevel: LogLevel | undefined,
  env: Record<string, string | undefined>,
): Promise<void> {
  ensureDataDir(settings.dataDir);
  const already = await findRunning(settings.dataDir);
  if (already) {
    throw new StartError(
      `Codette is already running on this data directory at ${already.state.url} (pid ${already.state.pid}). Stop it first with \`codette stop\`.`,
    );
  }
  const levels = logLevels(askedLevel);
  const { log, file } = serverLogger(settings.dataDir, levels.console, levels.file);
  const running = await startServer(settings, log, { env });
  writeState(settings.dataDir, {
    pid: process.pid,
    url: running.url,
    version: running.services.version,
    started_at: running.services.startedAt.toISOString(),
    log_file: file.path,
  });
  process.stdout.write(
    `${startLine(running.services.version, running.url, settings, running.services.store.kind, file.path)}\n`,
  );
  log.info('started', {
    url: running.url,
    data_dir: settings.dataDir,
    database: running.services.store.kind,
    pid: process.pid,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    setTimeout(() => {
      log.error('shutdown took too long; exiting anyway', { deadline_ms: SHUTDOWN_DEADLINE_MS });
      clearState(settings.dataDir);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await running.close();
    clearState(settings.dataDir);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * Starts the server as a process of its own that outlives this one (for people without a terminal, the native
 * messaging host and the login service), waits until it answers, and prints where.
 */
export async function serveDetached(
  settings: Settings,
  entry: string,
  args: string[],
): Promise<{ line: string; state: ServerState; started: boolean }> {
  ensureDataDir(settings.dataDir);
  const already = await findRunning(settings.dataDir);
  if (already)
    return {
      line: `Codette ${already.state.version} is already running at ${already.state.url}`,
      state: already.state,
      started: false,
    };
  mkdirSync(join(settings.dataDir, LOG_DIR_NAME), { recursive: true });
  const errFile = join(settings.dataDir, LOG_DIR_NAME, 'start-errors.log');
  const err = openSync(errFile, 'w');
  const child = spawn(process.execPath, [...process.execArgv, entry, 'start', ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', err],
    env: { ...process.env, CODETTE_DATA_DIR: settings.dataDir },
    windowsHide: true,
  });
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  child.unref();
  const deadline = Date.now() + DETACHED_START_MS;
  while (Date.now() < deadline) {
    if (exited !== null) {
      const why = readFileSync(errFile, 'utf8')
        .trim()
        .replace(/^codette: /, '');
      throw new StartError(why || `the server exited with code ${exited}; see ${logFilePath(settings.dataDir)}`);
    }
    const running = await findRunning(settings.dataDir);
    if (running) {
      const line = `Codette ${running.state.version} is listening on ${running.state.url} (pid ${running.state.pid}; \`codette stop\` stops it)`;
      return { line, state: running.state, started: true };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new StartError(
    `Codette did not answer within ${DETACHED_START_MS / 1000} s; see ${logFilePath(settings.dataDir)}`,
  );
}
