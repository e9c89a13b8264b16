import { z } from 'zod';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TICK_HZ } from '../constants';

const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1024,
  k: 1024,
  mb: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  g: 1024 ** 3,
};
const byteSize = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim());
      const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
      if (!m || unit === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected a size such as 1048576, 512kb or 1mb, got "${v}"` });
        return z.NEVER;
      }
      return Math.round(Number(m[1]) * unit);
    });

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The server's environment, validated once at start. Seed names (VITE_*) are accepted as fallbacks so that
 * an existing .env from the original deployment keeps working.
 */
export const ServerEnv = z.object({
  CODETTE_HOST: z.string().optional(),
  CODETTE_PORT: int(0, 65_535, DEFAULT_PORT).optional(),
  CODETTE_DATA_DIR: z.string().optional(),
  CODETTE_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  CODETTE_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  CODETTE_ALLOWED_HOSTS: commaList,
  CODETTE_ALLOWED_ORIGINS: commaList,
  CODETTE_EXTENSION_IDS: commaList,
  CODETTE_CACHE_TTL: int(1, 86_400, 300),
  CODETTE_CACHE_MAX_ENTRIES: int(1, 1_000_000, 1000),
  CODETTE_BODY_LIMIT: byteSize(1024 * 1024),
  CODETTE_UPLOAD_LIMIT: byteSize(200 * 1024 * 1024),
  CODETTE_RATE_LIMIT: int(0, 1_000_000, 1200),
  CODETTE_TICK_HZ: int(1, 60, DEFAULT_TICK_HZ),
  CODETTE_WS_IDLE_TIMEOUT: int(0, 3600, 30),
  CODETTE_WS_MAX_CLIENTS: int(1, 100_000, 5000),
  CODETTE_LLM_URL: z.string().url().optional(),
  CODETTE_LLM_MODEL: z.string().min(1).max(200).optional(),
  CODETTE_LLM_API_KEY: z.string().optional(),
  CODETTE_LLM_TIMEOUT_MS: int(500, 600_000, 20_000),
  /** "off", or the model servers to probe as api@url, comma-separated; unset: Ollama, LM Studio and llama.cpp's usual ports. */
  CODETTE_LLM_DETECT: z
    .string()
    .regex(
      /^(?:off|(?:openai|ollama)@https?:\/\/[^,\s]+(?:,(?:openai|ollama)@https?:\/\/[^,\s]+)*)$/,
      'use off, or api@url pairs like ollama@http://127.0.0.1:11434',
    )
    .optional(),
  SUPABASE_URL: z.string().url().optional(),
  SUPABASE_ANON_KEY: z.string().optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().optional(),
  SUPABASE_JWT_SECRET: z.string().optional(),
  VITE_SUPABASE_URL: z.string().url().optional(),
  VITE_SUPABASE_ANON_KEY: z.string().optional(),
  VITE_CODETTE_API: z.string().url().optional(),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

export { DEFAULT_HOST, DEFAULT_PORT };
