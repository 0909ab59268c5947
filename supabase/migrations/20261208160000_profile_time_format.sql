-- One time format per person, for the web app, the bot, reminders and the digest alike:
-- 'locale' follows the hour cycle CLDR gives the person's language (en: 12-hour, ru: 24-hour),
-- '24h' and '12h' override it. The owner may change it; nothing else about it is special.
alter table public.profiles
  add column time_format text default 'locale'::text not null,
  add constraint profiles_time_format_known
    check ((time_format = any (array['locale'::text, '24h'::text, '12h'::text])));

comment on column public.profiles.time_format is 'How times are written to the person everywhere (web app, bot, reminders, digest): locale (the hour cycle of their language: en 12-hour, ru 24-hour), 24h or 12h.';

grant update(time_format) on table public.profiles to authenticated;
