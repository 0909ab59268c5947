-- A claim's streaks in one statement (issue 27, "the ceiling"): private.claim_messages asked
-- private.streak_for_message once per claimed reminder, each a subtransaction, a PL/pgSQL loop
-- and one or two walks of private.streak_marks: about half of Postgres' CPU per message. The set
-- versions below give exactly what private.current_streak gives, for every habit of the claim at
-- once; a set that fails (one person's data) falls back to the isolated per-habit path.

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
set search_path = ''
as $$
declare
  ids uuid[];
  streaks integer[];
begin
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

revoke all on function private.streak_marks_of(uuid[], timestamp with time zone, integer) from public;
grant all on function private.streak_marks_of(uuid[], timestamp with time zone, integer) to service_role;
revoke all on function private.current_streaks(uuid[]) from public;
grant all on function private.current_streaks(uuid[]) to service_role;
revoke all on function private.streaks_for_messages(uuid[]) from public;
grant all on function private.streaks_for_messages(uuid[]) to service_role;

-- The claim in one call, its reminders' streaks as one set.
create or replace function private.claim_messages(batch_size integer default 50, lease interval default '00:02:00'::interval) returns table(id bigint, kind text, attempts integer, due_at timestamp with time zone, habit_id uuid, chat_id bigint, timezone text, action text, place text, local_time text, interval_days smallint, duration_seconds smallint, reward text, is_pleasant boolean, is_paused boolean, pleasant_action text, pleasant_place text, language text, streak integer, digest jsonb)
    language sql
    set search_path to ''
    as $$
  with claimed as materialized (
    select c.*, n.owner_id
    from private.claim_notifications(batch_size, lease) c
    join public.notifications n on n.id = c.id
  ),
  streaks as materialized (
    select s.habit_id, s.streak
    from private.streaks_for_messages(array(
      select c.habit_id from claimed c where c.kind in ('reminder', 'snoozed_reminder'))) s
  )
  select c.id, c.kind, c.attempts, c.due_at, c.habit_id, c.chat_id, c.timezone, c.action, c.place,
    c.local_time::text, c.interval_days, c.duration_seconds, c.reward, c.is_pleasant, c.is_paused,
    c.pleasant_action, c.pleasant_place, p.language,
    case when c.kind in ('reminder', 'snoozed_reminder') then coalesce(s.streak, 0) else 0 end,
    case when c.kind = 'weekly_digest' then private.digest_for_message(c.owner_id) end
  from claimed c
  join public.profiles p on p.id = c.owner_id
  left join streaks s on s.habit_id = c.habit_id and c.kind in ('reminder', 'snoozed_reminder')
  order by c.kind <> 'habit_created', c.due_at
$$;
