-- =====================================================================================
-- Telegram as a client: the state of a chat's multi-step conversation (/new, /edit) lives here,
-- not in the function's memory, so a cold start in the middle of /new loses nothing. One row per
-- chat; /cancel or the end of the conversation deletes it. Streaks for /stats, Done replies and
-- reminders come from private.habit_streaks.
-- =====================================================================================

create table private.telegram_conversations (
  chat_id bigint primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  -- new: creating a habit; edit: changing one field of habit_id.
  flow text not null constraint telegram_conversations_flow_known check (flow in ('new', 'edit')),
  step text not null constraint telegram_conversations_step_known
    check (step in ('action', 'time', 'place', 'interval', 'duration', 'follow_up', 'reward', 'field')),
  -- The answers so far, already accepted by the habit rules: action, time, place, interval_days,
  -- duration_seconds.
  draft jsonb not null default '{}'::jsonb constraint telegram_conversations_draft_object
    check (jsonb_typeof(draft) = 'object' and pg_column_size(draft) <= 8192),
  habit_id uuid references public.habits (id) on delete cascade,
  updated_at timestamptz not null default now()
);
comment on table private.telegram_conversations is
  'The step a Telegram chat is at in /new or /edit, with the answers so far (survives cold starts).';
create index telegram_conversations_user_id_idx on private.telegram_conversations (user_id);
create index telegram_conversations_habit_id_idx on private.telegram_conversations (habit_id);

revoke all on private.telegram_conversations from public, anon, authenticated;
grant select, insert, update, delete on private.telegram_conversations to service_role;

-- Each habit's occurrences up to today (its local day) with whether each was done: the current
-- streak (consecutive done occurrences up to the latest; today's, while not done yet, is pending
-- and breaks nothing), the best streak, and the last 7 occurrences as marks (✅ done, ❌ missed,
-- ⏳ today's, not done yet). Occurrences before the habit was created count only when done.
-- Streaks follow the current schedule: changing the time, interval or zone starts a new grid.
-- The week (the weekly digest): the marks, done and due counts of the occurrences on the last 7
-- local days, today included.
create function private.habit_streaks(owner uuid, only_habit uuid default null)
returns table (habit_id uuid, action text, is_paused boolean, streak integer, best_streak integer, last_marks text,
  week_marks text, week_done integer, week_due integer)
language sql
stable
set search_path = ''
as $$
  with occurrences as (
    select h.id, o.day, o.at,
      exists (select 1 from public.habit_completions c where c.habit_id = h.id and c.occurrence_at = o.at) as done,
      o.day = (now() at time zone p.timezone)::date as is_today,
      o.day > (now() at time zone p.timezone)::date - 7 as this_week,
      o.at < h.created_at as before_creation
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    cross join lateral (
      select d::date as day, (d::date + h.time) at time zone p.timezone as at
      from generate_series(h.starts_on::timestamp, (now() at time zone p.timezone)::date::timestamp,
        make_interval(days => h.interval_days)) d
    ) o
    where h.owner_id = habit_streaks.owner and (habit_streaks.only_habit is null or h.id = habit_streaks.only_habit)
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
  'Streak, best streak and the last 7 occurrences as marks for each habit of owner (or one habit).';
revoke execute on function private.habit_streaks(uuid, uuid) from public, anon, authenticated;
grant execute on function private.habit_streaks(uuid, uuid) to service_role;
