-- =====================================================================================
-- Public habits: a projection table instead of a SECURITY DEFINER view
-- The view ran with its owner's rights to look past RLS on habits (Supabase's advisor:
-- security_definer_view, ERROR). public_habits is now a table holding only the safe columns of
-- public habits, kept by triggers on habits; anon and authenticated read it under its own RLS
-- policy, and nothing in it names an owner. Clients read it as before (same name, same columns).
-- =====================================================================================

create table public.public_habits (
  id uuid primary key references public.habits (id) on delete cascade,
  action text not null,
  place text not null,
  time time not null,
  interval_days integer not null,
  duration_seconds integer not null,
  is_pleasant boolean not null,
  reward text,
  created_at timestamptz not null
);
comment on table public.public_habits is 'Public habits of all users, without any owner information (kept by triggers on habits).';

create index public_habits_created_at_idx on public.public_habits (created_at desc, id);

alter table public.public_habits enable row level security;

create policy "Public habits are viewable by everyone"
on public.public_habits for select
to anon, authenticated
using (true);

revoke all on public.public_habits from anon, authenticated, service_role;
grant select on public.public_habits to anon, authenticated;
grant select on public.public_habits to service_role;

-- Copies a public habit's safe columns into the listing, or removes it when it stops being
-- public (deleting the habit removes it through the foreign key).
create function private.habits_sync_public_listing()
returns trigger
language plpgsql
security definer
set search_path = ''
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

-- Only writes that touch a listed column (never the reminder tick's next_reminder_at) fire it.
create trigger habits_sync_public_listing_on_insert
after insert on public.habits
for each row when (new.is_public)
execute function private.habits_sync_public_listing();

create trigger habits_sync_public_listing_on_update
after update of action, place, time, interval_days, duration_seconds, is_pleasant, reward, is_public on public.habits
for each row when (new.is_public or old.is_public)
execute function private.habits_sync_public_listing();

insert into public.public_habits (id, action, place, time, interval_days, duration_seconds, is_pleasant, reward, created_at)
select id, action, place, time, interval_days, duration_seconds, is_pleasant, reward, created_at
from public.habits
where is_public;
