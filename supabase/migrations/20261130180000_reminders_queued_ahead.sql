-- =====================================================================================
-- Reminders queued ahead of their time, so that the busiest minute costs no more than any other
-- =====================================================================================

-- Queueing a reminder is a write per habit: the outbox row, and the habit's next_reminder_at
-- moved on. When 100,000 people chose 07:00 that was 100,000 of each in the 07:00 tick (6–8 s on
-- the benchmark machine, bench/scheduling.ts), while Telegram waited. Now every tick also queues,
-- earliest first and at most `batch_size` of them, the reminders whose time falls within the next
-- `horizon`: each outbox row waits with next_attempt_at at its due time (nothing claims it
-- earlier: private.claim_notifications and has_deliverable_notifications only take rows whose
-- next_attempt_at has come), and the habit's next_reminder_at moves on to the occurrence after it.
-- A burst is queued over the minutes before it, batch by batch, and is ready at its second.
--
-- Only habits whose next_reminder_at is exactly an occurrence of their schedule are queued ahead,
-- with the same arithmetic as the tick's fast path (private.due_reminders, at = that occurrence):
-- the occurrence is next_reminder_at, and the next one is its local date plus the interval, at the
-- habit's local time. Anything else (a zone that does not resolve, a next_reminder_at set by
-- hand) is left to private.enqueue_due_reminders when it is due.
create function private.queue_upcoming_reminders(
  at timestamptz default now(),
  horizon interval default '30 minutes',
  batch_size integer default 5000
)
returns integer
language plpgsql
volatile
set search_path = ''
set jit = off
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

revoke execute on function private.queue_upcoming_reminders(timestamptz, interval, integer) from public, anon, authenticated;
grant execute on function private.queue_upcoming_reminders(timestamptz, interval, integer) to service_role;

-- The claim's view of each chat's queue read every pending row (`next_attempt_at <= now() or
-- status = 'sending'` is no index range), so with 100,000 reminders queued ahead of a burst each
-- claim in the half hour before it scanned them all (40 ms). It now reads the due rows and the
-- rows in flight through two partial indexes, and locks what it chose by id; what it returns is
-- unchanged.
create index notifications_in_flight_idx on public.notifications (next_attempt_at) where status = 'sending';

create or replace function private.claim_notifications(batch_size integer default 50, lease interval default '2 minutes')
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
  with queue as (
    select n.id, n.next_attempt_at, n.kind,
      n.status = 'sending' and n.next_attempt_at > now() as in_flight,
      row_number() over (
        partition by n.owner_id
        order by n.status = 'sending' and n.next_attempt_at > now() desc,
          n.kind <> 'habit_created', n.next_attempt_at, n.id
      ) as place_in_chat
    from (
      select * from public.notifications d
      where d.status in ('pending', 'retry', 'sending') and d.next_attempt_at <= now()
      union all
      select * from public.notifications f
      where f.status = 'sending' and f.next_attempt_at > now()
    ) n
  ),
  -- Chosen first, then locked by id: joined to the queue instead, a misestimate on rows queued
  -- moments ago (rows=1) made the planner rescan the queue once per row, 44 s for 10,000.
  chosen as materialized (
    select q.id from queue q
    where not q.in_flight and q.place_in_chat <= 2
    order by q.place_in_chat, q.kind <> 'habit_created', q.next_attempt_at, q.id
    limit batch_size
  ),
  claimable as (
    select n.id from public.notifications n
    where n.id = any (array(select c.id from chosen c))
      and n.status in ('pending', 'retry', 'sending') and n.next_attempt_at <= now()
    for update of n skip locked
  ),
  claimed as (
    update public.notifications n
    set status = 'sending', attempts = n.attempts + 1, next_attempt_at = now() + lease, lease_until = now() + lease,
      -- Still 'sending': the run that claimed it died, perhaps after sending it.
      maybe_delivered_attempts = n.maybe_delivered_attempts + case when n.status = 'sending' then 1 else 0 end
    from claimable
    where n.id = claimable.id
    returning n.*
  )
  select c.id, c.kind, c.attempts, c.due_at, c.occurrence_at, c.habit_id, p.telegram_chat_id, p.timezone,
    h.action, h.place, h.time, h.interval_days, h.duration_seconds, h.reward, h.is_pleasant, h.is_paused,
    pleasant.action, pleasant.place
  from claimed c
  left join public.habits h on h.id = c.habit_id
  join public.profiles p on p.id = c.owner_id
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  order by c.kind <> 'habit_created', c.due_at
$$;

-- A reminder queued ahead belongs to the schedule it was computed from. When the owner changes
-- that schedule (time, interval, first day, pausing) or their time zone before it is due, it is
-- withdrawn, and the habit's new next_reminder_at (set by the schedule triggers) is queued in its
-- place. Only untried rows still in the future are withdrawn: one already due is sent as before.
create function private.withdraw_reminders_queued_ahead()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- tg_argv[0]: the outbox column that names the changed row (habit_id or owner_id).
  execute format(
    'delete from public.notifications n where n.%I = $1 and n.kind = %L and n.status = %L and n.attempts = 0 '
      'and n.next_attempt_at > now()',
    tg_argv[0], 'reminder', 'pending')
  using new.id;
  return null;
end
$$;

create trigger habits_withdraw_reminders_queued_ahead
after update of owner_id, time, interval_days, starts_on, is_paused on public.habits
for each row
when ((old.owner_id, old.time, old.interval_days, old.starts_on, old.is_paused)
  is distinct from (new.owner_id, new.time, new.interval_days, new.starts_on, new.is_paused))
execute function private.withdraw_reminders_queued_ahead('habit_id');

create trigger profiles_withdraw_reminders_queued_ahead
after update of timezone on public.profiles
for each row
when (old.timezone is distinct from new.timezone)
execute function private.withdraw_reminders_queued_ahead('owner_id');

-- A reminder queued ahead whose time passed while no tick ran (the database was down) is treated
-- as the due path treats a missed occurrence: sent if it is at most `grace` late, recorded as
-- skipped otherwise. The tick remembers when it last ran; only reminders that fell due after that
-- and more than `grace` ago, never tried, are skipped. A backlog the dispatcher is working
-- through while the ticks run (a burst at Telegram's rate) is not touched.
create table private.reminder_tick_clock (
  singleton boolean primary key default true constraint reminder_tick_clock_one_row check (singleton),
  last_tick_at timestamptz not null
);
revoke all on private.reminder_tick_clock from public, anon, authenticated;
grant select, insert, update, delete on private.reminder_tick_clock to service_role;

create function private.skip_reminders_missed_while_down(at timestamptz default now(), grace interval default '1 hour')
returns integer
language plpgsql
volatile
set search_path = ''
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
    where n.kind = 'reminder' and n.status = 'pending' and n.attempts = 0
      and n.next_attempt_at > previous_tick and n.next_attempt_at < at - grace;
    get diagnostics skipped = row_count;
  end if;
  return skipped;
end
$$;

revoke execute on function private.skip_reminders_missed_while_down(timestamptz, interval) from public, anon, authenticated;
grant execute on function private.skip_reminders_missed_while_down(timestamptz, interval) to service_role;

-- The tick: what was missed while it could not run, then what is due now (catch-up included),
-- then what is coming within the horizon.
create or replace function private.run_reminder_tick()
returns void
language plpgsql
volatile
set search_path = ''
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
