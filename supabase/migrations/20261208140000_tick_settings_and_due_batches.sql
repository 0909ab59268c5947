-- =====================================================================================
-- 1. One home for the tick's settings (issue 25, section 3). The queue-ahead horizon and batch
--    were defaults in private.queue_upcoming_reminders' signature (found by the benchmark with a
--    regular expression over it), and the outage grace '1 hour' was written in three signatures.
--    They are now rows of private.settings, each bounded by a CHECK, read by every function
--    that needs them and by the benchmarks:
--      update private.settings set value = 45 where name = 'reminder_queue_ahead_minutes';
-- 2. The due path after an outage (issue 27). When nothing was queued ahead, the tick queued
--    every due reminder in one transaction: 100,000 due in one minute took 7–12 s, while
--    Telegram waited for the first of them. It now queues at most `reminder_tick_batch` of them
--    a transaction, earliest first: pg_cron's command runs the tick and then the rest of such a
--    burst batch by batch (private.queue_due_batch), each committed, within the minute.
-- =====================================================================================

insert into private.settings (name, value) values
  ('reminder_queue_ahead_minutes', 30),
  ('reminder_tick_batch', 5000),
  ('reminder_grace_minutes', 60);

alter table private.settings
  add constraint settings_reminder_queue_ahead_minutes_range
    check (name <> 'reminder_queue_ahead_minutes' or value between 0 and 1440),
  add constraint settings_reminder_tick_batch_range
    check (name <> 'reminder_tick_batch' or value between 1 and 100000),
  add constraint settings_reminder_grace_minutes_range
    check (name <> 'reminder_grace_minutes' or value between 1 and 1440);

-- A tick setting by name; a missing row is an error that names it, never a silent default.
create function private.reminder_tick_setting(setting text) returns integer
    language plpgsql stable
    set search_path to ''
    as $$
declare
  found_value integer;
begin
  select s.value into found_value from private.settings s where s.name = setting;
  if found_value is null then
    raise exception 'the tick setting "%" is missing from private.settings', setting
      using errcode = 'no_data_found';
  end if;
  return found_value;
end
$$;

revoke all on function private.reminder_tick_setting(text) from public;
grant all on function private.reminder_tick_setting(text) to service_role;

-- The signatures change (the settings' parameters go), so the functions are created anew.
drop function private.enqueue_due_reminders(timestamp with time zone, interval);
drop function private.due_reminders(timestamp with time zone, boolean);
drop function private.queue_upcoming_reminders(timestamp with time zone, interval, integer);
drop function private.skip_reminders_missed_while_down(timestamp with time zone, interval);
drop function private.enqueue_weekly_digests(timestamp with time zone, interval);

-- The habits due at `at`, locked (others' locks are skipped), with the occurrence to remind and
-- the next one; at most `max_rows` of them, earliest first (null: every due habit).
-- `fast_path => false` computes every row by the slow path: the equality test in
-- supabase/tests compares both over the same sample. Habits whose owner's zone does not resolve
-- are not returned: nothing about them can be computed, and run_reminder_tick pauses them first
-- (private.pause_habits_with_unresolvable_zones); a zone that stops resolving in between is
-- left for the next tick rather than failing this one.
--
-- A row takes the fast path only when that provably gives the slow path's answer: next_reminder_at
-- is exactly the occurrence of a grid date D (the local time on D, converted, as next_occurrence
-- builds it), the local date of `at` lies in [D, D + interval], and the occurrence on D + interval
-- is after `at`. The local timestamp is built on the real calendar date and only then converted,
-- so a time in a spring-forward gap moves forward by the gap and a time repeated at fall-back is
-- reminded once, exactly as in private.next_occurrence.
create function private.due_reminders(at timestamp with time zone, fast_path boolean default true, max_rows integer default null) returns table(row_id tid, habit_id uuid, owner_id uuid, occurrence_at timestamp with time zone, next_reminder_at timestamp with time zone, by_fast_path boolean)
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
    order by h.next_reminder_at
    limit max_rows
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

-- Queues a reminder for at most `reminder_tick_batch` of the habits due at `at`, earliest first
-- (due at `at`, not at the clock's now(): the same in the cron tick (at = now()), and a tick run
-- for a given instant (the property test's simulated minutes) queues what is due at that
-- instant). An occurrence more than `reminder_grace_minutes` late is recorded as skipped.
-- Returns how many outbox rows it wrote; pg_cron's command calls it again (private.queue_due_batch),
-- each call its own transaction, until one writes none.
create function private.enqueue_due_reminders(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set jit to 'off'
    as $$
declare
  grace constant interval := make_interval(mins => private.reminder_tick_setting('reminder_grace_minutes'));
  batch constant integer := private.reminder_tick_setting('reminder_tick_batch');
  queued integer;
  row_ids tid[];
  next_times timestamptz[];
begin
  with due as materialized (
    select * from private.due_reminders(at, max_rows => batch)
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

-- Queueing a reminder is a write per habit: the outbox row, and the habit's next_reminder_at
-- moved on. When 100,000 people chose 07:00 that was 100,000 of each in the 07:00 tick (6–8 s on
-- the benchmark machine, bench/scheduling.ts), while Telegram waited. Now every tick also queues,
-- earliest first and at most `reminder_tick_batch` of them, the reminders whose time falls within
-- the next `reminder_queue_ahead_minutes`: each outbox row waits with next_attempt_at at its due
-- time (nothing claims it earlier: private.claim_notifications and has_deliverable_notifications
-- only take rows whose next_attempt_at has come), and the habit's next_reminder_at moves on to
-- the occurrence after it. A burst is queued over the minutes before it, batch by batch, and is
-- ready at its second.
--
-- Only habits whose next_reminder_at is exactly an occurrence of their schedule are queued ahead,
-- with the same arithmetic as the tick's fast path (private.due_reminders, at = that occurrence):
-- the occurrence is next_reminder_at, and the next one is its local date plus the interval, at the
-- habit's local time. Anything else (a zone that does not resolve, a next_reminder_at set by
-- hand) is left to private.enqueue_due_reminders when it is due.
create function private.queue_upcoming_reminders(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set jit to 'off'
    as $$
declare
  horizon constant interval := make_interval(mins => private.reminder_tick_setting('reminder_queue_ahead_minutes'));
  batch_size constant integer := private.reminder_tick_setting('reminder_tick_batch');
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

-- A message of any scheduled kind (reminder, snoozed reminder, weekly digest) whose time passed
-- while no tick ran is skipped once it is more than `reminder_grace_minutes` late, not sent hours
-- or days late. The "habit created" note is not scheduled: it goes out whenever it can.
create function private.skip_reminders_missed_while_down(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  grace constant interval := make_interval(mins => private.reminder_tick_setting('reminder_grace_minutes'));
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

-- Queues the digests due at `at` (at most `reminder_grace_minutes` late) for everyone who opted
-- in, has a linked chat and at least one habit. Each distinct zone is tried once, and no zone
-- conversion is evaluated for one that does not resolve: such a subscriber's digest is recorded
-- as skipped with the reason, once a week, in their own history, and nobody else's is touched.
-- That record does not count as the week's digest, so the next one after choosing a zone goes out.
create function private.enqueue_weekly_digests(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  grace constant interval := make_interval(mins => private.reminder_tick_setting('reminder_grace_minutes'));
  queued integer;
begin
  with subscribers as materialized (
    select p.id, p.timezone, p.digest_weekday, p.digest_time
    from public.profiles p
    where p.weekly_digest and p.telegram_chat_id is not null
      and exists (select 1 from public.habits h where h.owner_id = p.id)
  ),
  zones as materialized (
    select distinct s.timezone from subscribers s
  ),
  resolvable as materialized (
    select z.timezone from zones z where private.time_zone_resolves(z.timezone)
  ),
  on_time as materialized (
    select s.id, s.digest_weekday, s.digest_time, s.timezone from subscribers s
    where s.timezone in (select r.timezone from resolvable r)
  ),
  due as materialized (
    select o.id, private.digest_due_at(o.digest_weekday, o.digest_time, o.timezone, at) as due_at
    from on_time o
  ),
  queued_rows as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at)
    select null, due.id, 'weekly_digest', due.due_at, due.due_at
    from due
    where due.due_at > at - grace
      and not exists (
        select 1 from public.notifications n
        where n.owner_id = due.id and n.kind = 'weekly_digest' and n.due_at > due.due_at - interval '6 days'
          and coalesce(n.last_error, '') not like 'time_zone_unresolvable:%'
      )
    on conflict (owner_id, due_at) where kind = 'weekly_digest' do nothing
    returning 1
  ),
  unresolvable as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, status, last_error)
    select null, s.id, 'weekly_digest', at, 'skipped',
      format('time_zone_unresolvable: time zone "%s" cannot be resolved on the server; the weekly digest is paused until a zone is chosen again', s.timezone)
    from subscribers s
    where s.timezone not in (select r.timezone from resolvable r)
      and not exists (
        select 1 from public.notifications n
        where n.owner_id = s.id and n.kind = 'weekly_digest' and n.due_at > at - interval '7 days'
      )
    on conflict (owner_id, due_at) where kind = 'weekly_digest' do nothing
  )
  select count(*)::integer into queued from queued_rows;
  return queued;
end
$$;

-- The rest of a burst that was not queued ahead (after an outage, or beyond what the half hour
-- before could queue): one more batch of the due path, and the dispatcher started for it. pg_cron's
-- command runs the tick (private.run_reminder_tick, which queues the first batch) and then this,
-- each call in its own transaction, committed as it is written, so that the first reminders are
-- sent while the next are queued; it answers whether another batch should follow: not when this
-- one wrote nothing, nor 50 seconds after the tick started (the next minute's tick goes on; the
-- batches skip rows another run holds).
create function private.queue_due_batch(tick_started timestamp with time zone) returns boolean
    language plpgsql
    set search_path to ''
    as $$
begin
  if clock_timestamp() > tick_started + interval '50 seconds' then
    return false;
  end if;
  if private.enqueue_due_reminders(now()) = 0 then
    return false;
  end if;
  if private.has_deliverable_notifications(now()) then
    perform private.invoke_reminders_function();
  end if;
  return true;
end
$$;

revoke all on function private.due_reminders(timestamp with time zone, boolean, integer) from public;
grant all on function private.due_reminders(timestamp with time zone, boolean, integer) to service_role;
revoke all on function private.enqueue_due_reminders(timestamp with time zone) from public;
grant all on function private.enqueue_due_reminders(timestamp with time zone) to service_role;
revoke all on function private.queue_upcoming_reminders(timestamp with time zone) from public;
grant all on function private.queue_upcoming_reminders(timestamp with time zone) to service_role;
revoke all on function private.skip_reminders_missed_while_down(timestamp with time zone) from public;
grant all on function private.skip_reminders_missed_while_down(timestamp with time zone) to service_role;
revoke all on function private.enqueue_weekly_digests(timestamp with time zone) from public;
grant all on function private.enqueue_weekly_digests(timestamp with time zone) to service_role;
revoke all on function private.queue_due_batch(timestamp with time zone) from public;
grant all on function private.queue_due_batch(timestamp with time zone) to service_role;

-- pg_cron's command: the tick, then the due path's remaining batches, each committed. A DO block,
-- not a procedure: COMMIT is allowed only in a procedure without a SET clause, and every function
-- here keeps its fixed search_path (Supabase's advisor 0011). A plain update, as in
-- 20261207180000 (cron.schedule in the session that applies every migration fails on a fresh
-- database).
update cron.job set command = $cron$do $tick$
declare
  started constant timestamptz := clock_timestamp();
begin
  perform private.run_reminder_tick();
  commit;
  while private.queue_due_batch(started) loop
    commit;
  end loop;
end
$tick$$cron$
where jobname = 'reminder-tick';
-- The update's own trigger tells pg_cron's scheduler to reload its jobs, but in the session that
-- applied 20261130120700 (a fresh database applies every migration in one) it names the
-- extension's former table, and the scheduler would keep the old command until a restart.
-- Analyzing the table updates its pg_class row, which invalidates the current table's cache in
-- every session, the scheduler's included.
analyze cron.job;
