-- =====================================================================================
-- A reminder's streak from the latest occurrences back, not from the habit's whole history
-- =====================================================================================

-- Every reminder the dispatcher claims shows the habit's current streak. It came from
-- private.habit_streaks, which builds every occurrence since the habit's first day (best streak
-- and marks included): 0.65 ms a reminder for a month-old habit and 1.5 ms for a year-old one,
-- most of the function's Postgres time per message, growing with every day the habit exists.
-- This walks back from the latest occurrence and stops at the first miss, so its cost is the
-- streak's length (and one count for the days before the habit was created). Same rules as habit_streaks: today's occurrence, not yet done, is pending and
-- breaks nothing; an occurrence before the habit was created counts only if it was done.
create function private.current_streak(habit uuid)
returns integer
language plpgsql
stable
set search_path = ''
as $$
declare
  h record;
  today date;
  day date;
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
  while day >= h.starts_on loop
    occurrence := (day + h.time) at time zone h.timezone;
    if occurrence < h.created_at then
      -- Before the habit existed nothing breaks the streak: every done occurrence from here back
      -- counts (only completions still on the habit's grid, as habit_streaks matches them).
      return streak + (
        select count(*)::integer
        from public.habit_completions c
        cross join lateral (select (c.occurrence_at at time zone h.timezone)::date as local_day) l
        where c.habit_id = habit and c.occurrence_at <= occurrence
          and l.local_day >= h.starts_on and (l.local_day - h.starts_on) % h.interval_days = 0
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
  'The habit''s current streak, as private.habit_streaks counts it, walked back from its latest occurrence.';
revoke execute on function private.current_streak(uuid) from public, anon, authenticated;
grant execute on function private.current_streak(uuid) to service_role;
