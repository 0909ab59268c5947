-- Completions: one per real occurrence, never in the future.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

create function private.habit_completions_check_completed_at() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  perform private.raise_rule_violation('habit_completions', 'habit_completions_completed_at_range',
    'A completion is recorded between 1 January 2000 and now.');
  return new;
end
$$;

create function private.habit_completions_check_occurrence() returns trigger
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

-- As private.next_occurrence builds occurrences: local date + wall-clock time, then converted,
-- on a day of the every-N-days grid that starts on starts_on.
create function private.habit_occurs_at(local_time time without time zone, interval_days integer, starts_on date, time_zone text, occurrence_at timestamp with time zone) returns boolean
    language sql stable
    set search_path to ''
    begin atomic
 select ((((occurrence_at at time zone time_zone))::date + local_time) at time zone time_zone) = occurrence_at
    and ((((((occurrence_at at time zone time_zone))::date - starts_on) % interval_days) + interval_days) % interval_days) = 0;
end;

create table public.habit_completions (
    id bigint not null,
    habit_id uuid not null,
    owner_id uuid default auth.uid() not null,
    occurrence_at timestamp with time zone not null,
    completed_at timestamp with time zone default now() not null,
    source text default 'web'::text not null,
    constraint habit_completions_completed_at_range check ((completed_at >= '1999-12-31 10:00:00+00'::timestamp with time zone)),
    constraint habit_completions_occurrence_at_range check (((occurrence_at >= '1999-12-31 10:00:00+00'::timestamp with time zone) and (occurrence_at <= (completed_at + '2 days'::interval)))),
    constraint habit_completions_source_known check ((source = any (array['web'::text, 'telegram'::text])))
);

alter table public.habit_completions alter column id add generated always as identity (
    sequence name public.habit_completions_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

comment on function private.habit_completions_check_completed_at() is 'The upper bound of habit_completions_completed_at_range: a completion is not recorded in the future.';

comment on table public.habit_completions is 'One row per completed occurrence of a habit.';

alter table only public.habit_completions
    add constraint habit_completions_once_per_occurrence unique (habit_id, occurrence_at);

alter table only public.habit_completions
    add constraint habit_completions_pkey primary key (id);

alter table only public.habit_completions
    add constraint habit_completions_habit_same_owner_fkey foreign key (habit_id, owner_id) references public.habits(id, owner_id) on delete cascade;

alter table only public.habit_completions
    add constraint habit_completions_owner_id_fkey foreign key (owner_id) references public.profiles(id) on delete cascade;

-- Covering indexes for the composite foreign keys (Supabase's advisor: unindexed_foreign_keys).
create index habit_completions_habit_id_owner_id_idx on public.habit_completions using btree (habit_id, owner_id);

create index habit_completions_owner_id_idx on public.habit_completions using btree (owner_id, completed_at desc);

create trigger habit_completions_check_occurrence before insert or update on public.habit_completions for each row execute function private.habit_completions_check_occurrence();

-- The condition in WHEN, so the many rows of an import cost no function call.
create trigger habit_completions_completed_at_not_in_future before insert or update of completed_at on public.habit_completions for each row when ((new.completed_at > now())) execute function private.habit_completions_check_completed_at();

alter table public.habit_completions enable row level security;

create policy "Completions are deletable by their owner" on public.habit_completions for delete to authenticated using ((owner_id = ( select auth.uid() as uid)));

create policy "Completions are viewable by their owner" on public.habit_completions for select to authenticated using ((owner_id = ( select auth.uid() as uid)));

create policy "Completions can be recorded by their owner" on public.habit_completions for insert to authenticated with check ((owner_id = ( select auth.uid() as uid)));
