/**
 * openStore(settings): Supabase when both SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are set, else the
 * embedded SQLite database `codette.db` in the data directory. Rejects with StoreError, whose message says
 * what to do ('newer_schema', 'locked', 'read_only', 'corrupt', 'unreachable', 'misconfigured', ...).
 */
import { join } from 'node:path';
import type { KnowledgeEntry } from '../../shared/schemas/knowledge';
import { StoreError } from './errors';
import { KnowledgeSourceError, loadKnowledgeDir } from './knowledge-source';
import type { MetricsBufferOptions } from './metrics-buffer';
import { openSqliteStore } from './sqlite/store';
import type { CodetteStore } from './types';

export interface StoreSettings {
  dataDir: string;
  /** Structurally the server's Settings['supabase']. */
  supabase?: { url?: string; serviceRoleKey?: string; jwtSecret?: string };
  /** Knowledge data folder; false = do not load. Default server/engine/knowledge/data. */
  knowledgeDir?: string | false;
  sqlite?: { busyTimeoutMs?: number; synchronous?: 'NORMAL' | 'FULL' };
  metrics?: Omit<MetricsBufferOptions, 'write'>;
  clientIdTtlMs?: number;
  /** Entries the caller already read (the server reads the data files once at start for the store and the engine). */
  knowledge?: readonly KnowledgeEntry[];
}

export const SQLITE_FILE_NAME = 'codette.db';

/** The knowledge data files, read and validated; a bad file is a StoreError that names it. */
export function readKnowledge(dir?: string | false): KnowledgeEntry[] | undefined {
  if (dir === false) return undefined;
  try {
    return loadKnowledgeDir(dir);
  } catch (e) {
    if (e instanceof KnowledgeSourceError) {
      throw new StoreError('misconfigured', `The knowledge data files are invalid: ${e.message}`, undefined, {
        cause: e,
      });
    }
    throw e;
  }
}

export async function openStore(settings: StoreSettings): Promise<CodetteStore> {
  const { url, serviceRoleKey, jwtSecret } = settings.supabase ?? {};
  if (Boolean(url) !== Boolean(serviceRoleKey)) {
    throw new StoreError(
      'misconfigured',
      url
        ? 'SUPABASE_URL is set but SUPABASE_SERVICE_ROLE_KEY is not: set both to use Supabase, or neither to use the embedded database.'
        : 'SUPABASE_SERVICE_ROLE_KEY is set but SUPABASE_URL is not: set both to use Supabase, or neither to use the embedded database.',
    );
  }
  const knowledge = settings.knowledge ?? readKnowledge(settings.knowledgeDir);
  if (url && serviceRoleKey) {
    // Loaded only when configured: supabase-js would cost the embedded default several MB of memory for nothing.
    const { SupabaseStore } = await import('./supabase/store');
    const store = new SupabaseStore({
      url,
      serviceRoleKey,
      jwtSecret,
      metrics: settings.metrics,
      clientIdTtlMs: settings.clientIdTtlMs,
    });
    try {
      await store.ping();
      // seed.sql fills a fresh project; a project pushed without it gets the knowledge here.
      if (knowledge?.length && (await store.countKnowledge()) === 0) await store.upsertKnowledge(knowledge);
    } catch (e) {
      await store.close().catch(() => undefined);
      throw e;
    }
    return store;
  }
  return openSqliteStore({
    path: join(settings.dataDir, SQLITE_FILE_NAME),
    knowledge,
    busyTimeoutMs: settings.sqlite?.busyTimeoutMs,
    synchronous: settings.sqlite?.synchronous,
    metrics: settings.metrics,
    clientIdTtlMs: settings.clientIdTtlMs,
  });
}
