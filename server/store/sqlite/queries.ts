/**
 * The SQL of the embedded store, one constant per statement, so that the schema's users can be read in one place
 * (the schema itself is in migrations.ts). Statements are prepared once per connection and kept.
 */
const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

export const SQL = {
  // knowledge (shared by all users)
  upsertKnowledge: `insert into music_knowledge (id, topic, category, title, body, parameters, tags, tags_text)
      values (@id, @topic, @category, @title, @body, @parameters, @tags, @tags_text)
      on conflict (id) do update set topic = excluded.topic, category = excluded.category, title = excluded.title,
        body = excluded.body, parameters = excluded.parameters, tags = excluded.tags, tags_text = excluded.tags_text,
        updated_at = ${NOW}
      where (topic, category, title, body, parameters, tags) is not
            (excluded.topic, excluded.category, excluded.title, excluded.body, excluded.parameters, excluded.tags)`,
  deleteKnowledgeNotIn: `delete from music_knowledge where id not in (select value from json_each(?))`,
  knowledgeHash: `select value from codette_meta where key = 'knowledge_hash'`,
  setKnowledgeHash: `insert into codette_meta (key, value) values ('knowledge_hash', ?)
      on conflict (key) do update set value = excluded.value`,
  allKnowledge: 'select id, topic, category, title, body, parameters, tags from music_knowledge order by id',
  knowledgeFingerprint: `select count(*) as n, coalesce(max(updated_at), '') as u, total(kid) as k from music_knowledge`,
  knowledgeById: 'select * from music_knowledge where id = ?',
  countKnowledge: 'select count(*) as n from music_knowledge',
  dataVersion: 'pragma data_version',

  // chat (owned by a user)
  insertSession: `insert into chat_sessions (id, user_id, title, perspective, created_at, updated_at)
      values (@id, @user_id, @title, @perspective, @created_at, @updated_at)`,
  sessionExists: 'select 1 from chat_sessions where id = ? and user_id = ?',
  touchSession: 'update chat_sessions set updated_at = ? where id = ?',
  listSessions: `select s.*, (select count(*) from messages m where m.session_id = s.id) as message_count,
        (select max(m.created_at) from messages m where m.session_id = s.id) as last_message_at
      from chat_sessions s
      where s.user_id = @user and (@at is null or s.updated_at < @at or (s.updated_at = @at and s.id < @id))
      order by s.updated_at desc, s.id desc
      limit @limit`,
  deleteSession: 'delete from chat_sessions where id = ? and user_id = ?',
  messageByClientId: 'select * from messages where user_id = ? and client_id = ?',
  messageExists: 'select 1 from messages where id = ? and user_id = ?',
  insertMessage: `insert into messages (id, session_id, user_id, role, content, client_id, perspective, confidence, sources,
        actions, metadata, created_at)
      values (@id, @session_id, @user_id, @role, @content, @client_id, @perspective, @confidence, @sources, @actions,
        @metadata, @created_at)`,
  sessionMessages: 'select * from messages where session_id = ? and user_id = ? order by created_at, seq',
  feedbackByClientId: 'select * from user_feedback where user_id = ? and client_id = ?',
  insertFeedback: `insert into user_feedback (id, user_id, message_id, rating, comment, client_id, created_at)
      values (@id, @user_id, @message_id, @rating, @comment, @client_id, @created_at)`,
  insertFile: `insert into codette_files (id, user_id, session_id, name, mime_type, size_bytes, sha256, storage_path,
        metadata, created_at)
      values (@id, @user_id, @session_id, @name, @mime_type, @size_bytes, @sha256, @storage_path, @metadata, @created_at)`,
  listFiles: `select * from codette_files
      where user_id = @user and (@at is null or created_at < @at or (created_at = @at and id < @id))
      order by created_at desc, id desc
      limit @limit`,

  // a user's export
  userSessions: 'select * from chat_sessions where user_id = ? order by created_at, id',
  userMessages: 'select * from messages where user_id = ? order by created_at, seq',
  userFeedback: 'select * from user_feedback where user_id = ? order by created_at, id',
  userFiles: 'select * from codette_files where user_id = ? order by created_at, id',

  // metrics and the client-id dedupe
  insertMetric: `insert into api_metrics (route, method, status, duration_ms, user_id, meta, created_at)
      values (?, ?, ?, ?, ?, ?, coalesce(?, ${NOW}))`,
  pruneClientIds: 'delete from applied_client_ids where created_at < ?',
  rememberClientId: `insert into applied_client_ids (client_id, result, created_at) values (?, ?, ?)
      on conflict (client_id) do nothing`,
  lookupClientId: 'select result from applied_client_ids where client_id = ? and created_at >= ?',

  ping: 'select 1',
} as const;

/** Rows of one table, for the diagnostics (the name comes from TableName, never from a client). */
export const countRows = (table: string) => `select count(*) as n from "${table}"`;
