-- =====================================================================================
-- Profiles: one per auth.users row, holding the time zone and the Telegram link
-- =====================================================================================

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text constraint profiles_display_name_length check (char_length(display_name) <= 80),
  timezone text not null default 'UTC'
    constraint profiles_timezone_is_known check (private.is_known_time_zone(timezone)),
  -- Set only by the Telegram linking functions (service role), never by the user directly.
  telegram_chat_id bigint constraint profiles_telegram_chat_id_key unique,
  telegram_username text,
  telegram_linked_at timestamptz,
  -- When Telegram last answered 403 (the user blocked the bot); cleared on the next link.
  telegram_blocked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is 'One row per user: time zone for reminders and the linked Telegram chat.';
comment on column public.profiles.timezone is 'IANA time-zone name (e.g. Europe/Berlin); reminders follow it, DST included.';

create trigger profiles_set_updated_at
before update on public.profiles
for each row execute function private.set_updated_at();

alter table public.profiles enable row level security;

-- Users read and edit only their own profile; rows are created by the sign-up trigger and
-- removed with the auth user, so there are no insert or delete policies.
create policy "Profiles are viewable by their owner"
on public.profiles for select
to authenticated
using (id = (select auth.uid()));

create policy "Profiles are editable by their owner"
on public.profiles for update
to authenticated
using (id = (select auth.uid()))
with check (id = (select auth.uid()));

-- Column privileges: of a profile, users may change only harmless columns. The Telegram link
-- fields change only through the linking functions.
revoke all on public.profiles from anon, authenticated;
grant select on public.profiles to authenticated;
grant update (display_name, timezone) on public.profiles to authenticated;
grant all on public.profiles to service_role;
grant execute on function private.is_known_time_zone(text) to authenticated, service_role;

-- Creates the profile when Supabase Auth creates a user. It must never fail (a failing trigger
-- blocks sign-up), so an unknown time zone in the sign-up metadata falls back to UTC.
create function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  requested_zone text := new.raw_user_meta_data ->> 'timezone';
begin
  insert into public.profiles (id, display_name, timezone)
  values (
    new.id,
    left(nullif(btrim(new.raw_user_meta_data ->> 'display_name'), ''), 80),
    case when private.is_known_time_zone(requested_zone) then requested_zone else 'UTC' end
  );
  return new;
end
$$;

create trigger on_auth_user_created
after insert on auth.users
for each row execute function private.handle_new_user();
