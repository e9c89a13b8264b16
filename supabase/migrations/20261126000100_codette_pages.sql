-- Lists come in pages: a session list or a file list grows without bound over months of use, and one answer
-- holding all of it costs the server memory in proportion. Keyset pages (newest first): at most p_limit rows
-- older than (p_before_at, p_before_id), the last row of the previous page. A null p_limit lists everything.

drop function if exists public.codette_list_sessions(uuid);
drop function if exists public.codette_list_files(uuid);

create function public.codette_list_sessions(
  p_user_id uuid, p_limit integer default null, p_before_at timestamptz default null, p_before_id uuid default null
) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
begin
  return (
    select coalesce(jsonb_agg(codette_private.session_json(s)
                              || jsonb_build_object('message_count', x.n, 'last_message_at', x.last_at)
                              order by s.updated_at desc, s.id desc), '[]'::jsonb)
    from public.chat_sessions s
    left join lateral (select count(*) as n, max(m.created_at) as last_at
                       from public.messages m where m.session_id = s.id) x on true
    where s.id in (select p.id from public.chat_sessions p
                   where p.user_id = v_uid
                     and (p_before_at is null or (p.updated_at, p.id) < (p_before_at, p_before_id))
                   order by p.updated_at desc, p.id desc
                   limit p_limit));
end;
$$;

create function public.codette_list_files(
  p_user_id uuid, p_limit integer default null, p_before_at timestamptz default null, p_before_id uuid default null
) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := codette_private.acting_user(p_user_id);
begin
  return (
    select coalesce(jsonb_agg(codette_private.file_json(f) order by f.created_at desc, f.id desc), '[]'::jsonb)
    from public.codette_files f
    where f.id in (select p.id from public.codette_files p
                   where p.user_id = v_uid
                     and (p_before_at is null or (p.created_at, p.id) < (p_before_at, p_before_id))
                   order by p.created_at desc, p.id desc
                   limit p_limit));
end;
$$;

revoke execute on function public.codette_list_sessions(uuid, integer, timestamptz, uuid),
  public.codette_list_files(uuid, integer, timestamptz, uuid) from public, anon;
grant execute on function public.codette_list_sessions(uuid, integer, timestamptz, uuid),
  public.codette_list_files(uuid, integer, timestamptz, uuid) to authenticated, service_role;
