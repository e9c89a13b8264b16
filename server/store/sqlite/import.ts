/**
 * An export (GET /codette/export) written back into the embedded database, row ids and timestamps kept: a row whose
 * id is already there is left as it is, so importing the same file twice adds nothing. The caller runs this inside
 * one transaction: a file that fails halfway changes nothing.
 */
import type Database from 'better-sqlite3';
import type { ImportBody, ImportCounts, ImportResult } from '../../../shared/schemas/backup';

const json = (value: unknown) => JSON.stringify(value);

export function importUserRows(db: Database.Database, userId: string, data: ImportBody): ImportResult {
  const imported: ImportCounts = { sessions: 0, messages: 0, feedback: 0, files: 0 };
  // A row is written only under a parent that is this user's: an id held by another user is skipped, never joined.
  const session = db.prepare(
    `insert into chat_sessions (id, user_id, title, perspective, created_at, updated_at)
     values (@id, @user_id, @title, @perspective, @created_at, @updated_at) on conflict do nothing`,
  );
  const message = db.prepare(
    `insert into messages (id, session_id, user_id, role, content, client_id, perspective, confidence, sources, actions, metadata, created_at)
     select @id, @session_id, @user_id, @role, @content, @client_id, @perspective, @confidence, @sources, @actions, @metadata, @created_at
     where exists (select 1 from chat_sessions where id = @session_id and user_id = @user_id)
     on conflict do nothing`,
  );
  const feedback = db.prepare(
    `insert into user_feedback (id, user_id, message_id, rating, comment, client_id, created_at)
     select @id, @user_id, @message_id, @rating, @comment, @client_id, @created_at
     where exists (select 1 from messages where id = @message_id and user_id = @user_id)
     on conflict do nothing`,
  );
  const file = db.prepare(
    `insert into codette_files (id, user_id, session_id, name, mime_type, size_bytes, sha256, storage_path, metadata, created_at)
     select @id, @user_id, @session_id, @name, @mime_type, @size_bytes, @sha256, @storage_path, @metadata, @created_at
     where @session_id is null or exists (select 1 from chat_sessions where id = @session_id and user_id = @user_id)
     on conflict do nothing`,
  );
  for (const s of data.sessions) imported.sessions += session.run({ ...s, user_id: userId }).changes;
  for (const m of data.messages) {
    imported.messages += message.run({
      ...m,
      user_id: userId,
      sources: json(m.sources),
      actions: json(m.actions),
      metadata: json(m.metadata),
    }).changes;
  }
  for (const f of data.feedback) imported.feedback += feedback.run({ ...f, user_id: userId }).changes;
  for (const f of data.files) imported.files += file.run({ ...f, user_id: userId, metadata: json(f.metadata) }).changes;
  return {
    imported,
    skipped: {
      sessions: data.sessions.length - imported.sessions,
      messages: data.messages.length - imported.messages,
      feedback: data.feedback.length - imported.feedback,
      files: data.files.length - imported.files,
    },
  };
}
