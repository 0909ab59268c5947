-- =====================================================================================
-- Habits: "I will [action] at [time] in [place]", every 1-7 days
-- Each rule of the habit has a stable identifier (the constraint or rule name) that clients map
-- to a sentence. CHECK constraints hold what a single row can decide; triggers hold the rules
-- that need another row (the linked habit, the owner's Telegram link).
-- =====================================================================================

create table public.habits (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  action text not null
    constraint habits_action_length check (char_length(btrim(action)) between 1 and 200),
  place text not null
    constraint habits_place_length check (char_length(btrim(place)) between 1 and 200),
  -- Wall-clock time in the owner's time zone (profiles.timezone).
  time time not null,
  interval_days smallint not null default 1
    constraint habits_interval_days_range check (interval_days between 1 and 7),
  duration_seconds smallint not null
    constraint habits_duration_seconds_range check (duration_seconds between 1 and 120),
  is_pleasant boolean not null default false,
  related_habit_id uuid,
  reward text
    constraint habits_reward_length check (reward is null or char_length(btrim(reward)) between 1 and 200),
  is_public boolean not null default false,
  -- A paused habit keeps its history but gets no reminders (next_reminder_at is null).
  is_paused boolean not null default false,
  -- First local date of the every-N-days grid, set by the trigger below to the owner's local date
  -- (the default only tells writers they need not send it); reset when the interval changes.
  starts_on date not null default current_date,
  -- The next due time, kept current by triggers (insert, schedule change, owner's time zone change)
  -- and advanced by the reminder scheduler; null while nothing is scheduled.
  next_reminder_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint habits_id_owner_key unique (id, owner_id),
  -- A linked habit always belongs to the same owner; deleting it only removes the link.
  constraint habits_related_habit_same_owner_fkey foreign key (related_habit_id, owner_id)
    references public.habits (id, owner_id) on delete set null (related_habit_id),
  constraint habits_reward_or_related_habit check (reward is null or related_habit_id is null),
  constraint habits_pleasant_has_no_reward_or_link check (not is_pleasant or (reward is null and related_habit_id is null))
);
comment on table public.habits is 'A habit in the Atomic Habits form: I will [action] at [time] in [place], every interval_days days.';
comment on column public.habits.time is 'Local wall-clock time in the owner''s time zone.';
comment on column public.habits.related_habit_id is 'An optional pleasant habit of the same owner to do right after (instead of a reward).';
comment on column public.habits.next_reminder_at is 'The next due time (UTC), computed from time, interval_days, starts_on and the owner''s time zone.';

create index habits_owner_id_created_at_idx on public.habits (owner_id, created_at desc);
create index habits_related_habit_id_idx on public.habits (related_habit_id) where related_habit_id is not null;
create index habits_next_reminder_at_idx on public.habits (next_reminder_at);
create index habits_public_created_at_idx on public.habits (created_at desc) where is_public;

create trigger habits_set_updated_at
before update on public.habits
for each row execute function private.set_updated_at();

-- Rules that need other rows, and the schedule. Security definer so that it can read the owner's
-- profile and lock the linked habit whoever writes; every lookup is scoped to new.owner_id.
-- A paused habit has no next reminder; resuming schedules the next occurrence from now (never the
-- ones missed while paused).
create function private.habits_enforce_rules_and_schedule()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  owner_profile record;
  linked record;
  schedule_changed boolean;
begin
  if tg_op = 'UPDATE' and new.owner_id is distinct from old.owner_id then
    perform private.raise_rule_violation('habits', 'habits_owner_is_immutable', 'A habit cannot be moved to another owner.');
  end if;

  select timezone, telegram_chat_id into owner_profile
  from public.profiles where id = new.owner_id;

  if tg_op = 'INSERT' and owner_profile.telegram_chat_id is null then
    perform private.raise_rule_violation('habits', 'habits_require_telegram',
      'Connect a Telegram chat before creating habits: reminders are sent there.');
  end if;

  if new.related_habit_id is not null
     and (tg_op = 'INSERT' or new.related_habit_id is distinct from old.related_habit_id) then
    if new.related_habit_id = new.id then
      perform private.raise_rule_violation('habits', 'habits_related_habit_not_itself', 'A habit cannot be linked to itself.');
    end if;
    -- FOR SHARE: the linked habit cannot stop being pleasant until this transaction ends.
    select id, is_pleasant into linked
    from public.habits
    where id = new.related_habit_id and owner_id = new.owner_id
    for share;
    if not found then
      perform private.raise_rule_violation('habits', 'habits_related_habit_must_be_own',
        'The linked habit does not exist or belongs to someone else.');
    end if;
    if not linked.is_pleasant then
      perform private.raise_rule_violation('habits', 'habits_related_habit_must_be_pleasant', 'Only a pleasant habit can be linked.');
    end if;
  end if;

  if tg_op = 'UPDATE' and old.is_pleasant and not new.is_pleasant
     and exists (select from public.habits where related_habit_id = new.id) then
    perform private.raise_rule_violation('habits', 'habits_linked_habit_must_stay_pleasant',
      'Other habits link to this one, so it must stay pleasant. Unlink them first.');
  end if;

  if tg_op = 'INSERT' then
    new.starts_on := (now() at time zone owner_profile.timezone)::date;
    schedule_changed := true;
  else
    if new.interval_days is distinct from old.interval_days then
      new.starts_on := (now() at time zone owner_profile.timezone)::date;
    end if;
    schedule_changed := new.time is distinct from old.time
      or new.interval_days is distinct from old.interval_days
      or new.starts_on is distinct from old.starts_on
      or new.is_paused is distinct from old.is_paused;
  end if;
  if new.is_paused then
    new.next_reminder_at := null;
  -- An interval outside 1..7 is left to habits_interval_days_range to reject with its own name.
  elsif schedule_changed and new.interval_days between 1 and 7 then
    new.next_reminder_at := private.next_occurrence(new.time, new.interval_days, new.starts_on, owner_profile.timezone, now());
  end if;
  return new;
end
$$;

-- Only writes to these columns need the rules or a new schedule; the reminder tick, which sets
-- next_reminder_at alone on up to every due habit, skips the trigger.
create trigger habits_enforce_rules_and_schedule
before insert or update of owner_id, time, interval_days, starts_on, is_paused, is_pleasant, related_habit_id
on public.habits
for each row execute function private.habits_enforce_rules_and_schedule();

-- When the owner moves to another time zone, future reminders move with them.
create function private.profiles_reschedule_habits()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.habits
  set next_reminder_at = private.next_occurrence(time, interval_days, starts_on, new.timezone, now())
  where owner_id = new.id and not is_paused;
  return null;
end
$$;

create trigger profiles_reschedule_habits
after update of timezone on public.profiles
for each row
when (old.timezone is distinct from new.timezone)
execute function private.profiles_reschedule_habits();

alter table public.habits enable row level security;

create policy "Habits are viewable by their owner"
on public.habits for select
to authenticated
using (owner_id = (select auth.uid()));

create policy "Habits can be created by their owner"
on public.habits for insert
to authenticated
with check (owner_id = (select auth.uid()));

create policy "Habits are editable by their owner"
on public.habits for update
to authenticated
using (owner_id = (select auth.uid()))
with check (owner_id = (select auth.uid()));

create policy "Habits are deletable by their owner"
on public.habits for delete
to authenticated
using (owner_id = (select auth.uid()));

-- Users write only the habit's own fields: never the owner, the schedule anchor or the computed
-- next reminder.
revoke all on public.habits from anon, authenticated;
grant select, delete on public.habits to authenticated;
grant insert (action, place, time, interval_days, duration_seconds, is_pleasant, related_habit_id, reward, is_public, is_paused)
  on public.habits to authenticated;
grant update (action, place, time, interval_days, duration_seconds, is_pleasant, related_habit_id, reward, is_public, is_paused)
  on public.habits to authenticated;
grant all on public.habits to service_role;

-- Public habits, readable by anyone, with only the columns that say nothing about the owner.
-- This view deliberately runs with its owner's rights (not security_invoker): RLS on habits
-- hides other people's rows, and this view is the one narrow window onto them.
create view public.public_habits
with (security_barrier = true)
as
select id, action, place, time, interval_days, duration_seconds, is_pleasant, reward, created_at
from public.habits
where is_public;
comment on view public.public_habits is 'Public habits of all users, without any owner information.';

revoke all on public.public_habits from anon, authenticated, service_role;
grant select on public.public_habits to anon, authenticated, service_role;
