-- The next occurrence of a habit: every interval from 1 to 7 days, DST changes in Berlin and
-- New York, and next_reminder_at kept current by inserts, edits and time-zone changes.
begin;
set local search_path = public, extensions;
select * from no_plan();

-- Chains the function: the first `n` occurrences after `after`.
create function pg_temp.occurrences(local_time time, interval_days int, anchor date, zone text, after timestamptz, n int)
returns timestamptz[]
language sql
as $$
  with recursive chain (i, at) as (
    select 1, private.next_occurrence(local_time, interval_days, anchor, zone, after)
    union all
    select i + 1, private.next_occurrence(local_time, interval_days, anchor, zone, at) from chain where i < n
  )
  select array_agg(at order by i) from chain
$$;

-- Every interval 1..7 over 30 days, in UTC: occurrences are exactly interval_days apart,
-- start on the anchor date and never repeat.
select is(
  pg_temp.occurrences('07:00', d, '2026-01-05', 'UTC', '2026-01-05 00:00Z', ceil(30.0 / d)::int),
  (select array_agg(g) from generate_series('2026-01-05 07:00Z'::timestamptz, '2026-02-03 23:59Z', make_interval(days => d)) g),
  format('every %s day(s): 30 days of occurrences on the %s-day grid from the anchor', d, d))
from generate_series(1, 7) d;

select is(private.next_occurrence('07:00', d, '2026-01-05', 'UTC', '2026-01-05 07:00Z'),
  '2026-01-05 07:00Z'::timestamptz + make_interval(days => d),
  format('every %s day(s): an occurrence exactly at `after` is not returned again', d))
from generate_series(1, 7) d;

select is(private.next_occurrence('07:00', d, '2026-01-05', 'UTC', '2026-01-20 12:00Z'),
  (select min(g) from generate_series('2026-01-05 07:00Z'::timestamptz, '2026-03-01', make_interval(days => d)) g where g > '2026-01-20 12:00Z'),
  format('every %s day(s): from a later start, the next grid date is found', d))
from generate_series(1, 7) d;

select is(private.next_occurrence('07:00', 3, '2026-02-10', 'UTC', '2026-01-20 12:00Z'), '2026-02-10 07:00Z'::timestamptz,
  'an anchor in the future is the first occurrence');

-- Europe/Berlin: CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2) until 2026-10-25 03:00.
select is(pg_temp.occurrences('07:00', 1, '2026-03-27', 'Europe/Berlin', '2026-03-26 12:00Z', 4),
  array['2026-03-27 06:00Z', '2026-03-28 06:00Z', '2026-03-29 05:00Z', '2026-03-30 05:00Z']::timestamptz[],
  'Berlin, spring forward: 07:00 local stays 07:00 local (06:00 UTC, then 05:00 UTC)');
select is(pg_temp.occurrences('07:00', 1, '2026-10-23', 'Europe/Berlin', '2026-10-22 12:00Z', 4),
  array['2026-10-23 05:00Z', '2026-10-24 05:00Z', '2026-10-25 06:00Z', '2026-10-26 06:00Z']::timestamptz[],
  'Berlin, fall back: 07:00 local stays 07:00 local (05:00 UTC, then 06:00 UTC)');
select is(pg_temp.occurrences('07:00', 2, '2026-03-27', 'Europe/Berlin', '2026-03-26 12:00Z', 3),
  array['2026-03-27 06:00Z', '2026-03-29 05:00Z', '2026-03-31 05:00Z']::timestamptz[],
  'Berlin, every 2 days across spring forward');
select is(pg_temp.occurrences('02:30', 1, '2026-03-28', 'Europe/Berlin', '2026-03-27 12:00Z', 3),
  array['2026-03-28 01:30Z', '2026-03-29 01:30Z', '2026-03-30 00:30Z']::timestamptz[],
  'Berlin, 02:30 does not exist on 2026-03-29: that day''s reminder comes at 03:30 local, once');
select is(pg_temp.occurrences('02:30', 1, '2026-10-24', 'Europe/Berlin', '2026-10-23 12:00Z', 3),
  array['2026-10-24 00:30Z', '2026-10-25 01:30Z', '2026-10-26 01:30Z']::timestamptz[],
  'Berlin, 02:30 happens twice on 2026-10-25: one reminder, not two');

-- America/New_York: EST (UTC-5) until 2026-03-08 02:00, EDT (UTC-4) until 2026-11-01 02:00.
select is(pg_temp.occurrences('07:00', 1, '2026-03-06', 'America/New_York', '2026-03-06 00:00Z', 4),
  array['2026-03-06 12:00Z', '2026-03-07 12:00Z', '2026-03-08 11:00Z', '2026-03-09 11:00Z']::timestamptz[],
  'New York, spring forward: 07:00 local stays 07:00 local (12:00 UTC, then 11:00 UTC)');
select is(pg_temp.occurrences('07:00', 1, '2026-10-30', 'America/New_York', '2026-10-30 00:00Z', 4),
  array['2026-10-30 11:00Z', '2026-10-31 11:00Z', '2026-11-01 12:00Z', '2026-11-02 12:00Z']::timestamptz[],
  'New York, fall back: 07:00 local stays 07:00 local (11:00 UTC, then 12:00 UTC)');
select is(pg_temp.occurrences('21:00', 7, '2026-10-25', 'America/New_York', '2026-10-25 00:00Z', 3),
  array['2026-10-26 01:00Z', '2026-11-02 02:00Z', '2026-11-09 02:00Z']::timestamptz[],
  'New York, weekly in the evening across fall back');
select is(pg_temp.occurrences('01:30', 1, '2026-10-31', 'America/New_York', '2026-10-31 00:00Z', 3),
  array['2026-10-31 05:30Z', '2026-11-01 06:30Z', '2026-11-02 06:30Z']::timestamptz[],
  'New York, 01:30 happens twice on 2026-11-01: one reminder, not two');

-- The trigger keeps next_reminder_at current.
select tests.create_supabase_user('fay', 'Europe/Berlin');
select tests.link_telegram('fay', 3001);
select tests.authenticate_as('fay');
insert into public.habits (action, place, time, duration_seconds, interval_days) values ('meditate', 'balcony', '06:45', 60, 3);

select ok((select next_reminder_at > now() and next_reminder_at <= now() + interval '3 days' from public.habits),
  'a new habit''s next reminder is in the future and within one interval');
select is((select (next_reminder_at at time zone 'Europe/Berlin')::time from public.habits), '06:45'::time,
  'a new habit''s next reminder is at its local time in the owner''s zone');
select is((select starts_on from public.habits), (now() at time zone 'Europe/Berlin')::date,
  'a new habit''s grid starts on the owner''s local today');

update public.habits set time = '19:15';
select is((select (next_reminder_at at time zone 'Europe/Berlin')::time from public.habits), '19:15'::time,
  'changing the time moves the next reminder');

update public.profiles set timezone = 'Asia/Tokyo';
select is((select (next_reminder_at at time zone 'Asia/Tokyo')::time from public.habits), '19:15'::time,
  'changing the owner''s time zone moves the next reminder to the same local time there');
select ok((select next_reminder_at > now() from public.habits), 'after a time-zone change the next reminder is still in the future');

select tests.as_postgres();
update public.habits set starts_on = starts_on - 1, next_reminder_at = next_reminder_at - interval '1 day';
select tests.authenticate_as('fay');
update public.habits set interval_days = 1;
select is((select starts_on from public.habits), (now() at time zone 'Asia/Tokyo')::date,
  'changing the interval restarts the grid on the owner''s local today');
select ok((select next_reminder_at > now() and next_reminder_at <= now() + interval '1 day' from public.habits),
  'after an interval change the next reminder is within the new interval');

select * from finish();
rollback;
