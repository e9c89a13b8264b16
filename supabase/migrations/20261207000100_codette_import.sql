-- Import of an export (GET /codette/export) for the acting user, ids and timestamps kept, in one transaction.
-- A row whose id (or client_id) is already stored is skipped, and so is a row whose parent is not this user's:
-- importing the same file twice adds nothing, and nothing can be attached to another user's rows.
-- SECURITY INVOKER like the other user functions: run as the user, row-level security checks every insert.
create or replace function public.codette_import_user_data(p_user_id uuid, p_data jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
  n_sessions integer;
  n_messages integer;
  n_feedback integer;
  n_files integer;
begin
  insert into public.chat_sessions (id, user_id, title, perspective, created_at, updated_at)
  select (s->>'id')::uuid, v_uid, s->>'title', s->>'perspective', (s->>'created_at')::timestamptz,
         (s->>'updated_at')::timestamptz
  from jsonb_array_elements(p_data->'sessions') with ordinality as x(s, i)
  order by x.i
  on conflict do nothing;
  get diagnostics n_sessions = row_count;

  insert into public.messages (id, session_id, user_id, role, content, client_id, perspective, confidence,
                               sources, actions, metadata, created_at)
  select (m->>'id')::uuid, (m->>'session_id')::uuid, v_uid, m->>'role', m->>'content', m->>'client_id',
         m->>'perspective', (m->>'confidence')::real, m->'sources', m->'actions', m->'metadata',
         (m->>'created_at')::timestamptz
  from jsonb_array_elements(p_data->'messages') with ordinality as x(m, i)
  where exists (select 1 from public.chat_sessions s where s.id = (m->>'session_id')::uuid and s.user_id = v_uid)
  order by x.i
  on conflict do nothing;
  get diagnostics n_messages = row_count;

  insert into public.user_feedback (id, user_id, message_id, rating, comment, client_id, created_at)
  select (f->>'id')::uuid, v_uid, (f->>'message_id')::uuid, (f->>'rating')::smallint, f->>'comment',
         f->>'client_id', (f->>'created_at')::timestamptz
  from jsonb_array_elements(p_data->'feedback') as f
  where exists (select 1 from public.messages m where m.id = (f->>'message_id')::uuid and m.user_id = v_uid)
  on conflict do nothing;
  get diagnostics n_feedback = row_count;

  insert into public.codette_files (id, user_id, session_id, name, mime_type, size_bytes, sha256, storage_path,
                                    metadata, created_at)
  select (f->>'id')::uuid, v_uid, (f->>'session_id')::uuid, f->>'name', f->>'mime_type',
         (f->>'size_bytes')::bigint, f->>'sha256', f->>'storage_path', f->'metadata',
         (f->>'created_at')::timestamptz
  from jsonb_array_elements(p_data->'files') as f
  where f->>'session_id' is null
     or exists (select 1 from public.chat_sessions s where s.id = (f->>'session_id')::uuid and s.user_id = v_uid)
  on conflict do nothing;
  get diagnostics n_files = row_count;

  return jsonb_build_object(
    'imported', jsonb_build_object('sessions', n_sessions, 'messages', n_messages, 'feedback', n_feedback,
                                   'files', n_files),
    'skipped', jsonb_build_object(
      'sessions', jsonb_array_length(p_data->'sessions') - n_sessions,
      'messages', jsonb_array_length(p_data->'messages') - n_messages,
      'feedback', jsonb_array_length(p_data->'feedback') - n_feedback,
      'files', jsonb_array_length(p_data->'files') - n_files));
end;
$$;

revoke execute on function public.codette_import_user_data(uuid, jsonb) from public, anon;
grant execute on function public.codette_import_user_data(uuid, jsonb) to authenticated, service_role;
