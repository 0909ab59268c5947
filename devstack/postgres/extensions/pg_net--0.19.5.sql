-- SQL-only stand-in for pg_net 0.19: same schema, tables and function signatures, as
-- sql/pg_net--0.18.0--0.19.0.sql defines them (5000 ms defaults, http_delete's body, not STRICT).
-- Requests are queued here; the devstack's pg_net worker picks them up once the inserting
-- transaction has committed (it is woken by NOTIFY, which is only delivered on commit).

create schema if not exists net;

create unlogged table net.http_request_queue (
  id bigserial primary key,
  method text not null check (method in ('GET', 'POST', 'DELETE')),
  url text not null,
  headers jsonb not null,
  body bytea,
  timeout_milliseconds integer not null
);

create unlogged table net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
create index _http_response_created_idx on net._http_response (created);

create function net._encode_url_with_params_array(url text, params_array text[][])
returns text
language plpgsql immutable strict
as $$
declare
  query text := '';
  pair text[];
begin
  if array_length(params_array, 1) is null then
    return url;
  end if;
  foreach pair slice 1 in array params_array loop
    query := query
      || case when query = '' then '' else '&' end
      || replace(replace(pair[1], '&', '%26'), '=', '%3D')
      || '=' || replace(replace(pair[2], '&', '%26'), '=', '%3D');
  end loop;
  return url || case when strpos(url, '?') > 0 then '&' else '?' end || query;
end
$$;

create function net._enqueue(method text, url text, params jsonb, headers jsonb, body bytea, timeout_milliseconds integer)
returns bigint
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  request_id bigint;
  params_array text[][] := array[]::text[][];
  kv record;
begin
  if timeout_milliseconds is null or timeout_milliseconds <= 0 then
    raise exception 'timeout_milliseconds must be a positive integer';
  end if;
  for kv in select key, value from jsonb_each_text(coalesce(params, '{}'::jsonb)) loop
    params_array := params_array || array[[kv.key, kv.value]];
  end loop;
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (method, net._encode_url_with_params_array(url, params_array), coalesce(headers, '{}'::jsonb), body, timeout_milliseconds)
  returning id into request_id;
  perform pg_notify('pg_net_request', request_id::text);
  return request_id;
end
$$;

create function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000
)
returns bigint
language sql volatile
security definer
set search_path = ''
as $$
  select net._enqueue('GET', url, params, headers, null, timeout_milliseconds)
$$;

create function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
)
returns bigint
language plpgsql volatile
security definer
set search_path = ''
as $$
begin
  if url is null then
    raise exception 'url must not be null';
  end if;
  if coalesce(headers ->> 'Content-Type', headers ->> 'content-type', 'application/json') <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;
  return net._enqueue('POST', url, params, headers, convert_to(coalesce(body, 'null'::jsonb)::text, 'UTF8'), timeout_milliseconds);
end
$$;

create function net.http_delete(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000,
  body jsonb default null
)
returns bigint
language sql volatile
security definer
set search_path = ''
as $$
  select net._enqueue('DELETE', url, params, headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
$$;

revoke all on function net._enqueue(text, text, jsonb, jsonb, bytea, integer) from public;
grant usage on schema net to postgres, anon, authenticated, service_role;
grant all on all tables in schema net to postgres, service_role;
grant all on all sequences in schema net to postgres, service_role;
