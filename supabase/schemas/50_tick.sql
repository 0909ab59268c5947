-- The reminder tick: due reminders, reminders queued ahead, per-person isolation, housekeeping.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- A tick setting by name (private.setting).
create function private.reminder_tick_setting(setting text) returns integer
    language sql stable
    set search_path to ''
    as $$
  select private.setting(setting, 'tick')
$$;

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
    -- Ids in rounds, as in private.queue_upcoming_reminders.
    order by due.occurrence_at, row_number() over (partition by due.owner_id, due.occurrence_at order by due.habit_id),
      due.owner_id
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

-- Pauses the habits due at `at` whose owner's zone no longer resolves. PL/pgSQL: as a SQL
-- for an unknown `at` (a third of all habits due), so every tick with nothing due cost ~40 ms at
-- 1,000,000 habits instead of an index probe (bench/scheduling.ts, zoneCheckMs).
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

-- When the owner moves to another time zone, future reminders move with them.
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

-- Prunes what grows without bound: pg_cron's run log, pg_net's responses, delivered or
-- abandoned notifications, handled Telegram updates and spent link codes.
create function private.prune_housekeeping() returns void
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  delete from cron.job_run_details where end_time < now() - interval '7 days';
  delete from net._http_response where created < now() - interval '1 day';
  delete from public.notifications
  where status in ('sent', 'skipped', 'dead', 'unconfirmed') and created_at < now() - interval '90 days';
  delete from private.telegram_updates where received_at < now() - interval '7 days';
  delete from public.telegram_link_codes where expires_at < now() - interval '1 day';
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
    -- Ids in rounds: a claim takes messages due at one instant in id order, one per chat first; a
    -- chat whose first was sent competes with its second. Numbered chat by chat, the first chats
    -- got all their reminders before the last got one, and the last ones' came at the end, a chat
    -- gap apart, with nothing else left to send (issue 27, bench/dispatch.ts phase C).
    order by u.occurrence_at, row_number() over (partition by u.owner_id, u.occurrence_at order by u.id), u.owner_id
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

-- The tick: what was missed while it could not run, then what is due now (catch-up included),
-- then what is coming within the horizon.
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

-- A reminder on demand (development: the chat page's "Remind me now", `deno task remind-now`):
-- one reminder of the habit, now, through the same outbox and dispatcher as every other, for its
-- current occurrence (today's when today is on its grid, else the next one). The habit itself is
-- left as it is: its time, schedule and next_reminder_at do not move. The outbox row is due now,
-- so the unique key (habit, kind, due time) never meets the scheduled reminder of that occurrence.
-- Service role only: nobody on the Data API can have reminders sent at will.
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

-- A message of any scheduled kind (reminder, snoozed reminder, weekly digest) whose time passed
-- while no tick ran is skipped once it is more than `reminder_grace_minutes` late, not sent hours
-- or days late; so is one that was waiting to be sent or tried again when the tick stopped. The
-- "habit created" note is not scheduled: it goes out whenever it can.
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
    -- Late by its due time, whatever kept it: never tried (queued ahead, or by the last tick
    -- before the outage), or waiting for its next attempt (a 5xx, a 429, a maybe delivered
    -- resend, a hand-back). One that may have reached the chat ends unconfirmed, never as if it
    -- had not arrived. Not one still to come.
    update public.notifications n
    set status = case when n.maybe_delivered_attempts > 0 then 'unconfirmed' else 'skipped' end,
      last_error = case
        when n.maybe_delivered_attempts > 0 then
          format('maybe delivered %s time(s) before; then missed while the service was down', n.maybe_delivered_attempts)
        when n.last_error is not null then 'missed while the service was down; was: ' || n.last_error
        else 'missed while the service was down' end
    where n.kind in ('reminder', 'snoozed_reminder', 'weekly_digest') and n.status in ('pending', 'retry')
      and n.next_attempt_at <= at and n.due_at < at - grace;
    get diagnostics skipped = row_count;
    -- Claimed by a run that stopped in the gap (no run holds the dispatcher lease): ended here
    -- rather than taken over (private.recover_claims_of_stopped_runs) and sent hours late. One
    -- whose send slot was noted after its claim could have left: maybe delivered, unconfirmed.
    -- That run is fenced off first: a new generation, so a run that only stalled can neither
    -- send, hand back (which would queue them again) nor record what is ended here. A lease
    -- being renewed meanwhile is waited for and then left alone (it no longer matches).
    update private.reminder_dispatcher d set generation = nextval('private.reminder_dispatcher_generation')
    where d.lease_until <= at and exists (
      select from public.notifications o
      where o.kind in ('reminder', 'snoozed_reminder', 'weekly_digest') and o.status = 'sending'
        and o.due_at < at - grace);
    if not exists (select from private.reminder_dispatcher d where d.lease_until > at) then
      with stopped as (
        select o.id, o.maybe_delivered_attempts + case when exists (
            select from private.notification_send_slots s
            where s.notification_id = o.id and s.slot_at >= o.updated_at) then 1 else 0 end as maybe_delivered
        from public.notifications o
        where o.kind in ('reminder', 'snoozed_reminder', 'weekly_digest') and o.status = 'sending'
          and o.due_at < at - grace
        for update of o
      ),
      ended as (
        update public.notifications n
        set status = case when s.maybe_delivered > 0 then 'unconfirmed' else 'skipped' end,
          maybe_delivered_attempts = s.maybe_delivered, lease_until = null,
          last_error = case when s.maybe_delivered > 0
            then format('maybe delivered %s time(s) before; then missed while the service was down', s.maybe_delivered)
            else 'missed while the service was down; was: claimed by a run that stopped before sending it' end
        from stopped s
        where n.id = s.id
        returning n.id
      ),
      cleared as (
        delete from private.notification_send_slots ns using ended e where ns.notification_id = e.id
      )
      select skipped + count(*)::integer into skipped from ended;
    end if;
  end if;
  return skipped;
end
$$;

-- A reminder queued ahead belongs to the schedule it was computed from. When the owner changes
-- that schedule (time, interval, first day, pausing) or their time zone before it is due, it is
-- withdrawn, and the habit's new next_reminder_at (set by the schedule triggers) is queued in its
-- place. Only untried rows still in the future are withdrawn: one already due is sent as before,
-- also one handed back to wait out a pause of sends (its next attempt is after now, its due time
-- is not).
create function private.withdraw_reminders_queued_ahead() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $_$
begin
  -- tg_argv[0]: the outbox column that names the changed row (habit_id or owner_id).
  execute format(
    'delete from public.notifications n where n.%I = $1 and n.kind = %L and n.status = %L and n.attempts = 0 '
      'and n.due_at > now() and n.next_attempt_at > now()',
    tg_argv[0], 'reminder', 'pending')
  using new.id;
  return null;
end
$_$;

-- A reminder queued ahead whose time passed while no tick ran (the database was down) is treated
-- as the due path treats a missed occurrence: sent if it is at most `grace` late, recorded as
-- skipped otherwise. The tick remembers when it last ran: only after a gap longer than `grace` is
-- anything skipped, then every scheduled message more than `grace` late, tried or not. A backlog
-- the dispatcher is working through while the ticks run (a burst at Telegram's rate) is not touched.
create table private.reminder_tick_clock (
    singleton boolean default true not null,
    last_tick_at timestamp with time zone not null,
    constraint reminder_tick_clock_one_row check (singleton)
);

alter table only private.reminder_tick_clock
    add constraint reminder_tick_clock_pkey primary key (singleton);

create index habits_next_reminder_at_idx on public.habits using btree (next_reminder_at);

create trigger habits_withdraw_reminders_queued_ahead after update of owner_id, "time", interval_days, starts_on, is_paused on public.habits for each row when ((old.owner_id, old.time, old.interval_days, old.starts_on, old.is_paused)
  is distinct from (new.owner_id, new.time, new.interval_days, new.starts_on, new.is_paused)) execute function private.withdraw_reminders_queued_ahead('habit_id');

create trigger profiles_reschedule_habits after update of timezone on public.profiles for each row when ((old.timezone is distinct from new.timezone)) execute function private.profiles_reschedule_habits();

create trigger profiles_resume_habits_paused_for_zone after update of timezone on public.profiles for each row when ((old.timezone is distinct from new.timezone)) execute function private.profiles_resume_habits_paused_for_zone();

create trigger profiles_withdraw_reminders_queued_ahead after update of timezone on public.profiles for each row when ((old.timezone is distinct from new.timezone)) execute function private.withdraw_reminders_queued_ahead('owner_id');
