-- A habit's time and the digest's time are times of day, 00:00 to 23:59:59, as the web form and
-- the import already say. Postgres's `time` also takes 24:00: a habit at 24:00 was reminded at
-- midnight, yet the web could mark none of its occurrences done (24:00 of a day is 00:00 of the
-- next, another local date, so the occurrence rule found no match).

-- Rows already at 24:00 keep the same instants: 00:00 of the next day. The one-year bound on
-- starts_on is for what people enter: a habit at 24:00 that starts a year from today moves one
-- day past it here, and must not fail the migration.
alter table public.habits disable trigger habits_starts_on_within_a_year;
update public.habits set time = '00:00', starts_on = starts_on + 1 where time = '24:00';
alter table public.habits enable trigger habits_starts_on_within_a_year;
update public.profiles set digest_time = '00:00', digest_weekday = (digest_weekday + 1) % 7
where digest_time = '24:00';

alter table public.habits add constraint habits_time_of_day check ((time < '24:00:00'::time without time zone));
alter table public.profiles add constraint profiles_digest_time_of_day check ((digest_time < '24:00:00'::time without time zone));
