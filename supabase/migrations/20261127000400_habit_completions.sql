-- =====================================================================================
-- Habit completions: one row per done occurrence, from Telegram's Done button or the SPA
-- =====================================================================================

create table public.habit_completions (
  id bigint generated always as identity primary key,
  habit_id uuid not null,
  owner_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  -- The due time this completion answers, so pressing Done twice records one completion.
  occurrence_at timestamptz not null,
  completed_at timestamptz not null default now(),
  source text not null default 'web'
    constraint habit_completions_source_known check (source in ('web', 'telegram')),
  constraint habit_completions_once_per_occurrence unique (habit_id, occurrence_at),
  -- A completion belongs to the habit's owner.
  constraint habit_completions_habit_same_owner_fkey foreign key (habit_id, owner_id)
    references public.habits (id, owner_id) on delete cascade
);
comment on table public.habit_completions is 'One row per completed occurrence of a habit.';

create index habit_completions_owner_id_idx on public.habit_completions (owner_id, completed_at desc);

alter table public.habit_completions enable row level security;

create policy "Completions are viewable by their owner"
on public.habit_completions for select
to authenticated
using (owner_id = (select auth.uid()));

create policy "Completions can be recorded by their owner"
on public.habit_completions for insert
to authenticated
with check (owner_id = (select auth.uid()));

create policy "Completions are deletable by their owner"
on public.habit_completions for delete
to authenticated
using (owner_id = (select auth.uid()));

-- A completion is a fact: recorded or removed, never edited. Users do not choose its source.
revoke all on public.habit_completions from anon, authenticated;
grant select, delete on public.habit_completions to authenticated;
grant insert (habit_id, occurrence_at) on public.habit_completions to authenticated;
grant all on public.habit_completions to service_role;
