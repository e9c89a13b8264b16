-- Codette's SQL API: the functions both the companion server (through PostgREST RPC) and, later, a signed-in
-- client call. All are SECURITY INVOKER: they run with the caller's role, so row-level security applies to
-- an `authenticated` caller; the service role bypasses RLS by design and is scoped by p_user_id instead.

create schema if not exists codette_private;
grant usage on schema codette_private to anon, authenticated, service_role;

-- Who the function acts for.
--  * a user's JWT (auth.uid() set): that user, and p_user_id, when given, must be the same user;
--  * a role that bypasses RLS (service_role, or the postgres owner in the SQL editor): p_user_id, which the
--    companion server passes after verifying the user's access token itself;
--  * anyone else (anon): refused.
create or replace function codette_private.acting_user(p_user_id uuid) returns uuid
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is not null then
    if p_user_id is not null and p_user_id <> v_uid then
      raise exception 'this access token belongs to another user' using errcode = '42501';
    end if;
    return v_uid;
  end if;
  if exists (select 1 from pg_catalog.pg_roles r where r.rolname = current_user and (r.rolbypassrls or r.rolsuper)) then
    if p_user_id is null then
      raise exception 'p_user_id is required for a service-role call' using errcode = '22004';
    end if;
    return p_user_id;
  end if;
  raise exception 'sign in first: this request carries no user' using errcode = '42501';
end;
$$;

create or replace function codette_private.session_json(s public.chat_sessions) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', s.id, 'title', s.title, 'perspective', s.perspective,
                            'created_at', s.created_at, 'updated_at', s.updated_at)
$$;

create or replace function codette_private.message_json(m public.messages) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', m.id, 'session_id', m.session_id, 'role', m.role, 'content', m.content,
    'client_id', m.client_id, 'perspective', m.perspective, 'confidence', m.confidence, 'sources', m.sources,
    'actions', m.actions, 'metadata', m.metadata, 'created_at', m.created_at)
$$;

create or replace function codette_private.feedback_json(f public.user_feedback) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', f.id, 'message_id', f.message_id, 'rating', f.rating, 'comment', f.comment,
    'client_id', f.client_id, 'created_at', f.created_at)
$$;

create or replace function codette_private.file_json(f public.codette_files) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', f.id, 'session_id', f.session_id, 'name', f.name, 'mime_type', f.mime_type,
    'size_bytes', f.size_bytes, 'sha256', f.sha256, 'storage_path', f.storage_path, 'metadata', f.metadata,
    'created_at', f.created_at)
$$;

create or replace function codette_private.knowledge_json(k public.music_knowledge) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', k.id, 'topic', k.topic, 'category', k.category, 'title', k.title,
    'body', k.body, 'parameters', k.parameters, 'tags', to_jsonb(k.tags))
$$;

-- ---------------------------------------------------------------------------------------------
create or replace function public.codette_ping() returns text
language sql stable set search_path = '' as $$ select 'ok'::text $$;

-- Ranked full-text search of the knowledge.
-- Match: any of the query's words (stemmed, English stop words dropped). Rank: ts_rank with weights
-- title 1.0, tags 0.4, topic 0.2, body 0.1, doubled when the entry matches the whole query as
-- websearch_to_tsquery reads it (all words, "phrases", -exclusions). score = rank / best rank of this
-- query, so the best hit scores 1 and the others (0, 1].
create or replace function public.codette_search_knowledge(q text, max_results integer default 8,
                                                           p_category text default null)
returns table (id text, title text, category text, topic text, body text, parameters jsonb, tags text[], score real)
language sql stable set search_path = '' as $$
  with query as (
    select (select string_agg(quote_literal(l), ' | ')
              from unnest(tsvector_to_array(to_tsvector('english'::regconfig, coalesce(q, '')))) as l
           )::tsquery as q_any,
           websearch_to_tsquery('english'::regconfig, coalesce(q, '')) as q_all
  ), hits as (
    select k.id, k.title, k.category, k.topic, k.body, k.parameters, k.tags,
           ts_rank('{0.1,0.2,0.4,1.0}'::real[], k.search, query.q_any)
             * (case when k.search @@ query.q_all then 2 else 1 end) as raw
    from public.music_knowledge k, query
    where query.q_any is not null
      and k.search @@ query.q_any
      and (p_category is null or k.category = p_category)
    order by raw desc, k.id
    limit greatest(1, least(coalesce(max_results, 8), 50))
  )
  select h.id, h.title, h.category, h.topic, h.body, h.parameters, h.tags,
         (h.raw / nullif(max(h.raw) over (), 0))::real as score
  from hits h
  order by h.raw desc, h.id
$$;

create or replace function public.codette_get_knowledge(p_id text) returns jsonb
language sql stable set search_path = '' as $$
  select codette_private.knowledge_json(k) from public.music_knowledge k where k.id = p_id
$$;

create or replace function public.codette_count_knowledge() returns bigint
language sql stable set search_path = '' as $$ select count(*) from public.music_knowledge $$;

-- entries: a JSON array of KnowledgeEntry (shared/schemas/knowledge.ts). Returns how many rows changed.
create or replace function public.codette_upsert_knowledge(entries jsonb) returns integer
language plpgsql set search_path = '' as $$
declare
  n integer;
begin
  if jsonb_typeof(entries) <> 'array' then
    raise exception 'entries must be a JSON array' using errcode = '22023';
  end if;
  insert into public.music_knowledge as k (id, topic, category, title, body, parameters, tags)
  select e->>'id', e->>'topic', e->>'category', e->>'title', e->>'body', coalesce(e->'parameters', '{}'::jsonb),
         coalesce(array(select jsonb_array_elements_text(e->'tags')), '{}'::text[])
  from jsonb_array_elements(entries) as e
  on conflict (id) do update
    set topic = excluded.topic, category = excluded.category, title = excluded.title, body = excluded.body,
        parameters = excluded.parameters, tags = excluded.tags
    where (k.topic, k.category, k.title, k.body, k.parameters, k.tags)
          is distinct from (excluded.topic, excluded.category, excluded.title, excluded.body, excluded.parameters, excluded.tags);
  get diagnostics n = row_count;
  return n;
end;
$$;

-- ---------------------------------------------------------------------------------------------
create or replace function public.codette_create_session(p_user_id uuid, p_title text default null,
                                                         p_perspective text default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
  r public.chat_sessions;
begin
  insert into public.chat_sessions (user_id, title, perspective)
  values (v_uid, coalesce(nullif(btrim(p_title), ''), 'New session'), p_perspective)
  returning * into r;
  return codette_private.session_json(r);
end;
$$;

-- Idempotent on client_id: a resend returns the stored message with created = false and writes nothing.
create or replace function public.codette_append_message(p_user_id uuid, p_message jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
  v_client text := p_message->>'client_id';
  v_session uuid := (p_message->>'session_id')::uuid;
  r public.messages;
begin
  if v_client is not null then
    select * into r from public.messages m where m.user_id = v_uid and m.client_id = v_client;
    if found then
      return jsonb_build_object('message', codette_private.message_json(r), 'created', false);
    end if;
  end if;
  perform 1 from public.chat_sessions s where s.id = v_session and s.user_id = v_uid for update;
  if not found then
    raise exception 'session % not found', v_session using errcode = 'P0002';
  end if;
  insert into public.messages (session_id, user_id, role, content, client_id, perspective, confidence,
                               sources, actions, metadata)
  values (v_session, v_uid, p_message->>'role', p_message->>'content', v_client, p_message->>'perspective',
          (p_message->>'confidence')::real, coalesce(p_message->'sources', '[]'::jsonb),
          coalesce(p_message->'actions', '[]'::jsonb), coalesce(p_message->'metadata', '{}'::jsonb))
  on conflict (user_id, client_id) do nothing
  returning * into r;
  if not found then  -- a concurrent resend won the race
    select * into r from public.messages m where m.user_id = v_uid and m.client_id = v_client;
    return jsonb_build_object('message', codette_private.message_json(r), 'created', false);
  end if;
  update public.chat_sessions s set updated_at = now() where s.id = v_session;
  return jsonb_build_object('message', codette_private.message_json(r), 'created', true);
end;
$$;

create or replace function public.codette_list_sessions(p_user_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
begin
  return (
    select coalesce(jsonb_agg(codette_private.session_json(s)
                              || jsonb_build_object('message_count', x.n, 'last_message_at', x.last_at)
                              order by coalesce(x.last_at, s.created_at) desc, s.created_at desc, s.id), '[]'::jsonb)
    from public.chat_sessions s
    left join lateral (select count(*) as n, max(m.created_at) as last_at
                       from public.messages m where m.session_id = s.id) x on true
    where s.user_id = v_uid);
end;
$$;

create or replace function public.codette_list_messages(p_user_id uuid, p_session_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
begin
  perform 1 from public.chat_sessions s where s.id = p_session_id and s.user_id = v_uid;
  if not found then
    raise exception 'session % not found', p_session_id using errcode = 'P0002';
  end if;
  return (select coalesce(jsonb_agg(codette_private.message_json(m) order by m.created_at, m.seq), '[]'::jsonb)
          from public.messages m where m.session_id = p_session_id and m.user_id = v_uid);
end;
$$;

create or replace function public.codette_delete_session(p_user_id uuid, p_session_id uuid) returns boolean
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
begin
  delete from public.chat_sessions s where s.id = p_session_id and s.user_id = v_uid;
  return found;
end;
$$;

-- Idempotent on client_id, like messages. p_feedback.rating is -1 or 1.
create or replace function public.codette_add_feedback(p_user_id uuid, p_feedback jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
  v_client text := p_feedback->>'client_id';
  v_message uuid := (p_feedback->>'message_id')::uuid;
  r public.user_feedback;
begin
  if v_client is not null then
    select * into r from public.user_feedback f where f.user_id = v_uid and f.client_id = v_client;
    if found then
      return jsonb_build_object('feedback', codette_private.feedback_json(r), 'created', false);
    end if;
  end if;
  perform 1 from public.messages m where m.id = v_message and m.user_id = v_uid;
  if not found then
    raise exception 'message % not found', v_message using errcode = 'P0002';
  end if;
  insert into public.user_feedback (user_id, message_id, rating, comment, client_id)
  values (v_uid, v_message, (p_feedback->>'rating')::smallint, p_feedback->>'comment', v_client)
  on conflict (user_id, client_id) do nothing
  returning * into r;
  if not found then
    select * into r from public.user_feedback f where f.user_id = v_uid and f.client_id = v_client;
    return jsonb_build_object('feedback', codette_private.feedback_json(r), 'created', false);
  end if;
  return jsonb_build_object('feedback', codette_private.feedback_json(r), 'created', true);
end;
$$;

create or replace function public.codette_record_file(p_user_id uuid, p_file jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
  v_session uuid := (p_file->>'session_id')::uuid;
  r public.codette_files;
begin
  if v_session is not null then
    perform 1 from public.chat_sessions s where s.id = v_session and s.user_id = v_uid;
    if not found then
      raise exception 'session % not found', v_session using errcode = 'P0002';
    end if;
  end if;
  insert into public.codette_files (user_id, session_id, name, mime_type, size_bytes, sha256, storage_path, metadata)
  values (v_uid, v_session, p_file->>'name', p_file->>'mime_type', (p_file->>'size_bytes')::bigint,
          p_file->>'sha256', p_file->>'storage_path', coalesce(p_file->'metadata', '{}'::jsonb))
  returning * into r;
  return codette_private.file_json(r);
end;
$$;

create or replace function public.codette_list_files(p_user_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
begin
  return (select coalesce(jsonb_agg(codette_private.file_json(f) order by f.created_at desc, f.id), '[]'::jsonb)
          from public.codette_files f where f.user_id = v_uid);
end;
$$;

create or replace function public.codette_export_user_data(p_user_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
begin
  return jsonb_build_object(
    'user_id', v_uid,
    'exported_at', now(),
    'sessions', (select coalesce(jsonb_agg(codette_private.session_json(s) order by s.created_at, s.id), '[]'::jsonb)
                 from public.chat_sessions s where s.user_id = v_uid),
    'messages', (select coalesce(jsonb_agg(codette_private.message_json(m) order by m.created_at, m.seq), '[]'::jsonb)
                 from public.messages m where m.user_id = v_uid),
    'feedback', (select coalesce(jsonb_agg(codette_private.feedback_json(f) order by f.created_at, f.id), '[]'::jsonb)
                 from public.user_feedback f where f.user_id = v_uid),
    'files', (select coalesce(jsonb_agg(codette_private.file_json(f) order by f.created_at, f.id), '[]'::jsonb)
              from public.codette_files f where f.user_id = v_uid));
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Service-role only.
create or replace function public.codette_write_metrics(p_rows jsonb) returns integer
language plpgsql set search_path = '' as $$
declare
  n integer;
begin
  insert into public.api_metrics (route, method, status, duration_ms, user_id, meta, created_at)
  select r->>'route', r->>'method', (r->>'status')::smallint, (r->>'duration_ms')::real, r->>'user_id',
         coalesce(r->'meta', '{}'::jsonb), coalesce((r->>'created_at')::timestamptz, now())
  from jsonb_array_elements(p_rows) as r;
  get diagnostics n = row_count;
  return n;
end;
$$;

create or replace function public.codette_remember_client_id(p_client_id text, p_result jsonb,
                                                             p_ttl_seconds integer default 604800) returns boolean
language plpgsql set search_path = '' as $$
begin
  delete from public.applied_client_ids a where a.created_at < now() - make_interval(secs => p_ttl_seconds);
  insert into public.applied_client_ids (client_id, result) values (p_client_id, p_result)
  on conflict (client_id) do nothing;
  return found;
end;
$$;

create or replace function public.codette_lookup_client_id(p_client_id text, p_ttl_seconds integer default 604800)
returns jsonb
language sql stable set search_path = '' as $$
  select a.result from public.applied_client_ids a
  where a.client_id = p_client_id and a.created_at >= now() - make_interval(secs => p_ttl_seconds)
$$;

-- Diagnostics: each table probed at call time; a failing one is reported, not fatal.
create or replace function public.codette_table_status() returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  t text;
  n bigint;
  res jsonb := '[]'::jsonb;
begin
  foreach t in array array['music_knowledge', 'chat_sessions', 'messages', 'chat_history', 'user_feedback',
                           'api_metrics', 'codette_files'] loop
    begin
      execute format('select count(*) from public.%I', t) into n;
      res := res || jsonb_build_array(jsonb_build_object('table', t, 'ok', true, 'rows', n));
    exception when others then
      res := res || jsonb_build_array(jsonb_build_object('table', t, 'ok', false, 'rows', null, 'error', sqlerrm));
    end;
  end loop;
  return res;
end;
$$;

create or replace function public.codette_rls_policies() returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'table', c.relname,
           'kind', case when c.relkind = 'v' then 'view' else 'table' end,
           'rls_enabled', c.relrowsecurity,
           'security_invoker', coalesce('security_invoker=true' = any (c.reloptions), false),
           'policies', (select coalesce(jsonb_agg(jsonb_build_object(
                                 'name', p.policyname, 'command', p.cmd, 'roles', to_jsonb(p.roles),
                                 'using', p.qual, 'with_check', p.with_check) order by p.policyname), '[]'::jsonb)
                        from pg_catalog.pg_policies p where p.schemaname = 'public' and p.tablename = c.relname)
         ) order by c.relname), '[]'::jsonb)
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace and ns.nspname = 'public'
  where c.relname in ('music_knowledge', 'chat_sessions', 'messages', 'chat_history', 'user_feedback',
                      'api_metrics', 'codette_files', 'applied_client_ids')
$$;

-- ---------------------------------------------------------------------------------------------
-- Who may call what. Supabase grants EXECUTE to anon/authenticated by default: take it back where needed.
revoke execute on all functions in schema codette_private from public;
grant execute on all functions in schema codette_private to anon, authenticated, service_role;

revoke execute on function public.codette_upsert_knowledge(jsonb), public.codette_write_metrics(jsonb),
  public.codette_remember_client_id(text, jsonb, integer), public.codette_lookup_client_id(text, integer),
  public.codette_table_status(), public.codette_rls_policies(), public.codette_count_knowledge()
  from public, anon, authenticated;
grant execute on function public.codette_upsert_knowledge(jsonb), public.codette_write_metrics(jsonb),
  public.codette_remember_client_id(text, jsonb, integer), public.codette_lookup_client_id(text, integer),
  public.codette_table_status(), public.codette_rls_policies(), public.codette_count_knowledge()
  to service_role;

revoke execute on function public.codette_create_session(uuid, text, text), public.codette_append_message(uuid, jsonb),
  public.codette_list_sessions(uuid), public.codette_list_messages(uuid, uuid), public.codette_delete_session(uuid, uuid),
  public.codette_add_feedback(uuid, jsonb), public.codette_record_file(uuid, jsonb), public.codette_list_files(uuid),
  public.codette_export_user_data(uuid)
  from public, anon;
grant execute on function public.codette_create_session(uuid, text, text), public.codette_append_message(uuid, jsonb),
  public.codette_list_sessions(uuid), public.codette_list_messages(uuid, uuid), public.codette_delete_session(uuid, uuid),
  public.codette_add_feedback(uuid, jsonb), public.codette_record_file(uuid, jsonb), public.codette_list_files(uuid),
  public.codette_export_user_data(uuid)
  to authenticated, service_role;

grant execute on function public.codette_ping(), public.codette_search_knowledge(text, integer, text),
  public.codette_get_knowledge(text) to anon, authenticated, service_role;
