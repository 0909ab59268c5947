-- One definition of "a real occurrence of a habit": the trigger on habit_completions keeps
-- calling it for the web's completions, and the import asks it which completions of an exported
-- history are still occurrences of the habit (its time, interval or the owner's zone may have
-- changed since), so it can leave the others out and say so instead of refusing the whole file.

set check_function_bodies = off;

-- As private.next_occurrence builds occurrences: local date + wall-clock time, then converted,
-- on a day of the every-N-days grid that starts on starts_on.
create function private.habit_occurs_at(local_time time without time zone, interval_days integer, starts_on date, time_zone text, occurrence_at timestamp with time zone) returns boolean
    language sql stable
    set search_path to ''
    begin atomic
 select ((((occurrence_at at time zone time_zone))::date + local_time) at time zone time_zone) = occurrence_at
    and ((((((occurrence_at at time zone time_zone))::date - starts_on) % interval_days) + interval_days) % interval_days) = 0;
end;

create or replace function private.habit_completions_check_occurrence() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  habit record;
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
    if not private.habit_occurs_at(habit.time, habit.interval_days, habit.starts_on, habit.timezone, new.occurrence_at) then
      perform private.raise_rule_violation('habit_completions', 'habit_completions_occurrence_on_schedule',
        'That time is not one of the habit''s occurrences.');
    end if;
  end if;
  return new;
end
$$;

revoke all on function private.habit_occurs_at(local_time time without time zone, interval_days integer, starts_on date, time_zone text, occurrence_at timestamp with time zone) from public;
grant all on function private.habit_occurs_at(local_time time without time zone, interval_days integer, starts_on date, time_zone text, occurrence_at timestamp with time zone) to service_role;
