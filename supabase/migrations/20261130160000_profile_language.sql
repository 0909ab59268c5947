-- =====================================================================================
-- The profile's language: the web app saves the language a person chose (or their browser's),
-- so the Telegram bot can speak it too. Null means "not chosen yet": follow the browser, and
-- the bot speaks English.
-- =====================================================================================

alter table public.profiles
  add column language text
    constraint profiles_language_known check (language in ('en', 'ru'));
comment on column public.profiles.language is
  'The interface language the person chose: en or ru; null until chosen (the browser''s language applies).';

-- Like the time zone and display name, a user may change their own language.
grant update (language) on public.profiles to authenticated;
