import { z } from 'zod';
import { IsoTimestamp, UserExport } from './persistence';

/** One backup file of the embedded database, as `codette backup` and the diagnostics show it. */
export const BackupInfo = z.object({
  /** Absolute path of the file. */
  file: z.string(),
  created_at: IsoTimestamp,
  bytes: z.number().int().nonnegative(),
});
export type BackupInfo = z.infer<typeof BackupInfo>;

/** What /api/diagnostics/status says about backups. */
export const BackupStatus = z.object({
  /** sqlite: automatic backups in `dir`; supabase: the project's own backups (Supabase dashboard), none here. */
  mode: z.enum(['sqlite', 'supabase']),
  dir: z.string().nullable(),
  last: BackupInfo.nullable(),
  /** The last automatic backup failed with this message (cleared by the next success). */
  last_error: z.string().nullable(),
  policy: z.object({ daily: z.number().int(), weekly: z.number().int() }),
});
export type BackupStatus = z.infer<typeof BackupStatus>;

/**
 * The body of POST /codette/import: an export (GET /codette/export) as it was downloaded, checked whole before
 * anything is written. A file cut short fails JSON parsing; one whose rows point at rows it does not hold (a
 * message whose session is missing...) is refused here with the field that points nowhere.
 */
export const ImportBody = UserExport.superRefine((data, ctx) => {
  const sessions = new Set(data.sessions.map((s) => s.id));
  const messages = new Set(data.messages.map((m) => m.id));
  const dangling = (path: (string | number)[], what: string, id: string) =>
    ctx.addIssue({
      code: 'custom',
      path,
      message: `refers to ${what} ${id}, which is not in the file (is the file complete?)`,
    });
  data.messages.forEach((m, i) => {
    if (!sessions.has(m.session_id)) dangling(['messages', i, 'session_id'], 'session', m.session_id);
  });
  data.feedback.forEach((f, i) => {
    if (!messages.has(f.message_id)) dangling(['feedback', i, 'message_id'], 'message', f.message_id);
  });
  data.files.forEach((f, i) => {
    if (f.session_id !== null && !sessions.has(f.session_id))
      dangling(['files', i, 'session_id'], 'session', f.session_id);
  });
  for (const [name, rows] of [
    ['sessions', data.sessions],
    ['messages', data.messages],
    ['feedback', data.feedback],
    ['files', data.files],
  ] as const) {
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      if (seen.has(row.id))
        ctx.addIssue({ code: 'custom', path: [name, i, 'id'], message: `id ${row.id} appears twice` });
      seen.add(row.id);
    });
  }
});
export type ImportBody = z.infer<typeof ImportBody>;

const ImportCounts = z.object({
  sessions: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
  feedback: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

/** Rows added, and rows already there (same id) that were left as they were: importing twice adds nothing. */
export const ImportResult = z.object({ imported: ImportCounts, skipped: ImportCounts });
export type ImportResult = z.infer<typeof ImportResult>;
