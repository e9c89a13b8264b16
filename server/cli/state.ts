import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Health } from '../../shared/schemas/service';

export const STATE_FILE_NAME = 'codette.pid';

/** What a running server writes into its data directory, so that `codette status|stop|restore` can find it. */
export const ServerState = z.object({
  pid: z.number().int().positive(),
  url: z.string().url(),
  version: z.string(),
  started_at: z.string(),
  log_file: z.string(),
});
export type ServerState = z.infer<typeof ServerState>;

export const statePath = (dataDir: string) => join(dataDir, STATE_FILE_NAME);

export function writeState(dataDir: string, state: ServerState): void {
  writeFileSync(statePath(dataDir), JSON.stringify(state, null, 2) + '\n');
}

/** Removes the state file if it is still this process's (a second server may have replaced it). */
export function clearState(dataDir: string, pid = process.pid): void {
  if (readState(dataDir)?.pid === pid) rmSync(statePath(dataDir), { force: true });
}

export function readState(dataDir: string): ServerState | null {
  try {
    const parsed = ServerState.safeParse(JSON.parse(readFileSync(statePath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function fetchHealth(url: string, timeoutMs = 1500): Promise<Health | null> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const parsed = Health.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface Running {
  state: ServerState;
  health: Health;
}

/** The server running on this data directory: its process is alive and its /health answers. */
export async function findRunning(dataDir: string): Promise<Running | null> {
  const state = readState(dataDir);
  if (!state || !processAlive(state.pid)) return null;
  const health = await fetchHealth(state.url);
  return health ? { state, health } : null;
}
