-- The tick's settings have one home, rows of private.settings (issue 25): the queue-ahead horizon
-- (reminder_queue_ahead_minutes), the most reminders one of the tick's transactions queues
-- (reminder_tick_batch) and the outage grace (reminder_grace_minutes). Changing a row changes
-- what the tick does; a value out of range is refused by a CHECK named after the setting; a
-- missing row stops the tick with an error that names it, never a silent default.
begin;
set local search_path = public, extensions;
select * from no_plan();

select results_eq(
  $$ select name, value from private.settings where name like 'reminder_%' order by name $$,
  $$ values ('reminder_grace_minutes', 60), ('reminder_queue_ahead_minutes', 30), ('reminder_tick_batch', 5000) $$,
  'the tick''s settings and their defaults: grace 60 minutes, horizon 30 minutes, batch 5,000');
select ok(
  not exists (select from pg_proc p where p.pronamespace = 'private'::regnamespace
              and p.proname in ('enqueue_due_reminders', 'queue_upcoming_reminders', 'skip_reminders_missed_while_down',
                                'enqueue_weekly_digests')
              and pg_get_function_arguments(p.oid) ~ '(grace|horizon|batch)'),
  'no tick function keeps a setting of its own in its signature');

-- ---------------------------------------------------------------- bad values are refused
select throws_ok($$ update private.settings set value = -1 where name = 'reminder_queue_ahead_minutes' $$,
  '23514', null, 'a negative horizon is refused');
select throws_ok($$ update private.settings set value = 1441 where name = 'reminder_queue_ahead_minutes' $$,
  '23514', null, 'a horizon over a day is refused');
select throws_ok($$ update private.settings set value = 0 where name = 'reminder_tick_batch' $$,
  '23514', null, 'a batch of nothing is refused');
select throws_ok($$ update private.settings set value = 100001 where name = 'reminder_tick_batch' $$,
  '23514', null, 'a batch over 100,000 (one unbounded transaction again) is refused');
select throws_ok($$ update private.settings set value = 0 where name = 'reminder_grace_minutes' $$,
  '23514', null, 'a grace of nothing is refused');
select throws_ok($$ update private.settings set value = 1441 where name = 'reminder_grace_minutes' $$,
  '23514', null, 'a grace over a day is refused');
select is((select array_agg(c.conname::text order by c.conname) from pg_constraint c
           where c.conrelid = 'private.settings'::regclass and c.contype = 'c'
             and c.conname like 'settings\_reminder\_%'),
  array['settings_reminder_grace_minutes_range', 'settings_reminder_queue_ahead_minutes_range',
        'settings_reminder_tick_batch_range'],
  'each setting''s range is a CHECK named after it');
select tests.authenticate_as_service_role();
select lives_ok($$ update private.settings set value = 45 where name = 'reminder_queue_ahead_minutes' $$,
  'the service role may change a setting');
select tests.as_postgres();
update private.settings set value = 30 where name = 'reminder_queue_ahead_minutes';

-- ---------------------------------------------------------------- the horizon
select tests.create_supabase_user('sela', 'UTC');
select tests.link_telegram('sela', 22001);
insert into public.habits (id, owner_id, action, place, time, duration_seconds) values
  ('22000000-0000-0000-0000-000000000001', tests.get_supabase_uid('sela'), 'ahead', 'here', '12:40', 30);
delete from public.notifications where kind = 'habit_created';
-- The clock: 40 minutes before the habit's next reminder.
create temp table clock as
select next_reminder_at - interval '40 minutes' as at from public.habits where action = 'ahead';
select is(private.queue_upcoming_reminders((select at from clock)), 0,
  'with a 30-minute horizon, a reminder 40 minutes ahead is not queued');
update private.settings set value = 45 where name = 'reminder_queue_ahead_minutes';
select is(private.queue_upcoming_reminders((select at from clock)), 1,
  'with reminder_queue_ahead_minutes = 45 it is');
update private.settings set value = 30 where name = 'reminder_queue_ahead_minutes';

-- ---------------------------------------------------------------- the grace, on the due path
-- A reminder 90 minutes late when the tick comes back.
delete from public.notifications;
update public.habits set next_reminder_at = (select at from clock) + interval '40 minutes' where action = 'ahead';
select is(private.enqueue_due_reminders((select at + interval '130 minutes' from clock)), 1, 'the due path queues it');
select results_eq($$ select status, last_error from public.notifications where kind = 'reminder' $$,
  $$ values ('skipped', 'missed while the service was down') $$,
  'with a 60-minute grace, a reminder 90 minutes late is recorded as missed, not sent');
delete from public.notifications;
update public.habits set next_reminder_at = (select at from clock) + interval '40 minutes' where action = 'ahead';
update private.settings set value = 120 where name = 'reminder_grace_minutes';
select is(private.enqueue_due_reminders((select at + interval '130 minutes' from clock)), 1, 'again with a 120-minute grace');
select results_eq($$ select status from public.notifications where kind = 'reminder' $$, $$ values ('pending') $$,
  'with reminder_grace_minutes = 120 it is sent');

-- ---------------------------------------------------------------- the grace, after an outage
delete from public.notifications;
delete from private.reminder_tick_clock;
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at)
select id, owner_id, 'reminder', (select at from clock) + interval '10 minutes', (select at from clock) + interval '10 minutes',
  (select at from clock) + interval '10 minutes'
from public.habits where action = 'ahead';
select private.skip_reminders_missed_while_down((select at from clock));
select is(private.skip_reminders_missed_while_down((select at + interval '100 minutes' from clock)), 0,
  'with a 120-minute grace, a reminder queued ahead and 90 minutes late after an outage is still sent');
update private.settings set value = 60 where name = 'reminder_grace_minutes';
delete from private.reminder_tick_clock;
select private.skip_reminders_missed_while_down((select at from clock));
select is(private.skip_reminders_missed_while_down((select at + interval '100 minutes' from clock)), 1,
  'with 60 it is skipped');

-- ---------------------------------------------------------------- the grace, for digests
update public.profiles set weekly_digest = true, digest_weekday = 0, digest_time = '19:00'
where id = tests.get_supabase_uid('sela');
select is(private.enqueue_weekly_digests('2026-11-29 20:30Z'), 0,
  'with a 60-minute grace, a Sunday 19:00 digest is not queued at 20:30');
update private.settings set value = 120 where name = 'reminder_grace_minutes';
select is(private.enqueue_weekly_digests('2026-11-29 20:30Z'), 1, 'with 120 it is');
update private.settings set value = 60 where name = 'reminder_grace_minutes';

-- ---------------------------------------------------------------- a missing row
delete from private.settings where name = 'reminder_tick_batch';
select throws_ok($$ select private.queue_upcoming_reminders(now()) $$, 'P0002',
  'the tick setting "reminder_tick_batch" is missing from private.settings',
  'a missing setting stops the tick with an error that names it');
select throws_ok($$ select private.enqueue_due_reminders(now()) $$, 'P0002',
  'the tick setting "reminder_tick_batch" is missing from private.settings', '... on the due path too');

select * from finish();
rollback;
