/**
 * Versioned migrations of the embedded database. The version lives in `PRAGMA user_version`; each migration
 * runs once, in its own IMMEDIATE transaction, in order. Never edit a released migration: add the next one.
 * The tables mirror supabase/migrations (same names and columns; uuids and timestamps as TEXT, JSON as TEXT
 * checked by json_valid, arrays as JSON text).
 */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_APPLICATION_ID = 0x436f6474; // "Codt": marks the file as Codette's

const NOW = `(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'codette schema: seven tables, FTS5 knowledge index, client-id dedupe',
    sql: `
create table codette_meta (
  key   text primary key,
  value text not null
);

create table music_knowledge (
  kid        integer primary key,               -- stable rowid for the FTS5 index
  id         text not null unique,
  topic      text not null,
  category   text not null,
  title      text not null,
  body       text not null,
  parameters text not null default '{}' check (json_valid(parameters)),
  tags       text not null default '[]' check (json_valid(tags)),
  tags_text  text not null default '',          -- tags joined by spaces, for the index
  created_at text not null default ${NOW},
  updated_at text not null default ${NOW}
);
create index music_knowledge_category_idx on music_knowledge (category);

-- porter stemming over unicode61; external content: the index stores no second copy of the text
create virtual table knowledge_fts using fts5(
  title, tags_text, topic, body,
  content = 'music_knowledge', content_rowid = 'kid',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
create trigger music_knowledge_fts_insert after insert on music_knowledge begin
  insert into knowledge_fts (rowid, title, tags_text, topic, body)
  values (new.kid, new.title, new.tags_text, new.topic, new.body);
end;
create trigger music_knowledge_fts_delete after delete on music_knowledge begin
  insert into knowledge_fts (knowledge_fts, rowid, title, tags_text, topic, body)
  values ('delete', old.kid, old.title, old.tags_text, old.topic, old.body);
end;
create trigger music_knowledge_fts_update after update on music_knowledge begin
  insert into knowledge_fts (knowledge_fts, rowid, title, tags_text, topic, body)
  values ('delete', old.kid, old.title, old.tags_text, old.topic, old.body);
  insert into knowledge_fts (rowid, title, tags_text, topic, body)
  values (new.kid, new.title, new.tags_text, new.topic, new.body);
end;

create table chat_sessions (
  id          text primary key,
  user_id     text not null,
  title       text not null default 'New session',
  perspective text,
  created_at  text not null default ${NOW},
  updated_at  text not null default ${NOW}
);
create index chat_sessions_user_updated_idx on chat_sessions (user_id, updated_at desc);

create table messages (
  seq         integer primary key,              -- stable order within one timestamp
  id          text not null unique,
  session_id  text not null references chat_sessions (id) on delete cascade,
  user_id     text not null,
  role        text not null check (role in ('user', 'assistant', 'system')),
  content     text not null,
  client_id   text,
  perspective text,
  confidence  real check (confidence >= 0 and confidence <= 1),
  sources     text not null default '[]' check (json_valid(sources)),
  actions     text not null default '[]' check (json_valid(actions)),
  metadata    text not null default '{}' check (json_valid(metadata)),
  created_at  text not null default ${NOW},
  unique (user_id, client_id)
);
create index messages_session_created_idx on messages (session_id, created_at, seq);

create view chat_history as
  select m.id, m.user_id, m.session_id, s.title as session_title, m.role, m.content, m.perspective,
         m.confidence, m.sources, m.actions, m.metadata, m.client_id, m.created_at, m.seq
  from messages m join chat_sessions s on s.id = m.session_id;

create table user_feedback (
  id         text primary key,
  user_id    text not null,
  message_id text not null references messages (id) on delete cascade,
  rating     integer not null check (rating in (-1, 1)),
  comment    text,
  client_id  text,
  created_at text not null default ${NOW},
  unique (user_id, client_id)
);
create index user_feedback_user_idx on user_feedback (user_id, created_at desc);
create index user_feedback_message_idx on user_feedback (message_id);

create table api_metrics (
  id          integer primary key,
  route       text not null,
  method      text not null,
  status      integer not null check (status between 100 and 599),
  duration_ms real not null check (duration_ms >= 0),
  user_id     text,
  meta        text not null default '{}' check (json_valid(meta)),
  created_at  text not null default ${NOW}
);
create index api_metrics_created_idx on api_metrics (created_at);
create index api_metrics_route_created_idx on api_metrics (route, created_at);

create table codette_files (
  id           text primary key,
  user_id      text not null,
  session_id   text references chat_sessions (id) on delete set null,
  name         text not null,
  mime_type    text not null,
  size_bytes   integer not null check (size_bytes >= 0),
  sha256       text,
  storage_path text,
  metadata     text not null default '{}' check (json_valid(metadata)),
  created_at   text not null default ${NOW}
);
create index codette_files_user_created_idx on codette_files (user_id, created_at desc);
create index codette_files_session_idx on codette_files (session_id);

create table applied_client_ids (
  client_id  text primary key,
  result     text not null check (json_valid(result)),
  created_at text not null default ${NOW}
);
create index applied_client_ids_created_idx on applied_client_ids (created_at);
`,
  },
  {
    version: 2,
    name: 'knowledge search moves into the process: drop the FTS5 index and its triggers',
    sql: `
drop trigger if exists music_knowledge_fts_insert;
drop trigger if exists music_knowledge_fts_delete;
drop trigger if exists music_knowledge_fts_update;
drop table if exists knowledge_fts;
`,
  },
];

export const SQLITE_SCHEMA_VERSION = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));
