-- The `realtime` schema as Supabase's Postgres has it once Realtime (v2.130.0) has run its tenant
-- migrations (supabase/realtime lib/realtime/tenants/repo/migrations/*): the messages table that
-- private-channel policies are written on, realtime.topic(), realtime.send() and
-- realtime.broadcast_changes(). Migrations only ever use these; they never create them.
--
-- One devstack difference, below the line at the end: Realtime reads new rows of
-- realtime.messages through logical replication; the devstack's stand-in (devstack/realtime)
-- LISTENs instead, so committed broadcast rows also raise a NOTIFY.

create schema if not exists realtime;
grant usage on schema realtime to postgres, anon, authenticated, service_role;

-- Upstream partitions this table by day (inserted_at) and a janitor drops old partitions; the
-- devstack keeps one plain table with the same columns and key.
create table realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
);
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;

-- The topic being authorised: Realtime sets `realtime.topic` (with the role and the JWT claims)
-- before it probes the policies.
create function realtime.topic() returns text
language sql stable
as $$ select nullif(current_setting('realtime.topic', true), '')::text $$;

-- Failures become a WARNING, as upstream: a broadcast never aborts the write that caused it.
create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (payload, event, topic, private, extension)
    values (payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;

create function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
) returns void
language plpgsql
as $$
declare
  row_data jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation in ('INSERT', 'UPDATE', 'DELETE') then
    row_data := jsonb_build_object(
      'old_record', old, 'record', new, 'operation', operation,
      'table', table_name, 'schema', table_schema
    );
    perform realtime.send(row_data, event_name, topic_name);
  else
    raise exception 'Unexpected operation type: %', operation;
  end if;
exception when others then
  raise exception 'Failed to process the row: %', sqlerrm;
end;
$$;

grant execute on function realtime.topic() to postgres, anon, authenticated, service_role;
grant execute on function realtime.send(jsonb, text, text, boolean) to postgres, anon, authenticated, service_role;
grant execute on function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to postgres, anon, authenticated, service_role;

-- ---- devstack only ------------------------------------------------------------------------------
-- NOTIFY is delivered at commit, so the authorisation probes (always rolled back) never reach
-- the stand-in, exactly as they never reach Realtime's replication stream.
create function realtime.devstack_notify_message() returns trigger
language plpgsql
as $$
begin
  if new.extension = 'broadcast' then
    perform pg_notify('devstack_realtime', json_build_object('id', new.id, 'inserted_at', new.inserted_at)::text);
  end if;
  return null;
end;
$$;
create trigger devstack_notify_message
after insert on realtime.messages
for each row execute function realtime.devstack_notify_message();
