import type { LogLevel } from '../shared/schemas/settings';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEY = /(key|token|secret|password|authorization|cookie|jwt)/i;

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Values under a secret-looking key never reach the log, whatever a caller passes. */
function redact(fields: LogFields): LogFields {
  let out: LogFields | undefined;
  for (const key of Object.keys(fields)) {
    if (SECRET_KEY.test(key)) {
      out ??= { ...fields };
      out[key] = '[redacted]';
    }
  }
  return out ?? fields;
}

/** One JSON object per line, so logs can be read by people and by `jq`. */
export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const threshold = RANK[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < threshold) return;
    const record = { time: new Date().toISOString(), level: lvl, msg, ...(fields ? redact(fields) : undefined) };
    write(JSON.stringify(record) + '\n');
  };
  return {
    level,
    enabled: (lvl) => RANK[lvl] >= threshold,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
