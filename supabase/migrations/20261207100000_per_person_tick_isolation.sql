-- =====================================================================================
-- Per-person isolation in the reminder tick and the dispatcher's claim
-- One person's state (a zone the server no longer resolves, an account whose history reaches
-- back to year 1, a digest that falls due at the same instant as someone else's) no longer
-- stops anyone else's reminders. Found by tests/properties/tick_and_claim_test.ts.
-- =====================================================================================

-- ------------------------------------------------------------------ digests unique per person

-- The outbox key treated every digest as the same habit (habit_id is null, and NULLS NOT
-- DISTINCT makes nulls equal), so two people's digests at one instant collided with 23505 and
-- the whole tick failed, every minute, for the grace hour. The owner is now part of the key: for
-- a habit's messages it changes nothing (a habit has one owner), and a digest is unique per
-- person and instant (as notifications_digest_once_per_instant also says).
alter table public.notifications
  drop constraint notifications_once_per_occurrence,
  add constraint notifications_once_per_occurrence
    unique nulls not distinct (habit_id, kind, due_at, snoozed_from_id, owner_id);

-- ------------------------------------------------------------------ the digest step

-- Queues the digests due at `at` (at most `grace` late) for everyone who opted in, has a linked
-- chat and at least one habit. Each distinct zone is tried once, and no zone conversion is
-- evaluated for one that does not resolve: such a subscriber's digest is recorded as skipped
-- with the reason, once a week, in their own history, and nobody else's is touched. That
-- record does not count as the week's digest, so the next one after choosing a zone goes out.
create or replace function private.enqueue_weekly_digests(at timestamptz default now(), grace interval default '1 hour')
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
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

-- ------------------------------------------------------------------ the due step

-- As before, with the queued row due at `at` rather than at the clock's now(): the same in the
-- cron tick (at = now()), and a tick run for a given instant (the property test's simulated
-- minutes) queues what is due at that instant.
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

-- ------------------------------------------------------------------ outages

-- A message of any scheduled kind (reminder, snoozed reminder, weekly digest) whose time passed
-- while no tick ran is skipped once it is more than `grace` late, not sent hours or days late.
-- The "habit created" note is not scheduled: it goes out whenever it can.
create or replace function private.skip_reminders_missed_while_down(at timestamptz default now(), grace interval default '1 hour')
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
    where n.kind in ('reminder', 'snoozed_reminder', 'weekly_digest') and n.status = 'pending' and n.attempts = 0
      and n.next_attempt_at > previous_tick and n.next_attempt_at < at - grace;
    get diagnostics skipped = row_count;
  end if;
  return skipped;
end
$$;

-- ------------------------------------------------------------------ bounded streaks

-- A streak looks back at most this many occurrences of a habit (about 2.7 years of a daily
-- habit), however far back its first day lies: the walk costs the same for a habit begun in
-- year 1 as for one begun three years ago.
create function private.streak_lookback()
returns integer
language sql
immutable
set search_path = ''
as $$ select 1000 $$;
revoke execute on function private.streak_lookback() from public, anon, authenticated;
grant execute on function private.streak_lookback() to service_role;

-- The habit's current streak, walked back from its latest occurrence as before (it stops at the
-- first miss, so a reminder usually costs a few index probes), over at most streak_lookback()
-- occurrences. Same rules as before: today's occurrence, not yet done, is pending and breaks
-- nothing; an occurrence before the habit was created counts only if it was done, and never
-- breaks the streak (those are counted at once, within the same window).
create or replace function private.current_streak(habit uuid)
returns integer
language plpgsql
stable
set search_path = ''
as $$
declare
  h record;
  today date;
  day date;
  earliest date;
  occurrence timestamptz;
  streak integer := 0;
begin
  select hb.time, hb.interval_days, hb.starts_on, hb.created_at, p.timezone
  into h
  from public.habits hb
  join public.profiles p on p.id = hb.owner_id
  where hb.id = habit;
  if not found then
    return 0;
  end if;
  today := (now() at time zone h.timezone)::date;
  if today < h.starts_on then
    return 0;
  end if;
  day := today - (today - h.starts_on) % h.interval_days;
  earliest := greatest(h.starts_on, day - (private.streak_lookback() - 1) * h.interval_days);
  while day >= earliest loop
    occurrence := (day + h.time) at time zone h.timezone;
    if occurrence < h.created_at then
      return streak + (
        select count(*)::integer
        from public.habit_completions c
        cross join lateral (select (c.occurrence_at at time zone h.timezone)::date as local_day) l
        where c.habit_id = habit and c.occurrence_at <= occurrence
          and c.occurrence_at >= (earliest + h.time) at time zone h.timezone
          and l.local_day >= earliest and (l.local_day - h.starts_on) % h.interval_days = 0
          and (l.local_day + h.time) at time zone h.timezone = c.occurrence_at);
    end if;
    if exists (select from public.habit_completions c where c.habit_id = habit and c.occurrence_at = occurrence) then
      streak := streak + 1;
    elsif day <> today then
      exit;
    end if;
    day := day - h.interval_days;
  end loop;
  return streak;
end
$$;
comment on function private.current_streak(uuid) is
  'The habit''s current streak, as private.habit_streaks counts it, over at most streak_lookback() occurrences back.';

-- habit_streaks (/stats, Done replies, the weekly digest) over the same bounded window: the
-- last streak_lookback() occurrences up to today. The best streak is the best within it.
create or replace function private.habit_streaks(owner uuid, only_habit uuid default null)
returns table (habit_id uuid, action text, is_paused boolean, streak integer, best_streak integer, last_marks text,
  week_marks text, week_done integer, week_due integer)
language sql
stable
set search_path = ''
as $$
  with grid as (
    select h.id, h.time, h.interval_days, h.created_at, p.timezone, t.today,
      t.today - (t.today - h.starts_on) % h.interval_days as last_day,
      (t.today - h.starts_on) / h.interval_days as occurrences_before_last
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    cross join lateral (select (now() at time zone p.timezone)::date as today) t
    where h.owner_id = habit_streaks.owner and (habit_streaks.only_habit is null or h.id = habit_streaks.only_habit)
      and t.today >= h.starts_on
  ),
  occurrences as (
    select g.id, o.day, o.at,
      exists (select 1 from public.habit_completions c where c.habit_id = g.id and c.occurrence_at = o.at) as done,
      o.day = g.today as is_today,
      o.day > g.today - 7 as this_week,
      o.at < g.created_at as before_creation
    from grid g
    cross join lateral generate_series(0, least(private.streak_lookback() - 1, g.occurrences_before_last)) n
    cross join lateral (
      select g.last_day - n * g.interval_days as day,
        ((g.last_day - n * g.interval_days) + g.time) at time zone g.timezone as at
    ) o
  ),
  counted as (
    select *, case when done then 'done' when is_today then 'pending' else 'missed' end as mark
    from occurrences
    where done or not before_creation
  ),
  runs as (
    select id, day, done,
      row_number() over (partition by id order by day) - row_number() over (partition by id, done order by day) as run
    from counted where mark <> 'pending'
  ),
  run_lengths as (
    select id, run, done, count(*)::integer as length, max(day) as last_day
    from runs group by id, run, done
  ),
  latest as (
    select distinct on (id) id, done, length from run_lengths order by id, last_day desc
  )
  select h.id, h.action, h.is_paused,
    coalesce((select l.length from latest l where l.id = h.id and l.done), 0),
    coalesce((select max(r.length) from run_lengths r where r.id = h.id and r.done), 0),
    coalesce((
      select string_agg(case m.mark when 'done' then '✅' when 'missed' then '❌' else '⏳' end, '' order by m.day)
      from (select c.day, c.mark from counted c where c.id = h.id order by c.day desc limit 7) m
    ), ''),
    coalesce((
      select string_agg(case c.mark when 'done' then '✅' when 'missed' then '❌' else '⏳' end, '' order by c.day)
      from counted c where c.id = h.id and c.this_week
    ), ''),
    (select count(*)::integer from counted c where c.id = h.id and c.this_week and c.done),
    (select count(*)::integer from counted c where c.id = h.id and c.this_week and c.mark <> 'pending')
  from public.habits h
  where h.owner_id = habit_streaks.owner and (habit_streaks.only_habit is null or h.id = habit_streaks.only_habit)
  order by h.time, h.action
$$;
comment on function private.habit_streaks(uuid, uuid) is
  'Streak, best streak and the last 7 occurrences as marks for each habit of owner (or one habit), over at most streak_lookback() occurrences back.';

-- ------------------------------------------------------------------ the claim

-- Claims as before, and isolates each person's zone: a reminder, snoozed reminder or digest
-- whose owner's zone no longer resolves is recorded as skipped, with the reason in the owner's
-- history, instead of being returned (nothing about it can be computed; the tick pauses the
-- owner's habits when they next fall due). Each distinct zone among the claimed rows is tried
-- once. The "habit created" note names the zone but converts nothing, so it still goes out.
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
  chosen as materialized (
    select q.id from queue q
    where not q.in_flight and q.place_in_chat <= 2
    order by q.place_in_chat, q.kind <> 'habit_created', q.next_attempt_at, q.id
    limit batch_size
  ),
  claimable as materialized (
    select n.id, n.kind, p.timezone from public.notifications n
    join public.profiles p on p.id = n.owner_id
    where n.id = any (array(select c.id from chosen c))
      and n.status in ('pending', 'retry', 'sending') and n.next_attempt_at <= now()
    for update of n skip locked
  ),
  zones as materialized (
    select distinct c.timezone from claimable c where c.kind <> 'habit_created'
  ),
  unresolvable as materialized (
    select z.timezone from zones z where not private.time_zone_resolves(z.timezone)
  ),
  claimed as (
    update public.notifications n
    set status = case when u.timezone is null then 'sending' else 'skipped' end,
      last_error = case when u.timezone is null then n.last_error
        else format('time_zone_unresolvable: time zone "%s" cannot be resolved on the server', u.timezone) end,
      attempts = n.attempts + case when u.timezone is null then 1 else 0 end,
      next_attempt_at = case when u.timezone is null then now() + lease else n.next_attempt_at end,
      lease_until = case when u.timezone is null then now() + lease else n.lease_until end,
      -- Still 'sending': the run that claimed it died, perhaps after sending it.
      maybe_delivered_attempts = n.maybe_delivered_attempts
        + case when n.status = 'sending' and u.timezone is null then 1 else 0 end
    from claimable c
    left join unresolvable u on u.timezone = c.timezone and c.kind <> 'habit_created'
    where n.id = c.id
    returning n.*
  )
  select c.id, c.kind, c.attempts, c.due_at, c.occurrence_at, c.habit_id, p.telegram_chat_id, p.timezone,
    h.action, h.place, h.time, h.interval_days, h.duration_seconds, h.reward, h.is_pleasant, h.is_paused,
    pleasant.action, pleasant.place
  from claimed c
  left join public.habits h on h.id = c.habit_id
  join public.profiles p on p.id = c.owner_id
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  where c.status = 'sending'
  order by c.kind <> 'habit_created', c.due_at
$$;

-- What one message shows that is computed per person, each in its own subtransaction: a
-- computation that fails for one person's data gives null (a reminder without its streak, a
-- digest recorded as skipped) instead of failing the claim for everyone in the batch.
create function private.streak_for_message(habit uuid)
returns integer
language plpgsql
stable
set search_path = ''
as $$
begin
  return private.current_streak(habit);
exception when others then
  return null;
end
$$;

create function private.digest_for_message(owner uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object('action', w.action, 'is_paused', w.is_paused, 'streak', w.streak,
      'week_marks', w.week_marks, 'week_done', w.week_done, 'week_due', w.week_due)), '[]'::jsonb)
    from private.habit_streaks(owner) w
  );
exception when others then
  return null;
end
$$;

-- The dispatcher's claim in one call: the claimed messages with the owner's language, each
-- reminder's streak and each digest's week, computed once per claim over the claimed rows only.
create function private.claim_messages(batch_size integer default 50, lease interval default '2 minutes')
returns table (
  id bigint,
  kind text,
  attempts integer,
  due_at timestamptz,
  habit_id uuid,
  chat_id bigint,
  timezone text,
  action text,
  place text,
  local_time text,
  interval_days smallint,
  duration_seconds smallint,
  reward text,
  is_pleasant boolean,
  is_paused boolean,
  pleasant_action text,
  pleasant_place text,
  language text,
  streak integer,
  digest jsonb
)
language sql
volatile
set search_path = ''
as $$
  with claimed as materialized (
    select c.*, n.owner_id
    from private.claim_notifications(batch_size, lease) c
    join public.notifications n on n.id = c.id
  )
  select c.id, c.kind, c.attempts, c.due_at, c.habit_id, c.chat_id, c.timezone, c.action, c.place,
    c.local_time::text, c.interval_days, c.duration_seconds, c.reward, c.is_pleasant, c.is_paused,
    c.pleasant_action, c.pleasant_place, p.language,
    case when c.kind in ('reminder', 'snoozed_reminder') then coalesce(private.streak_for_message(c.habit_id), 0)
      else 0 end,
    case when c.kind = 'weekly_digest' then private.digest_for_message(c.owner_id) end
  from claimed c
  join public.profiles p on p.id = c.owner_id
  order by c.kind <> 'habit_created', c.due_at
$$;

revoke execute on function private.streak_for_message(uuid) from public, anon, authenticated;
revoke execute on function private.digest_for_message(uuid) from public, anon, authenticated;
revoke execute on function private.claim_messages(integer, interval) from public, anon, authenticated;
grant execute on function private.streak_for_message(uuid) to service_role;
grant execute on function private.digest_for_message(uuid) to service_role;
grant execute on function private.claim_messages(integer, interval) to service_role;
