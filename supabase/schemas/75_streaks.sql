-- Streaks: the current run of completed occurrences per habit.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- The habit's current streak, walked back from its latest occurrence (it stops at the
-- first miss, so a reminder usually costs a few index probes), over at most streak_lookback()
-- occurrences. Today's occurrence, not yet done, is pending and breaks
-- nothing; an occurrence before the habit was created counts only if it was done, and never
-- breaks the streak (those are counted at once, within the same window).
create function private.current_streak(habit uuid) returns integer
    language plpgsql stable
    set search_path to ''
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

-- habit_streaks (/stats, Done replies, the weekly digest) over the same bounded window: the
-- last streak_lookback() occurrences up to today. The best streak is the best within it.
create function private.habit_streaks(owner uuid, only_habit uuid default null::uuid) returns table(habit_id uuid, action text, is_paused boolean, streak integer, best_streak integer, last_marks text, week_marks text, week_done integer, week_due integer)
    language sql stable
    set search_path to ''
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

-- What one message shows that is computed per person, each in its own subtransaction: a
-- computation that fails for one person's data gives null (a reminder without its streak, a
-- digest recorded as skipped) instead of failing the claim for everyone in the batch.
create function private.streak_for_message(habit uuid) returns integer
    language plpgsql stable
    set search_path to ''
    as $$
begin
  return private.current_streak(habit);
exception when others then
  return null;
end
$$;

-- A streak looks back at most this many occurrences of a habit (about 2.7 years of a daily
-- habit), however far back its first day lies: the walk costs the same for a habit begun in
-- year 1 as for one begun three years ago.
create function private.streak_lookback() returns integer
    language sql immutable
    set search_path to ''
    as $$ select 1000 $$;

comment on function private.current_streak(habit uuid) is 'The habit''s current streak, as private.habit_streaks counts it, over at most streak_lookback() occurrences back.';

comment on function private.habit_streaks(owner uuid, only_habit uuid) is 'Streak, best streak and the last 7 occurrences as marks for each habit of owner (or one habit), over at most streak_lookback() occurrences back.';
