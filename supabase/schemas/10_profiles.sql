-- One profile per person: time zone, language, digest choice, Telegram link.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

create table public.profiles (
    id uuid not null,
    display_name text,
    timezone text default 'UTC'::text not null,
    telegram_chat_id bigint,
    telegram_username text,
    telegram_linked_at timestamp with time zone,
    telegram_blocked_at timestamp with time zone,
    created_at timestamp with time zone default now() not null,
    updated_at timestamp with time zone default now() not null,
    language text,
    weekly_digest boolean default false not null,
    digest_weekday smallint default 0 not null,
    digest_time time without time zone default '19:00:00'::time without time zone not null,
    must_choose_password boolean default false not null,
    time_format text default 'locale'::text not null,
    constraint profiles_digest_time_of_day check ((digest_time < '24:00:00'::time without time zone)),
    constraint profiles_digest_weekday_range check (((digest_weekday >= 0) and (digest_weekday <= 6))),
    constraint profiles_display_name_length check ((char_length(display_name) <= 80)),
    constraint profiles_language_known check ((language = any (array['en'::text, 'ru'::text]))),
    constraint profiles_telegram_chat_private check ((telegram_chat_id > 0)),
    constraint profiles_time_format_known check ((time_format = any (array['locale'::text, '24h'::text, '12h'::text]))),
    constraint profiles_timezone_is_known check (private.is_known_time_zone(timezone))
);

comment on table public.profiles is 'One row per user: time zone for reminders and the linked Telegram chat.';

comment on column public.profiles.timezone is 'IANA time-zone name (e.g. Europe/Berlin); reminders follow it, DST included.';

comment on column public.profiles.language is 'The interface language the person chose: en or ru; null until chosen (the browser''s language applies).';

comment on column public.profiles.weekly_digest is 'Whether the person gets the weekly digest in Telegram (opt-in).';

comment on column public.profiles.digest_weekday is 'The local day of the weekly digest: 0 = Sunday ... 6 = Saturday.';

comment on column public.profiles.digest_time is 'The local time of the weekly digest, in profiles.timezone.';

comment on column public.profiles.must_choose_password is 'True from the first e-mail confirmation until the person sets a password: the password typed before confirming was cleared, since a stranger may have typed it.';

comment on column public.profiles.time_format is 'How times are written to the person everywhere (web app, bot, reminders, digest): locale (the hour cycle of their language: en 12-hour, ru 24-hour), 24h or 12h.';

comment on constraint profiles_telegram_chat_private on public.profiles is 'Only a private chat (a positive Telegram id) can be linked: in a group any member could act for the owner.';

alter table only public.profiles
    add constraint profiles_pkey primary key (id);

alter table only public.profiles
    add constraint profiles_telegram_chat_id_key unique (telegram_chat_id);

alter table only public.profiles
    add constraint profiles_id_fkey foreign key (id) references auth.users(id) on delete cascade;

create trigger profiles_set_updated_at before update on public.profiles for each row execute function private.set_updated_at();

alter table public.profiles enable row level security;

create policy "Profiles are editable by their owner" on public.profiles for update to authenticated using ((id = ( select auth.uid() as uid))) with check ((id = ( select auth.uid() as uid)));

-- Users read and edit only their own profile; rows are created by the sign-up trigger and
-- removed with the auth user, so there are no insert or delete policies.
create policy "Profiles are viewable by their owner" on public.profiles for select to authenticated using ((id = ( select auth.uid() as uid)));
