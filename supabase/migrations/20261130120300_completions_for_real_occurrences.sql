-- =====================================================================================
-- Completions: only for the caller's own habit and for a real occurrence of it
-- A BEFORE trigger decides before the unique index is consulted, so a stranger's insert is
-- refused with the same error whether or not the owner completed that occurrence (before, 23505
-- habit_completions_once_per_occurrence against 23503 told them). That error is the one the
-- composite foreign key gives for a habit that is not the caller's: 23503
-- habit_completions_habit_same_owner_fkey, now raised first and for every such insert.
-- An occurrence completed from the web must lie on the habit's schedule (its wall-clock time on
-- a date of its every-N-days grid, the grid extended back before starts_on) and not after the
-- owner's local today: today's occurrence can be marked done before its time, a later one cannot.
-- =====================================================================================

create function private.habit_completions_check_occurrence()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  habit record;
  local_date date;
begin
  select h.time, h.interval_days, h.starts_on, p.timezone into habit
  from public.habits h
  join public.profiles p on p.id = h.owner_id
  where h.id = new.habit_id and h.owner_id = new.owner_id;
  if not found then
    raise exception using
      errcode = 'foreign_key_violation',
      message = 'insert or update on table "habit_completions" violates foreign key constraint "habit_completions_habit_same_owner_fkey"',
      detail = 'The habit does not exist or belongs to someone else.',
      constraint = 'habit_completions_habit_same_owner_fkey',
      table = 'habit_completions',
      schema = 'public';
  end if;
  -- Telegram completes the occurrence its reminder was sent for, or today's (see below).
  if new.source = 'web' then
    if (new.occurrence_at at time zone habit.timezone)::date > (now() at time zone habit.timezone)::date then
      perform private.raise_rule_violation('habit_completions', 'habit_completions_occurrence_not_after_today',
        'Only occurrences up to today can be marked as done.');
    end if;
    -- As private.next_occurrence builds them: local date + wall-clock time, then converted.
    local_date := (new.occurrence_at at time zone habit.timezone)::date;
    if ((local_date + habit.time) at time zone habit.timezone) is distinct from new.occurrence_at
       or ((local_date - habit.starts_on) % habit.interval_days + habit.interval_days) % habit.interval_days <> 0 then
      perform private.raise_rule_violation('habit_completions', 'habit_completions_occurrence_on_schedule',
        'That time is not one of the habit''s occurrences.');
    end if;
  end if;
  return new;
end
$$;

create trigger habit_completions_check_occurrence
before insert or update on public.habit_completions
for each row execute function private.habit_completions_check_occurrence();

-- Today's occurrence of a habit in its owner's zone, or null when today is not on its grid.
create function private.todays_occurrence(local_time time, interval_days integer, anchor_date date, time_zone text, at timestamptz default now())
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select case
    when today >= anchor_date and (today - anchor_date) % interval_days = 0
      then (today + local_time) at time zone time_zone
  end
  from (select (at at time zone time_zone)::date as today) local_day
$$;

-- Done from /today in Telegram: completes today's occurrence of the chat owner's habit, early
-- if need be. outcome: recorded | already_recorded | not_found (no such habit of this chat's
-- owner) | not_due_today.
create function private.complete_today_from_telegram(chat_id bigint, habit_id uuid)
returns table (outcome text, habit_action text, reward text, pleasant_action text, pleasant_place text)
language plpgsql
volatile
set search_path = ''
as $$
declare
  found_habit record;
  occurrence timestamptz;
  inserted boolean;
begin
  select h.id, h.owner_id, h.time, h.interval_days, h.starts_on, p.timezone into found_habit
  from public.habits h
  join public.profiles p on p.id = h.owner_id
  where h.id = complete_today_from_telegram.habit_id and p.telegram_chat_id = complete_today_from_telegram.chat_id;
  if not found then
    return query select 'not_found', null::text, null::text, null::text, null::text;
    return;
  end if;
  occurrence := private.todays_occurrence(found_habit.time, found_habit.interval_days, found_habit.starts_on, found_habit.timezone);
  if occurrence is null then
    return query select 'not_due_today', null::text, null::text, null::text, null::text;
    return;
  end if;
  insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
  values (found_habit.id, found_habit.owner_id, occurrence, 'telegram')
  on conflict on constraint habit_completions_once_per_occurrence do nothing;
  inserted := found;
  return query
  select case when inserted then 'recorded' else 'already_recorded' end, h.action, h.reward, pleasant.action, pleasant.place
  from public.habits h
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  where h.id = found_habit.id;
end
$$;

-- Covering indexes for the composite foreign keys (Supabase's advisor: unindexed_foreign_keys).
create index habit_completions_habit_id_owner_id_idx on public.habit_completions (habit_id, owner_id);
drop index public.habits_related_habit_id_idx;
create index habits_related_habit_id_owner_id_idx on public.habits (related_habit_id, owner_id) where related_habit_id is not null;
