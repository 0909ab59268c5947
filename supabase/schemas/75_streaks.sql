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
-- tests/properties/streak_parity_test.ts, the claim's set version (streak_marks_of) by
-- supabase/tests/246-streaks-in-sets.test.sql.
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

-- The streak rule (private.streak_marks) for a set of habits, in one statement. An occurrence
-- before the habit was created counts only if it was done, so those are read from the habit's
-- completions (one index range) instead of walking every day since its first: a habit created
-- an hour ago with a first day a month back costs two rows, not thirty lookups. The walk starts
-- two days before the creation's local date (a zone's transitions move a local date by at most
-- one day either way) and keeps exactly the occurrences at or after created_at.
create function private.streak_marks_of(habits uuid[], at timestamp with time zone, depth integer)
returns table(habit_id uuid, day date, occurrence_at timestamp with time zone, mark text, days_ago integer)
language sql
stable
set search_path = ''
as $$
  with windows as materialized (
    select h.id as habit_id, h.time, h.interval_days as every, h.created_at, p.timezone as zone, t.today,
      t.today - (t.today - h.starts_on) % h.interval_days as newest,
      least(streak_marks_of.depth, private.streak_lookback(), (t.today - h.starts_on) / h.interval_days + 1) as size,
      (h.created_at at time zone p.timezone)::date as created_day
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    cross join lateral (select (streak_marks_of.at at time zone p.timezone)::date as today) t
    where h.id = any (streak_marks_of.habits) and t.today >= h.starts_on
  ),
  since_created as (
    select w.habit_id, w.today, w.created_at, o.day, (o.day + w.time) at time zone w.zone as at
    from windows w
    cross join lateral generate_series(0,
      least(w.size, greatest(0, (w.newest - w.created_day + 2) / w.every + 1)) - 1) n
    cross join lateral (select w.newest - n * w.every as day) o
  ),
  -- Every window day whose occurrence is that completion's (its local date, or a day beside it).
  done_before as (
    select w.habit_id, w.today, d.day, c.occurrence_at as at
    from windows w
    join public.habit_completions c on c.habit_id = w.habit_id
      and c.occurrence_at >= ((w.newest - (w.size - 1) * w.every) + w.time) at time zone w.zone - interval '1 day'
      and c.occurrence_at < w.created_at
    cross join lateral (select (c.occurrence_at at time zone w.zone)::date as local_day) l
    cross join lateral (values (l.local_day - 1), (l.local_day), (l.local_day + 1)) d(day)
    where d.day <= w.newest and d.day > w.newest - w.size * w.every and (w.newest - d.day) % w.every = 0
      and (d.day + w.time) at time zone w.zone = c.occurrence_at
  )
  -- A completion is unique per (habit, occurrence): the join finds at most one.
  select s.habit_id, s.day, s.at,
    case when c.occurrence_at is not null then 'done' when s.day = s.today then 'pending' else 'missed' end,
    s.today - s.day
  from since_created s
  left join public.habit_completions c on c.habit_id = s.habit_id and c.occurrence_at = s.at
  where s.at >= s.created_at
  union all
  select b.habit_id, b.day, b.at, 'done', b.today - b.day from done_before b
$$;

-- private.current_streak of each distinct habit of `habits` (0 for one without marks), the same
-- way: the last 16 occurrences first; the whole window only for habits without a miss among them.
create function private.current_streaks(habits uuid[])
returns table(habit_id uuid, streak integer)
language sql
stable
set search_path = ''
as $$
  with wanted as materialized (
    select distinct u.habit_id from unnest(current_streaks.habits) u(habit_id) where u.habit_id is not null
  ),
  recent as materialized (
    select m.habit_id, m.day, m.mark,
      max(m.day) filter (where m.mark = 'missed') over (partition by m.habit_id) as last_miss
    from private.streak_marks_of(array(select w.habit_id from wanted w), now(), 16) m
  ),
  whole as materialized (
    select m.habit_id, m.day, m.mark,
      max(m.day) filter (where m.mark = 'missed') over (partition by m.habit_id) as last_miss
    from private.streak_marks_of(array(
      select w.habit_id from wanted w
      where not exists (select from recent r where r.habit_id = w.habit_id and r.last_miss is not null)
    ), now(), private.streak_lookback()) m
  ),
  marks as (
    select r.habit_id, r.day, r.mark, r.last_miss from recent r where r.last_miss is not null
    union all
    select w.habit_id, w.day, w.mark, w.last_miss from whole w
  )
  select w.habit_id, coalesce(s.streak, 0)
  from wanted w
  left join (
    select m.habit_id, count(*)::integer as streak from marks m
    where m.mark = 'done' and m.day > coalesce(m.last_miss, '-infinity'::date)
    group by m.habit_id
  ) s on s.habit_id = w.habit_id
$$;

-- What a claim's reminders show: each distinct habit's current streak, computed as one set. When
-- the set fails (one person's data), each habit is computed on its own in its own subtransaction
-- (private.streak_for_message): the one that fails gets null, the others their streak.
create function private.streaks_for_messages(habits uuid[])
returns table(habit_id uuid, streak integer)
language plpgsql
stable
rows 100
set search_path = ''
as $$
declare
  ids uuid[];
  streaks integer[];
begin
  if coalesce(cardinality(habits), 0) = 0 then
    return;
  end if;
  begin
    select array_agg(s.habit_id), array_agg(s.streak) into ids, streaks
    from private.current_streaks(habits) s;
  exception when others then
    select array_agg(d.habit_id), array_agg(private.streak_for_message(d.habit_id)) into ids, streaks
    from (select distinct u.habit_id from unnest(habits) u(habit_id) where u.habit_id is not null) d;
  end;
  return query select u.habit_id, u.streak from unnest(ids, streaks) u(habit_id, streak);
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
