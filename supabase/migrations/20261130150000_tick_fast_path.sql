-- =====================================================================================
-- The reminder tick's fast path: the normal case computed in one set-based expression
-- =====================================================================================

-- In the normal case the occurrence being reminded is next_reminder_at itself, and the next one
-- is that occurrence's local date plus the interval, at the habit's local time. The slow path
-- (private.latest_occurrence_at_or_before and private.next_occurrence, two or more PL/pgSQL calls
-- per habit) is kept for everything else: catch-up after downtime, a schedule edited since, an
-- anchor in the future.

-- The habits due at `at`, locked (others' locks are skipped), with the occurrence to remind and
-- the next one. `fast_path => false` computes every row by the slow path: the equality test in
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
create function private.due_reminders(at timestamptz, fast_path boolean default true)
returns table (
  row_id tid,
  habit_id uuid,
  owner_id uuid,
  occurrence_at timestamptz,
  next_reminder_at timestamptz,
  by_fast_path boolean
)
language plpgsql
volatile
set search_path = ''
-- JIT compilation costs more than it saves on this statement (tens of ms at the 100,000 peak).
set jit = off
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

-- Like every private helper, callable by the service role and nobody else.
grant execute on function private.due_reminders(timestamptz, boolean) to service_role;

-- Moves every due habit into the outbox and advances its next reminder. Idempotent: the outbox's
-- unique key (habit, kind, due time) absorbs a repeated tick. Reminders missed while the service
-- was down collapse into one for the most recent occurrence; if even that is older than
-- `grace`, it is recorded as skipped rather than sent late. Returns the number of rows queued.
--
-- Two statements: the outbox insert's foreign-key checks run at the end of the first, before the
-- habits change (after it they meet two index entries per habit). The second updates the locked
-- rows by ctid (no join over all habits) in a new snapshot, so a row another transaction changed
-- before we locked it is found at its current version.
create or replace function private.enqueue_due_reminders(at timestamptz default now(), grace interval default '1 hour')
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
  with due as materialized (
    select * from private.due_reminders(at)
  ),
  queued_rows as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, last_error)
    select due.habit_id, due.owner_id, 'reminder', due.occurrence_at, due.occurrence_at,
      case when due.occurrence_at < at - grace then 'skipped' else 'pending' end,
      case when due.occurrence_at < at - grace then 'missed while the service was down' end
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

-- updated_at records edits of the habit. The tick (and a time-zone change) set next_reminder_at
-- alone on up to every due habit; bumping updated_at there cost a trigger call per row.
drop trigger habits_set_updated_at on public.habits;
create trigger habits_set_updated_at
before update of owner_id, action, place, time, interval_days, duration_seconds, is_pleasant, related_habit_id,
  reward, is_public, is_paused, paused_reason, starts_on
on public.habits
for each row execute function private.set_updated_at();

-- The same isolation as in 20261130120500, in PL/pgSQL: as a SQL function its query was planned
-- for an unknown `at` (a third of all habits due), so every tick with nothing due cost ~40 ms at
-- 1,000,000 habits instead of an index probe (bench/scheduling.ts, zoneCheckMs).
create or replace function private.pause_habits_with_unresolvable_zones(at timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = ''
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
