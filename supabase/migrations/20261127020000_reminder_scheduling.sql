-- =====================================================================================
-- Reminders: the tick that moves due habits into the outbox, the call to the
-- reminders edge function (pg_cron -> pg_net), claiming and recording deliveries, housekeeping
-- =====================================================================================

create extension if not exists pg_net with schema extensions;
create extension if not exists pg_cron;

-- ------------------------------------------------------------------ keeping the tick fast

-- Every tick moves next_reminder_at of each due habit, an indexed column, so each update leaves a
-- dead entry in habits_next_reminder_at_idx right where the next tick looks (below the clock).
-- With the default thresholds (20% of the table) they pile up for hours and the "nothing due"
-- tick slows from 1 ms to 6 ms and beyond at 1,000,000 habits (bench/scheduling.ts); vacuuming
-- and analysing after a fixed number of changes keeps it in single-digit milliseconds.
alter table public.habits set (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 2000,
  autovacuum_analyze_scale_factor = 0,
  autovacuum_analyze_threshold = 2000
);

-- ------------------------------------------------------------------ calling the reminders function

-- Asks the reminders edge function to deliver what is pending. The URL and the secret are read
-- from Vault when this runs (never stored in a cron command); without them it does nothing, so a
-- database without a functions deployment (e.g. the pgTAP run) still works.
create function private.invoke_reminders_function()
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  project_url text;
  reminders_secret text;
begin
  select decrypted_secret into project_url from vault.decrypted_secrets where name = 'project_url';
  select decrypted_secret into reminders_secret from vault.decrypted_secrets where name = 'reminders_secret';
  if nullif(project_url, '') is null or nullif(reminders_secret, '') is null then
    return null;
  end if;
  return net.http_post(
    url := rtrim(project_url, '/') || '/functions/v1/reminders',
    body := '{}'::jsonb,
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || reminders_secret),
    -- Longer than the function's own working time (45 s), so a busy run is not reported as a timeout.
    timeout_milliseconds := 55000
  );
end
$$;

-- "Habit created" messages, sent within seconds: queued with the habits and delivered at once
-- (pg_net sends the request only after the creating transaction commits). A statement trigger,
-- so that inserting many habits at once makes one call to the function, not one per habit.
create function private.habits_queue_created_messages()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.notifications (habit_id, owner_id, kind, due_at)
  select id, owner_id, 'habit_created', created_at from created_habits;
  if found then
    perform private.invoke_reminders_function();
  end if;
  return null;
end
$$;

create trigger habits_queue_created_messages
after insert on public.habits
referencing new table as created_habits
for each statement execute function private.habits_queue_created_messages();

-- ------------------------------------------------------------------ the tick

-- The last occurrence at or before `at`, or null when the habit's grid has none in the last
-- interval (used to collapse reminders missed during downtime into the most recent one).
create function private.latest_occurrence_at_or_before(
  local_time time, interval_days integer, anchor_date date, time_zone text, at timestamptz
)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  candidate timestamptz := private.next_occurrence(local_time, interval_days, anchor_date, time_zone,
    at - make_interval(days => interval_days, hours => 2));
  following timestamptz;
begin
  if candidate > at then
    return null;
  end if;
  loop
    following := private.next_occurrence(local_time, interval_days, anchor_date, time_zone, candidate);
    exit when following > at;
    candidate := following;
  end loop;
  return candidate;
end
$$;

-- Moves every due habit into the outbox and advances its next reminder. Idempotent: the outbox's
-- unique key (habit, kind, due time) absorbs a repeated tick. Reminders missed while the service
-- was down collapse into one for the most recent occurrence; if even that is older than
-- `grace`, it is recorded as skipped rather than sent late. Returns the number of rows queued.
create function private.enqueue_due_reminders(at timestamptz default now(), grace interval default '1 hour')
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  queued integer;
begin
  with due as (
    select h.id, h.owner_id, h.time, h.interval_days, h.starts_on, p.timezone,
      coalesce(private.latest_occurrence_at_or_before(h.time, h.interval_days, h.starts_on, p.timezone, at),
               h.next_reminder_at) as occurrence_at
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    where h.next_reminder_at <= at
    for update of h skip locked
  ),
  queued_rows as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, last_error)
    select due.id, due.owner_id, 'reminder', due.occurrence_at, due.occurrence_at,
      case when due.occurrence_at < at - grace then 'skipped' else 'pending' end,
      case when due.occurrence_at < at - grace then 'missed while the service was down' end
    from due
    on conflict on constraint notifications_once_per_occurrence do nothing
    returning 1
  ),
  advanced as (
    update public.habits h
    set next_reminder_at = private.next_occurrence(h.time, h.interval_days, h.starts_on, due.timezone, at)
    from due
    where h.id = due.id
    returning 1
  )
  select count(*) into queued from queued_rows;
  return queued;
end
$$;

-- True when something is ready to be sent (or a lease has expired).
create function private.has_deliverable_notifications(at timestamptz default now())
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (
    select from public.notifications
    where status in ('pending', 'retry', 'sending') and next_attempt_at <= at
  )
$$;

-- What pg_cron runs every minute.
create function private.run_reminder_tick()
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform private.enqueue_due_reminders(now());
  if private.has_deliverable_notifications(now()) then
    perform private.invoke_reminders_function();
  end if;
end
$$;

-- ------------------------------------------------------------------ claiming and recording deliveries

-- Claims up to `batch_size` deliverable messages for one dispatcher: status 'sending' with a
-- lease (next_attempt_at = end of lease). Rows another dispatcher holds are skipped, not waited
-- for; a row whose lease expired (its dispatcher died) is claimed again. Returns everything
-- needed to write the message.
create function private.claim_notifications(batch_size integer default 50, lease interval default '2 minutes')
returns table (
  id bigint,
  kind text,
  attempts integer,
  due_at timestamptz,
  occurrence_at timestamptz,
  habit_id uuid,
  chat_id bigint,
  timezone text,
  action text,
  place text,
  local_time time,
  interval_days smallint,
  duration_seconds smallint,
  reward text,
  is_pleasant boolean,
  is_paused boolean,
  pleasant_action text,
  pleasant_place text
)
language sql
volatile
set search_path = ''
as $$
  with claimable as (
    select n.id from public.notifications n
    where n.status in ('pending', 'retry', 'sending') and n.next_attempt_at <= now()
    order by n.next_attempt_at
    limit batch_size
    for update skip locked
  ),
  claimed as (
    update public.notifications n
    set status = 'sending', attempts = n.attempts + 1, next_attempt_at = now() + lease, lease_until = now() + lease
    from claimable
    where n.id = claimable.id
    returning n.*
  )
  select c.id, c.kind, c.attempts, c.due_at, c.occurrence_at, c.habit_id, p.telegram_chat_id, p.timezone,
    h.action, h.place, h.time, h.interval_days, h.duration_seconds, h.reward, h.is_pleasant, h.is_paused,
    pleasant.action, pleasant.place
  from claimed c
  join public.habits h on h.id = c.habit_id
  join public.profiles p on p.id = c.owner_id
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  order by c.due_at
$$;

-- Records what happened to a claimed message.
-- outcome: sent | retry | dead | skipped | released. A retry waits `retry_after_seconds` when
-- Telegram said so, else an exponential backoff (30 s, 1, 2, 4 min ...); after `max_attempts` it
-- is dead. `released` hands back a message the dispatcher had no time to send: it does not count
-- as an attempt.
create function private.record_delivery(
  notification_id bigint,
  outcome text,
  telegram_message_id bigint default null,
  error text default null,
  retry_after_seconds integer default null,
  max_attempts integer default 5
)
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
  current_attempts integer;
  final_status text := outcome;
begin
  if outcome not in ('sent', 'retry', 'dead', 'skipped', 'released') then
    raise exception 'unknown delivery outcome %', outcome;
  end if;
  select attempts into current_attempts from public.notifications where id = notification_id for update;
  if not found then
    return null;
  end if;
  if outcome = 'retry' and current_attempts >= max_attempts then
    final_status := 'dead';
  elsif outcome = 'released' then
    final_status := 'pending';
    current_attempts := greatest(current_attempts - 1, 0);
  end if;
  update public.notifications
  set status = final_status,
      attempts = current_attempts,
      telegram_message_id = coalesce(record_delivery.telegram_message_id, notifications.telegram_message_id),
      sent_at = case when final_status = 'sent' then now() else sent_at end,
      last_error = case when final_status = 'sent' then null else left(error, 1000) end,
      lease_until = null,
      next_attempt_at = case
        when outcome = 'released' then now() + make_interval(secs => coalesce(retry_after_seconds, 0))
        when final_status = 'retry' then now() + coalesce(make_interval(secs => retry_after_seconds),
                              least(interval '1 hour', interval '30 seconds' * power(2, greatest(current_attempts - 1, 0))))
        else next_attempt_at end
  where id = notification_id;
  return final_status;
end
$$;

-- ------------------------------------------------------------------ housekeeping

-- Prunes what grows without bound: pg_cron's run log, pg_net's responses, delivered or
-- abandoned notifications, handled Telegram updates and spent link codes.
create function private.prune_housekeeping()
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  delete from cron.job_run_details where end_time < now() - interval '7 days';
  delete from net._http_response where created < now() - interval '1 day';
  delete from public.notifications where status in ('sent', 'skipped', 'dead') and created_at < now() - interval '90 days';
  delete from private.telegram_updates where received_at < now() - interval '7 days';
  delete from public.telegram_link_codes where expires_at < now() - interval '1 day';
end
$$;

select cron.schedule('enqueue-due-reminders', '* * * * *', 'select private.run_reminder_tick()');
select cron.schedule('prune-housekeeping', '17 3 * * *', 'select private.prune_housekeeping()');
