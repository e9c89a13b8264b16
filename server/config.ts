import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServerEnv, DEFAULT_HOST, DEFAULT_PORT, type LogLevel } from '../shared/schemas/settings';
import { describeIssues } from '../shared/schemas/errors';

export interface SupabaseSettings {
  url?: string;
  anonKey?: string;
  serviceRoleKey?: string;
  jwtSecret?: string;
  /** Which environment variable each value came from, for diagnostics (never the value). */
  sources: Partial<Record<'url' | 'anonKey' | 'serviceRoleKey' | 'jwtSecret', string>>;
}

export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  logLevel: LogLevel;
  token?: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  extensionIds: string[];
  cacheTtlSeconds: number;
  cacheMaxEntries: number;
  bodyLimitBytes: number;
  /** Largest file upload (POST /codette/files, audio analysis). */
  uploadLimitBytes: number;
  /** Requests per minute per client; 0 turns the limit off. */
  rateLimitPerMinute: number;
  tickHz: number;
  wsIdleTimeoutSeconds: number;
  /** Most WebSocket connections at once; an upgrade beyond gets 503. */
  wsMaxClients: number;
  supabase: SupabaseSettings;
  /** An OpenAI-compatible chat completions server (Ollama, LM Studio, llama.cpp); unset: the local engine only. */
  llm?: { url: string; model: string; apiKey?: string; timeoutMs: number };
  /** Local model servers to look for at start and on demand; 'off' looks for none. */
  llmDetect: 'off' | { name: string; url: string; api: 'openai' | 'ollama' }[] | 'default';
  /** The answer deadline for a detected or chosen model. */
  llmTimeoutMs: number;
}

function parseDetect(value: string | undefined): Settings['llmDetect'] {
  if (value === undefined) return 'default';
  if (value === 'off') return 'off';
  return value.split(',').map((pair) => {
    const [api, url] = pair.split('@') as ['openai' | 'ollama', string];
    return { name: url, url: url.replace(/\/+$/, ''), api };
  });
}

/** A setting that cannot work: the message names the variable or flag and what to do. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The flags that are settings (the `codette` command's parser, server/cli/main.ts, reads them). */
export interface CliOptions {
  host?: string;
  port?: string;
  dataDir?: string;
}

function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

export function loadSettings(rawEnv: Record<string, string | undefined>, cli: Partial<CliOptions> = {}): Settings {
  const parsed = ServerEnv.safeParse(withoutEmpty(rawEnv));
  if (!parsed.success) {
    const first = describeIssues(parsed.error.issues)[0]!;
    throw new SettingsError(`Setting ${first.field} is invalid: ${first.message}. Fix it in your .env or environment.`);
  }
  const env = parsed.data;
  const apiUrl = env.VITE_CODETTE_API ? new URL(env.VITE_CODETTE_API) : undefined;

  const host = cli.host ?? env.CODETTE_HOST ?? apiUrl?.hostname ?? DEFAULT_HOST;
  if (!isLoopbackHost(host)) {
    throw new SettingsError(
      `Host "${host}" is not a loopback address: Codette only listens on 127.0.0.1, ::1 or localhost so that other machines cannot reach it. Use --host 127.0.0.1.`,
    );
  }
  let port = env.CODETTE_PORT ?? (apiUrl?.port ? Number(apiUrl.port) : DEFAULT_PORT);
  if (cli.port !== undefined) {
    port = Number(cli.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new SettingsError(`--port ${cli.port} is not a port number: use a whole number from 1 to 65535.`);
    }
  }

  const pick = <K extends keyof SupabaseSettings['sources']>(key: K, names: (keyof ServerEnv)[]) => {
    for (const name of names) {
      const value = env[name];
      if (typeof value === 'string') return { key, value, name: String(name) };
    }
    return undefined;
  };
  const supabase: SupabaseSettings = { sources: {} };
  for (const found of [
    pick('url', ['SUPABASE_URL', 'VITE_SUPABASE_URL']),
    pick('anonKey', ['SUPABASE_ANON_KEY', 'VITE_SUPABASE_ANON_KEY']),
    pick('serviceRoleKey', ['SUPABASE_SERVICE_ROLE_KEY']),
    pick('jwtSecret', ['SUPABASE_JWT_SECRET']),
  ]) {
    if (!found) continue;
    supabase[found.key] = found.value;
    supabase.sources[found.key] = found.name;
  }

  return {
    host,
    port,
    dataDir: resolve(cli.dataDir ?? env.CODETTE_DATA_DIR ?? join(homedir(), '.codette')),
    logLevel: env.CODETTE_LOG_LEVEL,
    token: env.CODETTE_TOKEN,
    allowedHosts: env.CODETTE_ALLOWED_HOSTS.map((h) => h.toLowerCase()),
    allowedOrigins: env.CODETTE_ALLOWED_ORIGINS.map((o) => o.replace(/\/+$/, '').toLowerCase()),
    extensionIds: env.CODETTE_EXTENSION_IDS,
    cacheTtlSeconds: env.CODETTE_CACHE_TTL,
    cacheMaxEntries: env.CODETTE_CACHE_MAX_ENTRIES,
    bodyLimitBytes: env.CODETTE_BODY_LIMIT,
    uploadLimitBytes: env.CODETTE_UPLOAD_LIMIT,
    rateLimitPerMinute: env.CODETTE_RATE_LIMIT,
    tickHz: env.CODETTE_TICK_HZ,
    wsIdleTimeoutSeconds: env.CODETTE_WS_IDLE_TIMEOUT,
    wsMaxClients: env.CODETTE_WS_MAX_CLIENTS,
    supabase,
    llmDetect: parseDetect(env.CODETTE_LLM_DETECT),
    llmTimeoutMs: env.CODETTE_LLM_TIMEOUT_MS,
    llm: env.CODETTE_LLM_URL
      ? {
          url: env.CODETTE_LLM_URL,
          model: env.CODETTE_LLM_MODEL ?? 'llama3.2',
          apiKey: env.CODETTE_LLM_API_KEY,
          timeoutMs: env.CODETTE_LLM_TIMEOUT_MS,
        }
      : undefined,
  };
}
