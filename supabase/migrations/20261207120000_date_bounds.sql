-- =====================================================================================
-- Sane bounds on every date a person can write
-- Only the shape of a date was checked, so an import could start a habit on 0001-01-01 (every
-- streak then walked 740,000 days) and the Data API took 20,000 completions back to 1972. The
-- dates a person writes, directly or through the import, now have bounds with rule identifiers:
-- - habits.starts_on (written by the import): from 2000-01-01 (CHECK) to one year after the
--   owner's local today (trigger, as a CHECK cannot read the clock);
-- - habit_completions.occurrence_at: from the first instant of 2000-01-01 anywhere on Earth
--   (00:00 at UTC+14) and at most two days after the completion was recorded (CHECK; the web's
--   "not after today" trigger stays the tighter rule for the Data API);
-- - habit_completions.completed_at (written by the import): from that same instant (CHECK) and
--   not in the future (trigger).
-- Nothing else a person writes is a date: profiles.digest_time is a time of day, digest_weekday
-- has its CHECK, and a snooze's due time is chosen by the function (15 minutes), not the person.
-- =====================================================================================

-- ------------------------------------------------------------------ rows written before
-- A start before 2000 can only have come from an import; it moves to the floor (its grid moves
-- with it, which only the history before 2000 notices).
update public.habits set starts_on = date '2000-01-01' where starts_on < date '2000-01-01';
-- Completions outside every sane range are not history anyone kept.
delete from public.habit_completions
where occurrence_at < timestamptz '2000-01-01 00:00:00+14'
   or occurrence_at > now() + interval '2 days';
update public.habit_completions
set completed_at = least(greatest(completed_at, occurrence_at - interval '2 days', timestamptz '2000-01-01 00:00:00+14'), now())
where completed_at < timestamptz '2000-01-01 00:00:00+14'
   or completed_at > now()
   or occurrence_at > completed_at + interval '2 days';

-- ------------------------------------------------------------------ habits.starts_on
alter table public.habits
  add constraint habits_starts_on_range check (starts_on >= date '2000-01-01');

create function private.habits_check_starts_on()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  owner_today date;
begin
  select (now() at time zone p.timezone)::date into owner_today
  from public.profiles p where p.id = new.owner_id;
  if new.starts_on > coalesce(owner_today, current_date) + interval '1 year' then
    perform private.raise_rule_violation('habits', 'habits_starts_on_range',
      'A habit starts between 1 January 2000 and one year from today.');
  end if;
  return new;
end
$$;
comment on function private.habits_check_starts_on() is
  'The upper bound of habits_starts_on_range: not more than a year after the owner''s local today.';

-- Named to run after habits_enforce_rules_and_schedule, which sets starts_on on insert.
create trigger habits_starts_on_within_a_year
before insert or update of starts_on on public.habits
for each row execute function private.habits_check_starts_on();

-- ------------------------------------------------------------------ habit_completions
alter table public.habit_completions
  add constraint habit_completions_occurrence_at_range check (
    occurrence_at >= timestamptz '2000-01-01 00:00:00+14'
    and occurrence_at <= completed_at + interval '2 days'),
  add constraint habit_completions_completed_at_range check (
    completed_at >= timestamptz '2000-01-01 00:00:00+14');

create function private.habit_completions_check_completed_at()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.raise_rule_violation('habit_completions', 'habit_completions_completed_at_range',
    'A completion is recorded between 1 January 2000 and now.');
  return new;
end
$$;
comment on function private.habit_completions_check_completed_at() is
  'The upper bound of habit_completions_completed_at_range: a completion is not recorded in the future.';

-- The condition in WHEN, so the many rows of an import cost no function call.
create trigger habit_completions_completed_at_not_in_future
before insert or update of completed_at on public.habit_completions
for each row when (new.completed_at > now()) execute function private.habit_completions_check_completed_at();

revoke execute on function private.habits_check_starts_on() from public, anon, authenticated;
revoke execute on function private.habit_completions_check_completed_at() from public, anon, authenticated;
