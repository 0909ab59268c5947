-- Habits, their rules (text, numbers, start date, per-account limit), occurrences and the public
-- listing.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

create function private.habits_check_created_at() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  perform private.raise_rule_violation('habits', 'habits_created_at_range',
    'A habit''s history begins between 1 January 2000 and now.');
  return new;
end
$$;

create function private.habits_check_starts_on() returns trigger
    language plpgsql security definer
    set search_path to ''
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

-- The owner resuming the habit, or choosing a zone again, clears the reason; a new zone resumes
-- what the service paused.
create function private.habits_clear_paused_reason() returns trigger
    language plpgsql
    set search_path to ''
    as $$
begin
  if not new.is_paused then
    new.paused_reason := null;
  end if;
  return new;
end
$$;

-- Refuses an insert that takes an account over the cap. A statement trigger, so a bulk insert is
-- counted once; the owners' profiles are locked first (FOR NO KEY UPDATE), so two concurrent inserts cannot both
-- slip under the cap (each statement in this function sees rows committed before it runs).
create function private.habits_enforce_account_limit() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  cap integer := coalesce((select s.value from private.settings s where s.name = 'habits_per_account_limit'), 100);
  over_owner uuid;
begin
  perform from public.profiles p
  where p.id in (select distinct c.owner_id from created_habits c)
  order by p.id
  -- not FOR UPDATE: each insert already holds FOR KEY SHARE on the profile (the foreign key),
  -- and two of those upgrading to FOR UPDATE deadlock.
  for no key update;
  select h.owner_id into over_owner
  from public.habits h
  where h.owner_id in (select distinct c.owner_id from created_habits c)
  group by h.owner_id
  having count(*) > cap
  limit 1;
  if over_owner is not null then
    perform private.raise_rule_violation('habits', 'habits_per_account_limit',
      format('An account can have at most %s habits.', cap));
  end if;
  return null;
end
$$;

-- Rules that need other rows, and the schedule. Security definer so that it can read the owner's
-- profile and lock the linked habit whoever writes; every lookup is scoped to new.owner_id.
-- A paused habit has no next reminder; resuming schedules the next occurrence from now (never the
-- ones missed while paused).
create function private.habits_enforce_rules_and_schedule() returns trigger
    language plpgsql security definer
    set search_path to ''
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

create function private.habits_normalize_text() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  new.action := private.trim_blank(new.action);
  new.place := private.trim_blank(new.place);
  new.reward := private.trim_blank(new.reward);
  return new;
end
$$;

-- "Habit created" messages, sent within seconds: queued with the habits and delivered at once
-- (pg_net sends the request only after the creating transaction commits). A statement trigger,
-- so that inserting many habits at once makes one call to the function, not one per habit.
create function private.habits_queue_created_messages() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  insert into public.notifications (habit_id, owner_id, kind, due_at)
  select id, owner_id, 'habit_created', created_at from created_habits;
  if found then
    perform private.invoke_reminders_function();
  end if;
  return null;
end
$$;

-- A missing number is refused by the rule that bounds it (BEFORE triggers run before NOT NULL).
create function private.habits_require_numbers() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  if new.interval_days is null then
    perform private.raise_rule_violation('habits', 'habits_interval_days_range', 'The interval is required: every 1 to 7 days.');
  end if;
  if new.duration_seconds is null then
    perform private.raise_rule_violation('habits', 'habits_duration_seconds_range', 'The duration is required: 1 to 120 seconds.');
  end if;
  return new;
end
$$;

-- Copies a public habit's safe columns into the listing, or removes it when it stops being
-- public (deleting the habit removes it through the foreign key).
create function private.habits_sync_public_listing() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  if not new.is_public then
    delete from public.public_habits where id = new.id;
    return null;
  end if;
  insert into public.public_habits (id, action, place, time, interval_days, duration_seconds, is_pleasant, reward, created_at)
  values (new.id, new.action, new.place, new.time, new.interval_days, new.duration_seconds, new.is_pleasant, new.reward, new.created_at)
  on conflict (id) do update
  set action = excluded.action, place = excluded.place, time = excluded.time,
      interval_days = excluded.interval_days, duration_seconds = excluded.duration_seconds,
      is_pleasant = excluded.is_pleasant, reward = excluded.reward;
  return null;
end
$$;

-- The last occurrence at or before `at`, or null when the habit's grid has none in the last
-- interval (used to collapse reminders missed during downtime into the most recent one).
create function private.latest_occurrence_at_or_before(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, at timestamp with time zone) returns timestamp with time zone
    language plpgsql stable
    set search_path to ''
    as $$
declare
  candidate timestamptz := private.next_occurrence(local_time, interval_days, anchor_date, time_zone,
    at - make_interval(days => interval_days, hours => 2));
  following timestamptz;
begin
  if candidate > at then
    return null;
  end if;
  loop
    following := private.next_occurrence(local_time, interval_days, anchor_date, time_zone, candidate);
    exit when following > at;
    candidate := following;
  end loop;
  return candidate;
end
$$;

-- The first occurrence strictly after `after` of a habit done at wall-clock `local_time` in
-- `time_zone`, on the grid of every `interval_days` days starting at `anchor_date` (a local date).
-- The local timestamp is built on the real calendar date and only then converted, so the result
-- follows DST: 07:00 in Berlin is 06:00 UTC in winter and 05:00 UTC in summer. A wall-clock time
-- that does not exist on a spring-forward day is moved forward by the gap (02:30 becomes 03:30).
create function private.next_occurrence(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, after timestamp with time zone) returns timestamp with time zone
    language plpgsql stable
    set search_path to ''
    as $$
declare
  days_since_anchor integer := (after at time zone time_zone)::date - anchor_date;
  candidate_date date := anchor_date;
  candidate timestamptz;
begin
  if interval_days is null or interval_days < 1 then
    raise exception 'interval_days must be at least 1, got %', interval_days;
  end if;
  if days_since_anchor > 0 then
    -- first grid date on or after the local date of `after`
    candidate_date := anchor_date + ((days_since_anchor + interval_days - 1) / interval_days) * interval_days;
  end if;
  candidate := (candidate_date + local_time) at time zone time_zone;
  if candidate <= after then
    candidate := ((candidate_date + interval_days) + local_time) at time zone time_zone;
  end if;
  return candidate;
end
$$;

-- Today's occurrence of a habit in its owner's zone, or null when today is not on its grid.
create function private.todays_occurrence(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, at timestamp with time zone default now()) returns timestamp with time zone
    language sql stable
    set search_path to ''
    as $$
  select case
    when today >= anchor_date and (today - anchor_date) % interval_days = 0
      then (today + local_time) at time zone time_zone
  end
  from (select (at at time zone time_zone)::date as today) local_day
$$;

create table public.habits (
    id uuid default gen_random_uuid() not null,
    owner_id uuid default auth.uid() not null,
    action text not null,
    place text not null,
    "time" time without time zone not null,
    interval_days integer default 1 not null,
    duration_seconds integer not null,
    is_pleasant boolean default false not null,
    related_habit_id uuid,
    reward text,
    is_public boolean default false not null,
    is_paused boolean default false not null,
    starts_on date default current_date not null,
    next_reminder_at timestamp with time zone,
    created_at timestamp with time zone default now() not null,
    updated_at timestamp with time zone default now() not null,
    paused_reason text,
    constraint habits_created_at_range check ((created_at >= '1999-12-31 10:00:00+00'::timestamp with time zone)),
    constraint habits_action_length check (((char_length(action) >= 1) and (char_length(action) <= 200))),
    constraint habits_duration_seconds_range check (((duration_seconds >= 1) and (duration_seconds <= 120))),
    constraint habits_interval_days_range check (((interval_days >= 1) and (interval_days <= 7))),
    constraint habits_paused_reason_known check ((paused_reason = 'time_zone_unresolvable'::text)),
    constraint habits_place_length check (((char_length(place) >= 1) and (char_length(place) <= 200))),
    constraint habits_pleasant_has_no_reward_or_link check (((not is_pleasant) or ((reward is null) and (related_habit_id is null)))),
    constraint habits_reward_length check (((reward is null) or ((char_length(reward) >= 1) and (char_length(reward) <= 200)))),
    constraint habits_reward_or_related_habit check (((reward is null) or (related_habit_id is null))),
    constraint habits_starts_on_range check ((starts_on >= '2000-01-01'::date)),
    constraint habits_time_of_day check ((time < '24:00:00'::time without time zone))
)
with (autovacuum_vacuum_scale_factor='0', autovacuum_vacuum_threshold='2000', autovacuum_analyze_scale_factor='0', autovacuum_analyze_threshold='2000');

create table public.public_habits (
    id uuid not null,
    action text not null,
    place text not null,
    "time" time without time zone not null,
    interval_days integer not null,
    duration_seconds integer not null,
    is_pleasant boolean not null,
    reward text,
    created_at timestamp with time zone not null
);

comment on function private.habits_check_created_at() is 'The upper bound of habits_created_at_range: a habit''s history does not begin in the future.';

comment on function private.habits_check_starts_on() is 'The upper bound of habits_starts_on_range: not more than a year after the owner''s local today.';

comment on table public.habits is 'A habit in the Atomic Habits form: I will [action] at [time] in [place], every interval_days days.';

comment on column public.habits."time" is 'Local wall-clock time in the owner''s time zone.';

comment on column public.habits.created_at is 'Where the habit''s history begins, which its streak counts misses from: when it was created, or for an imported habit the start of its imported history (our export''s created_at, or Loop''s first occurrence). Its owner cannot write it.';

comment on column public.habits.related_habit_id is 'An optional pleasant habit of the same owner to do right after (instead of a reward).';

comment on column public.habits.next_reminder_at is 'The next due time (UTC), computed from time, interval_days, starts_on and the owner''s time zone.';

comment on column public.habits.paused_reason is 'Why the service paused this habit: time_zone_unresolvable (the owner''s zone no longer resolves on the server; choosing a zone again resumes it).';

comment on table public.public_habits is 'Public habits of all users, without any owner information (kept by triggers on habits).';

alter table only public.habits
    add constraint habits_id_owner_key unique (id, owner_id);

alter table only public.habits
    add constraint habits_pkey primary key (id);

alter table only public.public_habits
    add constraint public_habits_pkey primary key (id);

alter table only public.habits
    add constraint habits_owner_id_fkey foreign key (owner_id) references public.profiles(id) on delete cascade;

alter table only public.habits
    add constraint habits_related_habit_same_owner_fkey foreign key (related_habit_id, owner_id) references public.habits(id, owner_id) on delete set null (related_habit_id);

alter table only public.public_habits
    add constraint public_habits_id_fkey foreign key (id) references public.habits(id) on delete cascade;

create index habits_owner_id_created_at_idx on public.habits using btree (owner_id, created_at desc);

create index habits_public_created_at_idx on public.habits using btree (created_at desc) where is_public;

create index habits_related_habit_id_owner_id_idx on public.habits using btree (related_habit_id, owner_id) where (related_habit_id is not null);

create index public_habits_created_at_idx on public.public_habits using btree (created_at desc, id);

create trigger habits_check_required_numbers before insert or update of interval_days, duration_seconds on public.habits for each row execute function private.habits_require_numbers();

create trigger habits_clear_paused_reason before update of is_paused on public.habits for each row execute function private.habits_clear_paused_reason();

-- The condition in WHEN, so the many rows of an import cost no function call.
create trigger habits_created_at_not_in_future before insert or update of created_at on public.habits for each row when ((new.created_at > now())) execute function private.habits_check_created_at();

create trigger habits_enforce_account_limit after insert on public.habits referencing new table as created_habits for each statement execute function private.habits_enforce_account_limit();

create trigger habits_enforce_rules_and_schedule before insert or update of owner_id, "time", interval_days, starts_on, is_paused, is_pleasant, related_habit_id on public.habits for each row execute function private.habits_enforce_rules_and_schedule();

create trigger habits_normalize_text before insert or update of action, place, reward on public.habits for each row execute function private.habits_normalize_text();

create trigger habits_queue_created_messages after insert on public.habits referencing new table as created_habits for each statement execute function private.habits_queue_created_messages();

create trigger habits_set_updated_at before update of owner_id, action, place, "time", interval_days, duration_seconds, is_pleasant, related_habit_id, reward, is_public, is_paused, paused_reason, starts_on on public.habits for each row execute function private.set_updated_at();

-- Named to run after habits_enforce_rules_and_schedule, which sets starts_on on insert.
create trigger habits_starts_on_within_a_year before insert or update of starts_on on public.habits for each row execute function private.habits_check_starts_on();

-- Only writes that touch a listed column (never the reminder tick's next_reminder_at) fire it.
create trigger habits_sync_public_listing_on_insert after insert on public.habits for each row when (new.is_public) execute function private.habits_sync_public_listing();

create trigger habits_sync_public_listing_on_update after update of action, place, "time", interval_days, duration_seconds, is_pleasant, reward, is_public on public.habits for each row when ((new.is_public or old.is_public)) execute function private.habits_sync_public_listing();

alter table public.habits enable row level security;

alter table public.public_habits enable row level security;

create policy "Habits are deletable by their owner" on public.habits for delete to authenticated using ((owner_id = ( select auth.uid() as uid)));

create policy "Habits are editable by their owner" on public.habits for update to authenticated using ((owner_id = ( select auth.uid() as uid))) with check ((owner_id = ( select auth.uid() as uid)));

create policy "Habits are viewable by their owner" on public.habits for select to authenticated using ((owner_id = ( select auth.uid() as uid)));

create policy "Habits can be created by their owner" on public.habits for insert to authenticated with check ((owner_id = ( select auth.uid() as uid)));

create policy "Public habits are viewable by everyone" on public.public_habits for select to anon, authenticated using (true);
