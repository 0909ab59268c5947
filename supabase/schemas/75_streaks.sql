-- Streaks: the current run of completed occurrences per habit.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- The streak rule, the one definition: the habit's last `depth` occurrences up to `at` (never
-- more than streak_lookback()), each done (a completion of exactly that occurrence), pending
-- (today's, not yet done: it breaks nothing) or missed. An occurrence before the habit was
-- created counts only if it was done, and never breaks the streak; an imported habit's
-- created_at is the start of its imported history (supabase/functions/import/apply.ts), so a gap
-- in that history is a miss. The web app's copy (web/src/schedule/streaks.ts) is held to this by
-- tests/properties/streak_parity_test.ts.
-- PL/pgSQL for its cached plan: every reminder asks, and re-planning would cost more than the walk.
create function private.streak_marks(habit uuid, at timestamp with time zone, depth integer) returns table(day date, occurrence_at timestamp with time zone, mark text, days_ago integer)
    language plpgsql stable
    set search_path to ''
    as $$
begin
  return query
  with occurrences as materialized (
    select o.day, (o.day + h.time) at time zone p.timezone as at, t.today, h.created_at
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    cross join lateral (select (streak_marks.at at time zone p.timezone)::date as today) t
    cross join lateral generate_series(0,
      least(streak_marks.depth, private.streak_lookback(), (t.today - h.starts_on) / h.interval_days + 1) - 1) n
    cross join lateral (select t.today - (t.today - h.starts_on) % h.interval_days - n * h.interval_days as day) o
    where h.id = streak_marks.habit and t.today >= h.starts_on
  ),
  done as (
    select c.occurrence_at from public.habit_completions c
    where c.habit_id = streak_marks.habit
      and c.occurrence_at between (select min(o.at) from occurrences o) and (select max(o.at) from occurrences o)
  )
  select o.day, o.at, case when d.occurrence_at is not null then 'done' when o.day = o.today then 'pending' else 'missed' end,
    o.today - o.day
  from occurrences o
  left join done d on d.occurrence_at = o.at
  where d.occurrence_at is not null or o.at >= o.created_at;
end
$$;

-- The current streak: the occurrences done since the last miss. Reminders show it, so it looks
-- at the last 16 occurrences first (a miss among them ends the count) and only then at the
-- whole window.
create function private.current_streak(habit uuid) returns integer
    language plpgsql stable
    set search_path to ''
    as $$
declare
  depth integer := 16;
  last_miss date;
  streak integer;
begin
  loop
    with marks as (select * from private.streak_marks(habit, now(), depth))
    select (select max(m.day) from marks m where m.mark = 'missed'),
      (select count(*)::integer from marks m where m.mark = 'done'
         and m.day > coalesce((select max(x.day) from marks x where x.mark = 'missed'), '-infinity'::date))
    into last_miss, streak;
    exit when last_miss is not null or depth >= private.streak_lookback();
    depth := private.streak_lookback();
  end loop;
  return streak;
end
$$;

-- habit_streaks (/stats, Done replies, the weekly digest) over the same marks: the current
-- streak as current_streak counts it, and the best streak within the window.
create function private.habit_streaks(owner uuid, only_habit uuid default null::uuid) returns table(habit_id uuid, action text, is_paused boolean, streak integer, best_streak integer, last_marks text, week_marks text, week_done integer, week_due integer)
    language sql stable
    set search_path to ''
    as $$
  with counted as (
    select h.id, m.day, m.mark, m.mark = 'done' as done, m.days_ago < 7 as this_week
    from public.habits h
    cross join lateral private.streak_marks(h.id, now(), private.streak_lookback()) m
    where h.owner_id = habit_streaks.owner and (habit_streaks.only_habit is null or h.id = habit_streaks.only_habit)
  ),
  runs as (
    select id, day, done,
      row_number() over (partition by id order by day) - row_number() over (partition by id, done order by day) as run
    from counted where mark <> 'pending'
  ),
  run_lengths as (
    select id, run, done, count(*)::integer as length from runs group by id, run, done
  )
  select h.id, h.action, h.is_paused,
    (select count(*)::integer from counted c where c.id = h.id and c.mark = 'done'
       and c.day > coalesce((select max(x.day) from counted x where x.id = h.id and x.mark = 'missed'), '-infinity'::date)),
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

comment on function private.streak_marks(habit uuid, at timestamp with time zone, depth integer) is 'The streak rule: the habit''s last depth occurrences up to at (at most streak_lookback()), each done, pending or missed.';

comment on function private.habit_streaks(owner uuid, only_habit uuid) is 'Streak, best streak and the last 7 occurrences as marks for each habit of owner (or one habit), over at most streak_lookback() occurrences back.';
