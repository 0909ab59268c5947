-- The reminder tick: due reminders, reminders queued ahead, per-person isolation, housekeeping.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Functions are created before the tables their bodies name (as pg_dump does).
set check_function_bodies = off;

-- function due_reminders(timestamp with time zone, boolean)
create function private.due_reminders(at timestamp with time zone, fast_path boolean default true) returns table(row_id tid, habit_id uuid, owner_id uuid, occurrence_at timestamp with time zone, next_reminder_at timestamp with time zone, by_fast_path boolean)
    language plpgsql
    set search_path to ''
    set jit to 'off'
    as $$
begin
  return query
  with candidates as materialized (
    select h.ctid as habit_ctid, h.id, h.owner_id, h.time, h.interval_days, h.starts_on, h.next_reminder_at, p.timezone
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    where h.next_reminder_at <= at
    for update of h skip locked
  ),
  -- One check per distinct zone, not per habit; a materialized CTE so that no zone conversion
  -- below is ever evaluated for a zone that does not resolve.
  zones as materialized (
    select distinct c.timezone from candidates c
  ),
  resolvable as materialized (
    select z.timezone from zones z where private.time_zone_resolves(z.timezone)
  ),
  on_grid as materialized (
    select c.*, (c.next_reminder_at at time zone c.timezone)::date as local_date
    from candidates c
    where c.timezone in (select r.timezone from resolvable r)
  ),
  classified as (
    select g.*, following.at_time as following_at,
      fast_path
        and following.at_time > at
        and g.local_date >= g.starts_on
        and (g.local_date - g.starts_on) % g.interval_days = 0
        and (at at time zone g.timezone)::date between g.local_date and g.local_date + g.interval_days
        and g.next_reminder_at = (g.local_date + g.time) at time zone g.timezone as normal
    from on_grid g
    cross join lateral (
      select ((g.local_date + g.interval_days) + g.time) at time zone g.timezone as at_time
    ) following
  )
  select c.habit_ctid, c.id, c.owner_id,
    case when c.normal then c.next_reminder_at
         else coalesce(private.latest_occurrence_at_or_before(c.time, c.interval_days, c.starts_on, c.timezone, at),
                       c.next_reminder_at) end,
    case when c.normal then c.following_at
         else private.next_occurrence(c.time, c.interval_days, c.starts_on, c.timezone, at) end,
    c.normal
  from classified c;
end
$$;

-- function enqueue_due_reminders(timestamp with time zone, interval)
create function private.enqueue_due_reminders(at timestamp with time zone default now(), grace interval default '01:00:00'::interval) returns integer
    language plpgsql
    set search_path to ''
    set jit to 'off'
    as $$
declare
  queued integer;
  row_ids tid[];
  next_times timestamptz[];
begin
  with due as materialized (
    select * from private.due_reminders(at)
  ),
  queued_rows as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, last_error, next_attempt_at)
    select due.habit_id, due.owner_id, 'reminder', due.occurrence_at, due.occurrence_at,
      case when due.occurrence_at < at - grace then 'skipped' else 'pending' end,
      case when due.occurrence_at < at - grace then 'missed while the service was down' end,
      at
    from due
    on conflict on constraint notifications_once_per_occurrence do nothing
    returning 1
  )
  select (select count(*) from queued_rows), array_agg(due.row_id), array_agg(due.next_reminder_at)
  into queued, row_ids, next_times
  from due;

  if row_ids is not null then
    update public.habits h
    set next_reminder_at = advanced.next_reminder_at
    from unnest(row_ids, next_times) as advanced (row_id, next_reminder_at)
    where h.ctid = advanced.row_id and h.ctid = any (row_ids);
  end if;
  return queued;
end
$$;

-- function pause_habits_with_unresolvable_zones(timestamp with time zone)
create function private.pause_habits_with_unresolvable_zones(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  paused_count integer;
begin
  with due_zones as (
    select distinct p.timezone
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    where h.next_reminder_at <= at
  ),
  broken as (
    select due_zones.timezone from due_zones where not private.time_zone_resolves(due_zones.timezone)
  ),
  paused as (
    update public.habits h
    set is_paused = true, paused_reason = 'time_zone_unresolvable', next_reminder_at = null
    from public.profiles p, broken
    where p.id = h.owner_id and p.timezone = broken.timezone and h.next_reminder_at <= at
    returning h.id, h.owner_id, p.timezone
  ),
  recorded as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, last_error)
    select paused.id, paused.owner_id, 'reminder', at, null, 'skipped',
      format('time_zone_unresolvable: time zone "%s" cannot be resolved on the server; the habit is paused', paused.timezone)
    from paused
    on conflict on constraint notifications_once_per_occurrence do nothing
  )
  select count(*)::integer into paused_count from paused;
  return paused_count;
end
$$;

-- function profiles_reschedule_habits()
create function private.profiles_reschedule_habits() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  update public.habits
  set next_reminder_at = private.next_occurrence(time, interval_days, starts_on, new.timezone, now())
  where owner_id = new.id and not is_paused;
  return null;
end
$$;

-- function profiles_resume_habits_paused_for_zone()
create function private.profiles_resume_habits_paused_for_zone() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  update public.habits
  set is_paused = false
  where owner_id = new.id and paused_reason = 'time_zone_unresolvable';
  return null;
end
$$;

-- function prune_housekeeping()
create function private.prune_housekeeping() returns void
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  delete from cron.job_run_details where end_time < now() - interval '7 days';
  delete from net._http_response where created < now() - interval '1 day';
  delete from public.notifications where status in ('sent', 'skipped', 'dead') and created_at < now() - interval '90 days';
  delete from private.telegram_updates where received_at < now() - interval '7 days';
  delete from public.telegram_link_codes where expires_at < now() - interval '1 day';
end
$$;

-- function queue_upcoming_reminders(timestamp with time zone, interval, integer)
create function private.queue_upcoming_reminders(at timestamp with time zone default now(), horizon interval default '00:30:00'::interval, batch_size integer default 5000) returns integer
    language plpgsql
    set search_path to ''
    set jit to 'off'
    as $$
declare
  queued integer;
  row_ids tid[];
  next_times timestamptz[];
begin
  with candidates as materialized (
    select h.ctid as habit_ctid, h.id, h.owner_id, h.time, h.interval_days, h.starts_on, h.next_reminder_at, p.timezone
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    where h.next_reminder_at > at and h.next_reminder_at <= at + horizon
    order by h.next_reminder_at
    limit batch_size
    for update of h skip locked
  ),
  -- As in private.due_reminders: each distinct zone is tried once, and no conversion below is
  -- evaluated for a zone that does not resolve.
  zones as materialized (
    select distinct c.timezone from candidates c
  ),
  resolvable as materialized (
    select z.timezone from zones z where private.time_zone_resolves(z.timezone)
  ),
  on_grid as materialized (
    select c.*, (c.next_reminder_at at time zone c.timezone)::date as local_date
    from candidates c
    where c.timezone in (select r.timezone from resolvable r)
  ),
  upcoming as materialized (
    select g.habit_ctid, g.id, g.owner_id, g.next_reminder_at as occurrence_at, following.at_time as following_at
    from on_grid g
    cross join lateral (
      select ((g.local_date + g.interval_days) + g.time) at time zone g.timezone as at_time
    ) following
    where g.local_date >= g.starts_on
      and (g.local_date - g.starts_on) % g.interval_days = 0
      and g.next_reminder_at = (g.local_date + g.time) at time zone g.timezone
      and following.at_time > g.next_reminder_at
  ),
  queued_rows as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, next_attempt_at)
    select u.id, u.owner_id, 'reminder', u.occurrence_at, u.occurrence_at, 'pending', u.occurrence_at
    from upcoming u
    on conflict on constraint notifications_once_per_occurrence do nothing
    returning 1
  )
  select (select count(*) from queued_rows), array_agg(u.habit_ctid), array_agg(u.following_at)
  into queued, row_ids, next_times
  from upcoming u;

  -- A second statement, as in private.enqueue_due_reminders: the rows are locked, so their ctid
  -- still finds them.
  if row_ids is not null then
    update public.habits h
    set next_reminder_at = advanced.next_reminder_at
    from unnest(row_ids, next_times) as advanced (row_id, next_reminder_at)
    where h.ctid = advanced.row_id and h.ctid = any (row_ids);
  end if;
  return queued;
end
$$;

-- function run_reminder_tick()
create function private.run_reminder_tick() returns void
    language plpgsql
    set search_path to ''
    as $$
begin
  perform private.skip_reminders_missed_while_down(now());
  perform private.pause_habits_with_unresolvable_zones(now());
  perform private.enqueue_due_reminders(now());
  perform private.queue_upcoming_reminders(now());
  perform private.enqueue_weekly_digests(now());
  if private.has_deliverable_notifications(now()) then
    perform private.invoke_reminders_function();
  end if;
end
$$;

-- function send_reminder_now(uuid)
create function private.send_reminder_now(habit_id uuid) returns table(outcome text, notification_id bigint, occurrence_at timestamp with time zone)
    language plpgsql
    set search_path to ''
    as $$
declare
  habit record;
  occurrence timestamptz;
  queued bigint;
begin
  select h.id, h.owner_id, h.time, h.interval_days, h.starts_on, h.is_paused, h.next_reminder_at, p.timezone
  into habit
  from public.habits h
  join public.profiles p on p.id = h.owner_id
  where h.id = send_reminder_now.habit_id
  for share of h;
  if not found then
    return query select 'not_found', null::bigint, null::timestamptz;
    return;
  end if;
  if habit.is_paused then
    return query select 'paused', null::bigint, null::timestamptz;
    return;
  end if;
  occurrence := coalesce(
    private.todays_occurrence(habit.time, habit.interval_days, habit.starts_on, habit.timezone),
    habit.next_reminder_at,
    clock_timestamp()
  );
  insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at, occurrence_at, status)
  values (habit.id, habit.owner_id, 'reminder', clock_timestamp(), clock_timestamp(), occurrence, 'pending')
  on conflict on constraint notifications_once_per_occurrence do nothing
  returning id into queued;
  if queued is null then
    return query select 'already_queued', null::bigint, occurrence;
    return;
  end if;
  perform private.invoke_reminders_function();
  return query select 'queued', queued, occurrence;
end
$$;

-- function skip_reminders_missed_while_down(timestamp with time zone, interval)
create function private.skip_reminders_missed_while_down(at timestamp with time zone default now(), grace interval default '01:00:00'::interval) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  previous_tick timestamptz;
  skipped integer := 0;
begin
  select c.last_tick_at into previous_tick from private.reminder_tick_clock c for update;
  insert into private.reminder_tick_clock as clock (last_tick_at) values (at)
  on conflict (singleton) do update set last_tick_at = greatest(clock.last_tick_at, excluded.last_tick_at);
  if previous_tick is not null and previous_tick < at - grace then
    update public.notifications n
    set status = 'skipped', last_error = 'missed while the service was down'
    where n.kind in ('reminder', 'snoozed_reminder', 'weekly_digest') and n.status = 'pending' and n.attempts = 0
      and n.next_attempt_at > previous_tick and n.next_attempt_at < at - grace;
    get diagnostics skipped = row_count;
  end if;
  return skipped;
end
$$;

-- function withdraw_reminders_queued_ahead()
create function private.withdraw_reminders_queued_ahead() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $_$
begin
  -- tg_argv[0]: the outbox column that names the changed row (habit_id or owner_id).
  execute format(
    'delete from public.notifications n where n.%I = $1 and n.kind = %L and n.status = %L and n.attempts = 0 '
      'and n.next_attempt_at > now()',
    tg_argv[0], 'reminder', 'pending')
  using new.id;
  return null;
end
$_$;

-- table reminder_tick_clock
create table private.reminder_tick_clock (
    singleton boolean default true not null,
    last_tick_at timestamp with time zone not null,
    constraint reminder_tick_clock_one_row check (singleton)
);

-- constraint reminder_tick_clock reminder_tick_clock_pkey
alter table only private.reminder_tick_clock
    add constraint reminder_tick_clock_pkey primary key (singleton);

-- index habits_next_reminder_at_idx
create index habits_next_reminder_at_idx on public.habits using btree (next_reminder_at);

-- trigger habits habits_withdraw_reminders_queued_ahead
create trigger habits_withdraw_reminders_queued_ahead after update of owner_id, "time", interval_days, starts_on, is_paused on public.habits for each row when ((old.owner_id, old.time, old.interval_days, old.starts_on, old.is_paused)
  is distinct from (new.owner_id, new.time, new.interval_days, new.starts_on, new.is_paused)) execute function private.withdraw_reminders_queued_ahead('habit_id');

-- trigger profiles profiles_reschedule_habits
create trigger profiles_reschedule_habits after update of timezone on public.profiles for each row when ((old.timezone is distinct from new.timezone)) execute function private.profiles_reschedule_habits();

-- trigger profiles profiles_resume_habits_paused_for_zone
create trigger profiles_resume_habits_paused_for_zone after update of timezone on public.profiles for each row when ((old.timezone is distinct from new.timezone)) execute function private.profiles_resume_habits_paused_for_zone();

-- trigger profiles profiles_withdraw_reminders_queued_ahead
create trigger profiles_withdraw_reminders_queued_ahead after update of timezone on public.profiles for each row when ((old.timezone is distinct from new.timezone)) execute function private.withdraw_reminders_queued_ahead('owner_id');
