-- =====================================================================================
-- Reminders: one bad row no longer stops everyone's, /today skips paused habits, and two
-- snoozes of one habit in the same second both count
-- =====================================================================================

-- ------------------------------------------------------------------ isolating unresolvable zones

-- Why the service paused a habit (null when its owner paused it, or it runs).
alter table public.habits
  add column paused_reason text
    constraint habits_paused_reason_known check (paused_reason in ('time_zone_unresolvable'));
comment on column public.habits.paused_reason is 'Why the service paused this habit: time_zone_unresolvable (the owner''s zone no longer resolves on the server; choosing a zone again resumes it).';

-- True when the server can convert times in `zone` now. A zone name accepted earlier can stop
-- resolving when the server's tz database changes (legacy names moved to tzdata-legacy).
create function private.time_zone_resolves(zone text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  perform now() at time zone zone;
  return true;
exception when invalid_parameter_value then
  return false;
end
$$;

-- Pauses, with a reason and a skipped reminder in the owner's history, every due habit whose
-- owner's zone does not resolve, so that the tick's set-based work never meets it. Each distinct
-- zone among the due habits is tried once (one subtransaction per zone, not per row).
create function private.pause_habits_with_unresolvable_zones(at timestamptz default now())
returns integer
language sql
volatile
set search_path = ''
as $$
  with due_zones as (
    select distinct p.timezone
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    where h.next_reminder_at <= at
  ),
  broken as (
    select timezone from due_zones where not private.time_zone_resolves(timezone)
  ),
  paused as (
    update public.habits h
    set is_paused = true, paused_reason = 'time_zone_unresolvable', next_reminder_at = null
    from public.profiles p, broken
    where p.id = h.owner_id and p.timezone = broken.timezone and h.next_reminder_at <= at
    returning h.id, h.owner_id, p.timezone
  ),
  recorded as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, last_error)
    select paused.id, paused.owner_id, 'reminder', at, null, 'skipped',
      format('time_zone_unresolvable: time zone "%s" cannot be resolved on the server; the habit is paused', paused.timezone)
    from paused
    on conflict on constraint notifications_once_per_occurrence do nothing
  )
  select count(*)::integer from paused
$$;

-- The tick: first isolate what cannot be scheduled, then queue the rest (set-based as before).
create or replace function private.run_reminder_tick()
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform private.pause_habits_with_unresolvable_zones(now());
  perform private.enqueue_due_reminders(now());
  if private.has_deliverable_notifications(now()) then
    perform private.invoke_reminders_function();
  end if;
end
$$;

-- The owner resuming the habit, or choosing a zone again, clears the reason; a new zone resumes
-- what the service paused.
create function private.habits_clear_paused_reason()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not new.is_paused then
    new.paused_reason := null;
  end if;
  return new;
end
$$;

create trigger habits_clear_paused_reason
before update of is_paused on public.habits
for each row execute function private.habits_clear_paused_reason();

create function private.profiles_resume_habits_paused_for_zone()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.habits
  set is_paused = false
  where owner_id = new.id and paused_reason = 'time_zone_unresolvable';
  return null;
end
$$;

create trigger profiles_resume_habits_paused_for_zone
after update of timezone on public.profiles
for each row
when (old.timezone is distinct from new.timezone)
execute function private.profiles_resume_habits_paused_for_zone();

-- ------------------------------------------------------------------ /today

create or replace function private.habits_due_today_for_chat(chat_id bigint)
returns table (habit_id uuid, action text, place text, local_time time, duration_seconds smallint, done boolean)
language sql
stable
set search_path = ''
as $$
  with owner as (
    select p.id, (now() at time zone p.timezone)::date as today, p.timezone
    from public.profiles p where p.telegram_chat_id = habits_due_today_for_chat.chat_id
  )
  select h.id, h.action, h.place, h.time, h.duration_seconds::smallint,
    exists (
      select from public.habit_completions c
      where c.habit_id = h.id
        and c.occurrence_at >= (owner.today::timestamp at time zone owner.timezone)
        and c.occurrence_at < ((owner.today + 1)::timestamp at time zone owner.timezone)
    )
  from owner
  join public.habits h on h.owner_id = owner.id
  where not h.is_paused
    and h.starts_on <= owner.today and (owner.today - h.starts_on) % h.interval_days = 0
  order by h.time, h.action
$$;

-- ------------------------------------------------------------------ snoozes

-- A snoozed reminder is unique per message it repeats (notifications_snoozed_once), not per due
-- second: two reminders of one habit snoozed in the same second collided on (habit, kind, due_at)
-- and the second returned already_snoozed with no row. The outbox key keeps its name and its
-- meaning for every other message: snoozed_from_id is null there, and NULLS NOT DISTINCT makes
-- nulls equal.
alter table public.notifications
  drop constraint notifications_once_per_occurrence,
  add constraint notifications_once_per_occurrence unique nulls not distinct (habit_id, kind, due_at, snoozed_from_id);
