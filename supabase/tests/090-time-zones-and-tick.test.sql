-- Time zones are canonical IANA names, and the reminder tick isolates a habit whose owner's zone
-- no longer resolves on the server while everyone else's reminders go out.
begin;
set local search_path = public, extensions;
select * from no_plan();

-- ---------------------------------------------------------------- canonical zones
select tests.create_supabase_user('uma');
select tests.create_supabase_user('umberto', 'localtime');
select is((select timezone from public.profiles where id = tests.get_supabase_uid('umberto')), 'UTC',
  'signing up with the server-following zone "localtime" falls back to UTC');

select tests.authenticate_as('uma');
select throws_like(format($$ update public.profiles set timezone = %L $$, zone),
  '%"profiles_timezone_is_known"%', format('%s is not a canonical IANA zone and is rejected', zone))
from unnest(array['localtime', 'posixrules', 'Factory', 'posix/Europe/Berlin', 'right/Europe/Berlin', 'US/Pacific', 'EST5EDT']) zone;
select lives_ok(format($$ update public.profiles set timezone = %L $$, zone), format('%s is accepted', zone))
from unnest(array['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'UTC']) zone;

-- ---------------------------------------------------------------- the tick isolates a bad zone
select tests.as_postgres();
select tests.create_supabase_user('vera', 'Europe/Berlin');
select tests.create_supabase_user('walt', 'Europe/Berlin');
select tests.link_telegram('vera', 9101);
select tests.link_telegram('walt', 9102);
-- Both due a minute ago, so that the tick sends rather than skips as missed.
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
select id::uuid, tests.get_supabase_uid(owner), action, 'here', date_trunc('minute', (now() - interval '1 minute') at time zone 'Europe/Berlin')::time, 60
from (values ('f9000000-0000-0000-0000-000000000001', 'vera', 'stretch'), ('f9000000-0000-0000-0000-000000000002', 'walt', 'breathe')) h(id, owner, action);

-- Walt's zone stops resolving, as a legacy name does when tzdata-legacy is removed from the server.
alter table public.profiles drop constraint if exists profiles_timezone_is_known;
alter table public.profiles disable trigger profiles_reschedule_habits;
update public.profiles set timezone = 'Mars/Olympus_Mons' where id = tests.get_supabase_uid('walt');
alter table public.profiles enable trigger profiles_reschedule_habits;
update public.habits set next_reminder_at = now() - interval '1 minute';

select lives_ok($$ select private.run_reminder_tick() $$, 'the tick runs although one due habit''s zone cannot be resolved');
select is((select count(*) from public.notifications where habit_id = 'f9000000-0000-0000-0000-000000000001' and kind = 'reminder' and status = 'pending'),
  1::bigint, 'everyone else''s reminder is queued');
select ok((select next_reminder_at > now() from public.habits where id = 'f9000000-0000-0000-0000-000000000001'),
  'everyone else''s next reminder is scheduled');
select results_eq($$ select is_paused, paused_reason, next_reminder_at from public.habits where id = 'f9000000-0000-0000-0000-000000000002' $$,
  $$ values (true, 'time_zone_unresolvable', null::timestamptz) $$, 'the habit with the unresolvable zone is paused with a recorded reason');
select ok((select status = 'skipped' and last_error like 'time_zone_unresolvable: time zone "Mars/Olympus_Mons"%'
           from public.notifications where habit_id = 'f9000000-0000-0000-0000-000000000002' and kind = 'reminder'),
  'its owner''s history shows the skipped reminder and why');
select lives_ok($$ select private.run_reminder_tick() $$, 'the next tick runs too');

update public.profiles set timezone = 'Europe/Berlin' where id = tests.get_supabase_uid('walt');
select results_eq($$ select is_paused, paused_reason, next_reminder_at > now() from public.habits where id = 'f9000000-0000-0000-0000-000000000002' $$,
  $$ values (false, null::text, true) $$, 'choosing a zone again resumes the habit the service paused');

-- ---------------------------------------------------------------- the reason
select throws_like($$ update public.habits set paused_reason = 'bored' where id = 'f9000000-0000-0000-0000-000000000001' $$,
  '%"habits_paused_reason_known"%', 'an unknown pause reason is rejected with habits_paused_reason_known');
update public.habits set is_paused = true, paused_reason = 'time_zone_unresolvable' where id = 'f9000000-0000-0000-0000-000000000001';
select tests.authenticate_as('vera');
update public.habits set is_paused = false where id = 'f9000000-0000-0000-0000-000000000001';
select is((select paused_reason from public.habits where id = 'f9000000-0000-0000-0000-000000000001'), null,
  'the owner resuming a habit clears the reason');

select * from finish();
rollback;
