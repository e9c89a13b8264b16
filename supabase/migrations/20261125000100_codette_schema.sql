-- Codette schema: the seven tables (chat_history is a view), indexes, timestamps and row-level security.
-- Written for a real Supabase project: the roles anon / authenticated / service_role, the auth schema,
-- auth.users and auth.uid() already exist there. Nothing here creates them.

-- gen_random_uuid() is built into PostgreSQL 13+: no extension needed.

-- Shared trigger: keep updated_at honest on every update.
create or replace function public.codette_touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- music_knowledge: one row per entry of server/engine/knowledge/data/*.json (seeded by seed.sql).
-- Readable by everyone, written only by the service role.
create table public.music_knowledge (
  id          text primary key check (id ~ '^[a-z0-9]+([-.][a-z0-9]+)*$'),
  topic       text not null check (char_length(topic) between 2 and 80),
  category    text not null,
  title       text not null check (char_length(title) between 5 and 140),
  body        text not null check (char_length(body) between 1 and 2400),
  parameters  jsonb not null default '{}'::jsonb check (jsonb_typeof(parameters) = 'object'),
  tags        text[] not null default '{}',
  -- weights: title A, tags B, topic C, body D (kept by the trigger below; a generated column would need
  -- array_to_string, which is not immutable)
  search      tsvector not null default ''::tsvector,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index music_knowledge_search_idx on public.music_knowledge using gin (search);
create index music_knowledge_category_idx on public.music_knowledge (category);

create or replace function public.codette_knowledge_search_vector() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.search :=
       setweight(to_tsvector('english'::regconfig, coalesce(new.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(array_to_string(new.tags, ' '), '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(new.topic, '')), 'C')
    || setweight(to_tsvector('english'::regconfig, coalesce(new.body, '')), 'D');
  return new;
end;
$$;
create trigger music_knowledge_search before insert or update of title, tags, topic, body
  on public.music_knowledge for each row execute function public.codette_knowledge_search_vector();
create trigger music_knowledge_touch before update on public.music_knowledge
  for each row execute function public.codette_touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- chat_sessions / messages: owned by a user (auth.users.id).
create table public.chat_sessions (
  id          uuid primary key default gen_random_uuid(),
  user_id     uuid not null references auth.users (id) on delete cascade,
  title       text not null default 'New session' check (char_length(title) <= 200),
  perspective text check (char_length(perspective) <= 64),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index chat_sessions_user_updated_idx on public.chat_sessions (user_id, updated_at desc);
create trigger chat_sessions_touch before update on public.chat_sessions
  for each row execute function public.codette_touch_updated_at();

create table public.messages (
  id          uuid primary key default gen_random_uuid(),
  seq         bigint generated always as identity,   -- stable order within one timestamp
  session_id  uuid not null references public.chat_sessions (id) on delete cascade,
  user_id     uuid not null references auth.users (id) on delete cascade,
  role        text not null check (role in ('user', 'assistant', 'system')),
  content     text not null check (char_length(content) <= 100000),
  client_id   text check (char_length(client_id) between 1 and 128),
  perspective text check (char_length(perspective) <= 64),
  confidence  real check (confidence >= 0 and confidence <= 1),
  sources     jsonb not null default '[]'::jsonb,
  actions     jsonb not null default '[]'::jsonb,
  metadata    jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null default now(),
  -- the extension's offline outbox resends with the same client_id: one row per (user, client_id)
  constraint messages_user_client_id_key unique (user_id, client_id)
);
create index messages_session_created_idx on public.messages (session_id, created_at, seq);
create index messages_user_idx on public.messages (user_id);

-- chat_history: a view over sessions and messages (one row per message with its session's title).
-- security_invoker makes the policies of the two tables apply to whoever reads the view.
create view public.chat_history with (security_invoker = true) as
  select m.id, m.user_id, m.session_id, s.title as session_title, m.role, m.content, m.perspective,
         m.confidence, m.sources, m.actions, m.metadata, m.client_id, m.created_at, m.seq
  from public.messages m
  join public.chat_sessions s on s.id = m.session_id;

-- ---------------------------------------------------------------------------------------------
create table public.user_feedback (
  id          uuid primary key default gen_random_uuid(),
  user_id     uuid not null references auth.users (id) on delete cascade,
  message_id  uuid not null references public.messages (id) on delete cascade,
  rating      smallint not null check (rating in (-1, 1)),
  comment     text check (char_length(comment) <= 4000),
  client_id   text check (char_length(client_id) between 1 and 128),
  created_at  timestamptz not null default now(),
  constraint user_feedback_user_client_id_key unique (user_id, client_id)
);
create index user_feedback_user_idx on public.user_feedback (user_id, created_at desc);
create index user_feedback_message_idx on public.user_feedback (message_id);

-- ---------------------------------------------------------------------------------------------
create table public.api_metrics (
  id           bigint generated always as identity primary key,
  route        text not null check (char_length(route) <= 200),
  method       text not null check (char_length(method) <= 10),
  status       smallint not null check (status between 100 and 599),
  duration_ms  real not null check (duration_ms >= 0),
  user_id      text,            -- no foreign key: metrics outlive deleted users (and local ids are not uuids)
  meta         jsonb not null default '{}'::jsonb,
  created_at   timestamptz not null default now()
);
create index api_metrics_created_idx on public.api_metrics (created_at);
create index api_metrics_route_created_idx on public.api_metrics (route, created_at);

-- ---------------------------------------------------------------------------------------------
create table public.codette_files (
  id           uuid primary key default gen_random_uuid(),
  user_id      uuid not null references auth.users (id) on delete cascade,
  session_id   uuid references public.chat_sessions (id) on delete set null,
  name         text not null check (char_length(name) between 1 and 255),
  mime_type    text not null check (char_length(mime_type) <= 127),
  size_bytes   bigint not null check (size_bytes >= 0),
  sha256       text check (sha256 ~ '^[0-9a-f]{64}$'),
  storage_path text check (char_length(storage_path) <= 1024),
  metadata     jsonb not null default '{}'::jsonb,
  created_at   timestamptz not null default now()
);
create index codette_files_user_created_idx on public.codette_files (user_id, created_at desc);
create index codette_files_session_idx on public.codette_files (session_id);

-- ---------------------------------------------------------------------------------------------
-- applied_client_ids: the server's dedupe of client message ids survives restarts (service role only).
create table public.applied_client_ids (
  client_id   text primary key check (char_length(client_id) between 1 and 200),
  result      jsonb not null,
  created_at  timestamptz not null default now()
);
create index applied_client_ids_created_idx on public.applied_client_ids (created_at);

-- ---------------------------------------------------------------------------------------------
-- Row-level security. Supabase grants table privileges to anon and authenticated by default,
-- so these policies are the wall. service_role has BYPASSRLS.
alter table public.music_knowledge    enable row level security;
alter table public.chat_sessions      enable row level security;
alter table public.messages           enable row level security;
alter table public.user_feedback      enable row level security;
alter table public.api_metrics        enable row level security;
alter table public.codette_files      enable row level security;
alter table public.applied_client_ids enable row level security;

-- knowledge: everyone reads; nobody but the service role (which bypasses RLS) writes.
create policy music_knowledge_read on public.music_knowledge for select to anon, authenticated using (true);

create policy chat_sessions_owner_select on public.chat_sessions for select to authenticated
  using (user_id = (select auth.uid()));
create policy chat_sessions_owner_insert on public.chat_sessions for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy chat_sessions_owner_update on public.chat_sessions for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy chat_sessions_owner_delete on public.chat_sessions for delete to authenticated
  using (user_id = (select auth.uid()));

create policy messages_owner_select on public.messages for select to authenticated
  using (user_id = (select auth.uid()));
create policy messages_owner_insert on public.messages for insert to authenticated
  with check (user_id = (select auth.uid())
    and exists (select 1 from public.chat_sessions s where s.id = session_id and s.user_id = (select auth.uid())));
create policy messages_owner_update on public.messages for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy messages_owner_delete on public.messages for delete to authenticated
  using (user_id = (select auth.uid()));

create policy user_feedback_owner_select on public.user_feedback for select to authenticated
  using (user_id = (select auth.uid()));
create policy user_feedback_owner_insert on public.user_feedback for insert to authenticated
  with check (user_id = (select auth.uid())
    and exists (select 1 from public.messages m where m.id = message_id and m.user_id = (select auth.uid())));
create policy user_feedback_owner_update on public.user_feedback for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy user_feedback_owner_delete on public.user_feedback for delete to authenticated
  using (user_id = (select auth.uid()));

create policy codette_files_owner_select on public.codette_files for select to authenticated
  using (user_id = (select auth.uid()));
create policy codette_files_owner_insert on public.codette_files for insert to authenticated
  with check (user_id = (select auth.uid())
    and (session_id is null or exists (select 1 from public.chat_sessions s
                                       where s.id = session_id and s.user_id = (select auth.uid()))));
create policy codette_files_owner_update on public.codette_files for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy codette_files_owner_delete on public.codette_files for delete to authenticated
  using (user_id = (select auth.uid()));

-- api_metrics and applied_client_ids: RLS on, no policy for anon/authenticated: only the service role.
-- Defence in depth on top of RLS: take the default privileges away from the client roles.
revoke all on table public.api_metrics from anon, authenticated;
revoke all on table public.applied_client_ids from anon, authenticated;
revoke insert, update, delete, truncate on table public.music_knowledge from anon, authenticated;
revoke all on table public.chat_sessions, public.messages, public.user_feedback, public.codette_files,
  public.chat_history from anon;

grant select on table public.music_knowledge to anon, authenticated;
grant select, insert, update, delete on table public.chat_sessions, public.messages, public.user_feedback,
  public.codette_files to authenticated;
grant select on table public.chat_history to authenticated;
grant all on table public.music_knowledge, public.chat_sessions, public.messages, public.user_feedback,
  public.api_metrics, public.codette_files, public.applied_client_ids, public.chat_history to service_role;
