import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Settings } from '../config';
import { ensureDataDir } from '../start';
import { databasePath, listBackups } from '../backup/sqlite-backup';
import { SQLITE_APPLICATION_ID, SQLITE_SCHEMA_VERSION } from '../store/sqlite/migrations';
import type { Outcome } from './commands';
import { findRunning } from './state';
import type { LlmApi } from '../../shared/schemas/llm';
import { KNOWN_SERVERS, type Candidate } from '../engine/llm/detect';

export type CheckLevel = 'ok' | 'warn' | 'fail' | 'info';
export interface Check {
  level: CheckLevel;
  label: string;
  detail: string;
  /** What to do about it (warn and fail). */
  fix?: string;
}

const MARK: Record<CheckLevel, string> = { ok: '✓', warn: '!', fail: '✗', info: '·' };

/** How each kind of local model server says it is there. */
const PROBE_PATH: Record<LlmApi, string> = { ollama: '/api/tags', openai: '/v1/models' };

async function answers(url: string, timeoutMs = 800): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

function nodeCheck(): Check {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const okVersion = major > 20 || (major === 20 && minor >= 19);
  return okVersion
    ? { level: 'ok', label: 'Node.js', detail: process.version }
    : {
        level: 'fail',
        label: 'Node.js',
        detail: `${process.version} is too old`,
        fix: 'install Node.js 20.19 or newer',
      };
}

async function sqliteModuleCheck(): Promise<Check> {
  try {
    const { default: Database } = await import('better-sqlite3');
    new Database(':memory:').close();
    return { level: 'ok', label: 'SQLite module', detail: 'better-sqlite3 loads' };
  } catch (error) {
    return {
      level: 'fail',
      label: 'SQLite module',
      detail: `better-sqlite3 does not load (${(error as Error).message.split('\n')[0]})`,
      fix: 'reinstall letting its build run: npm install -g --allow-scripts=better-sqlite3 <codette package>',
    };
  }
}

function dataDirCheck(settings: Settings): Check {
  try {
    ensureDataDir(settings.dataDir);
    return { level: 'ok', label: 'data directory', detail: `${settings.dataDir} is writable` };
  } catch (error) {
    return {
      level: 'fail',
      label: 'data directory',
      detail: (error as Error).message,
      fix: 'choose another with --data-dir DIR or CODETTE_DATA_DIR',
    };
  }
}

async function databaseFileCheck(settings: Settings): Promise<Check> {
  const file = databasePath(settings.dataDir);
  if (!existsSync(file))
    return { level: 'info', label: 'database', detail: `none yet: ${file} is made at the first start` };
  try {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const appId = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      if (appId !== SQLITE_APPLICATION_ID)
        return {
          level: 'fail',
          label: 'database',
          detail: `${file} is not Codette's`,
          fix: 'move it aside, or use another --data-dir',
        };
      if (version > SQLITE_SCHEMA_VERSION)
        return {
          level: 'fail',
          label: 'database',
          detail: `${file} was written by a newer Codette`,
          fix: 'update Codette',
        };
      const check = db.pragma('quick_check', { simple: true }) as string;
      if (check !== 'ok')
        return {
          level: 'fail',
          label: 'database',
          detail: `${file} is damaged (${check})`,
          fix: 'restore a backup: codette restore FILE',
        };
      return { level: 'ok', label: 'database', detail: `${file} (schema ${version}) passes its check` };
    } finally {
      db.close();
    }
  } catch (error) {
    return {
      level: 'fail',
      label: 'database',
      detail: `${file} cannot be read (${(error as Error).message})`,
      fix: 'restore a backup: codette restore FILE',
    };
  }
}

async function llmChecks(settings: Settings, servers: readonly Candidate[]): Promise<Check[]> {
  if (settings.llm) {
    const up =
      (await answers(`${settings.llm.url.replace(/\/+$/, '')}/v1/models`)) || (await answers(settings.llm.url));
    return [
      up
        ? { level: 'ok', label: 'LLM server', detail: `${settings.llm.url} answers (model ${settings.llm.model})` }
        : {
            level: 'warn',
            label: 'LLM server',
            detail: `${settings.llm.url} does not answer: Codette answers by itself meanwhile`,
            fix: 'start it, or unset CODETTE_LLM_URL',
          },
    ];
  }
  const found = await Promise.all(servers.map(async (s) => ((await answers(s.url + PROBE_PATH[s.api])) ? s : null)));
  const up = found.filter((s) => s !== null);
  if (up.length === 0)
    return [
      {
        level: 'info',
        label: 'LLM server',
        detail: 'none on 11434, 1234 or 8080 (optional: Codette answers from its own knowledge)',
      },
    ];
  return up.map((s) => ({
    level: 'info',
    label: 'LLM server',
    detail: `${s.name} answers at ${s.url}: set CODETTE_LLM_URL=${s.url} to let it write the answers`,
  }));
}

function backupCheck(settings: Settings): Check {
  if (settings.supabase.url && settings.supabase.serviceRoleKey)
    return { level: 'info', label: 'backups', detail: "Supabase mode: the project's own backups" };
  const last = listBackups(settings.dataDir)[0];
  if (!last)
    return {
      level: 'warn',
      label: 'backups',
      detail: 'none yet',
      fix: 'codette backup (the server also takes one at start and daily)',
    };
  const hours = (Date.now() - Date.parse(last.created_at)) / 3_600_000;
  return hours > 48
    ? {
        level: 'warn',
        label: 'backups',
        detail: `the last is ${Math.round(hours / 24)} days old: ${last.file}`,
        fix: 'codette backup',
      }
    : { level: 'ok', label: 'backups', detail: `last ${last.created_at} (${last.file})` };
}

export async function runChecks(
  settings: Settings,
  extraChecks: Check[] = [],
  llmServers: readonly Candidate[] = KNOWN_SERVERS,
): Promise<Check[]> {
  const checks: Check[] = [nodeCheck(), await sqliteModuleCheck(), dataDirCheck(settings)];
  const running = await findRunning(settings.dataDir);
  if (running) {
    const { state, health } = running;
    checks.push({
      level: 'ok',
      label: 'server',
      detail: `running at ${state.url} (pid ${state.pid}, ${health.status})`,
    });
    const db = health.database;
    checks.push(
      db?.ok
        ? {
            level: 'ok',
            label: 'database',
            detail: `${db.kind} answers${db.latency_ms !== null ? ` in ${db.latency_ms} ms` : ''}`,
          }
        : {
            level: 'fail',
            label: 'database',
            detail: `${db?.kind ?? 'database'} does not answer`,
            fix: `see \`codette logs\` and ${state.url}/api/diagnostics/database`,
          },
    );
    checks.push(
      health.websocket_clients > 0
        ? { level: 'ok', label: 'extension', detail: `${health.websocket_clients} connection(s)` }
        : {
            level: 'warn',
            label: 'extension',
            detail: 'no extension connected',
            fix: 'open the Codette side panel in your browser (load the extension first if needed)',
          },
    );
  } else {
    const free = await portFree(settings.host, settings.port || 0);
    checks.push(
      free
        ? {
            level: 'warn',
            label: 'server',
            detail: `not running; port ${settings.port} on ${settings.host} is free`,
            fix: 'start it: codette (or codette start --detach)',
          }
        : {
            level: 'fail',
            label: 'server',
            detail: `not running, and port ${settings.port} on ${settings.host} is taken by another program`,
            fix: `start with --port ${settings.port + 1} (and set that port in the extension's options)`,
          },
    );
    checks.push(await databaseFileCheck(settings));
    checks.push({ level: 'info', label: 'extension', detail: 'not checked: the server is not running' });
  }
  checks.push(backupCheck(settings), ...extraChecks, ...(await llmChecks(settings, llmServers)));
  return checks;
}

export function formatChecks(checks: readonly Check[]): Outcome {
  const lines = checks.map((c) => `${MARK[c.level]} ${c.label}: ${c.detail}${c.fix ? `\n    → ${c.fix}` : ''}`);
  const failures = checks.filter((c) => c.level === 'fail').length;
  const warnings = checks.filter((c) => c.level === 'warn').length;
  lines.push(
    failures
      ? `${failures} problem(s) to fix.`
      : warnings
        ? `Codette can run; ${warnings} thing(s) worth a look.`
        : 'All good.',
  );
  return { code: failures ? 1 : 0, lines };
}
