-- The due path after an outage (issue 27): when nothing was queued ahead, the tick queues the
-- due reminders a bounded batch per transaction (reminder_tick_batch), earliest first, and
-- pg_cron's command calls it again (private.queue_due_batch) until a batch writes nothing. Every guarantee holds
-- batch by batch: each due occurrence is queued exactly once, missed occurrences collapse into one
-- (skipped when more than the grace late), and a person whose zone does not resolve holds up
-- nobody else's batch.
begin;
set local search_path = public, extensions;
select * from no_plan();

-- Noon UTC the day after tomorrow: the tick comes back then.
create temp table clock as select date_trunc('day', now()) + interval '2 days 12 hours' as at;
select tests.create_supabase_user('batch-' || i, 'UTC') from generate_series(1, 9) i;
select tests.link_telegram('batch-' || i, 22100 + i) from generate_series(1, 9) i;
-- Seven people due at 11:53 … 11:59 of that day, each in their own chat.
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('batch-' || i), 'due-' || i, 'here', make_time(11, 52 + i, 0), 30
from generate_series(1, 7) i;
-- One whose reminders were due every day of the outage, the last at 09:00 (three hours late).
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('batch-8'), 'stale', 'here', '09:00', 30);
-- One whose zone stopped resolving during the outage, due first of all.
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('batch-9'), 'unresolvable', 'here', '08:00', 30);
update public.habits set next_reminder_at = ((select at from clock)::date + time) at time zone 'UTC'
where action like 'due-%';
update public.habits set next_reminder_at = ((select at from clock)::date - 2 + time) at time zone 'UTC'
where action in ('stale', 'unresolvable');
alter table public.profiles drop constraint if exists profiles_timezone_is_known;
alter table public.profiles disable trigger profiles_reschedule_habits;
update public.profiles set timezone = 'Mars/Olympus_Mons' where id = tests.get_supabase_uid('batch-9');
alter table public.profiles enable trigger profiles_reschedule_habits;
delete from public.notifications;
update private.settings set value = 3 where name = 'reminder_tick_batch';

select is(private.enqueue_due_reminders((select at from clock)), 2,
  'the first batch takes the three earliest due habits: the unresolvable one is left out, the other two queued');
select is((select array_agg(h.action order by n.due_at) from public.notifications n join public.habits h on h.id = n.habit_id),
  array['stale', 'due-1'], 'earliest first');
-- Until run_reminder_tick pauses it (at its next minute), that habit takes a place in every batch.
select is(private.enqueue_due_reminders((select at from clock)), 2,
  'one person''s unresolvable zone does not stop the next batch');
select is(private.enqueue_due_reminders((select at from clock)), 2, 'nor the one after');
select is(private.enqueue_due_reminders((select at from clock)), 2, 'the last two');
select is(private.enqueue_due_reminders((select at from clock)), 0, 'then a batch writes nothing, which ends the minute''s loop');
select is((select count(*) from public.notifications where kind = 'reminder'), 8::bigint,
  'every due habit of a healthy person was queued');
select is((select count(*) from (select habit_id, due_at from public.notifications group by 1, 2 having count(*) > 1) d),
  0::bigint, 'each due occurrence exactly once');
select results_eq(
  $$ select h.action, n.status, n.occurrence_at from public.notifications n join public.habits h on h.id = n.habit_id
     where h.action like 'due-%' order by h.action $$,
  $$ select 'due-' || i, 'pending', ((select at from clock)::date + make_time(11, 52 + i, 0)) at time zone 'UTC'
     from generate_series(1, 7) i $$,
  'the seven due minutes before the tick came back are sent, each for its own occurrence');
select results_eq(
  $$ select n.status, n.last_error, n.occurrence_at from public.notifications n join public.habits h on h.id = n.habit_id
     where h.action = 'stale' $$,
  $$ select 'skipped', 'missed while the service was down', ((select at from clock)::date + time '09:00') at time zone 'UTC' $$,
  'three days of missed reminders collapse into one record, skipped: more than the grace late');
select is((select count(*) from public.habits
           where action <> 'unresolvable' and next_reminder_at <> ((select at from clock)::date + 1 + time) at time zone 'UTC'),
  0::bigint, 'every queued habit moved on to its occurrence after the tick');
select is((select count(*) from public.notifications n join public.habits h on h.id = n.habit_id where h.action = 'unresolvable'),
  0::bigint, 'nothing is queued for the person whose zone does not resolve (run_reminder_tick pauses them first)');

-- A batch that another run holds locked is skipped, not waited for or queued twice: the rows
-- queued here are the ones the due path would queue, and a repeat writes nothing.
select is(private.enqueue_due_reminders((select at from clock)), 0, 'a repeated batch at the same instant queues nothing more');

-- pg_cron's command calls private.queue_due_batch after the tick, each call committed.
update private.settings set value = 5000 where name = 'reminder_tick_batch';
-- Due two minutes ago by the clock (the command's batches run at now()).
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('batch-1'), 'one more', 'here', date_trunc('minute', now() - interval '2 minutes')::time, 30);
update public.habits set next_reminder_at = date_trunc('minute', now() - interval '2 minutes') where action = 'one more';
select vault.create_secret('http://127.0.0.1:54321', 'project_url');
select vault.create_secret('test-reminders-secret', 'reminders_secret');
delete from net.http_request_queue;
select is(private.queue_due_batch(clock_timestamp()), true, 'a batch that queued something asks for another');
select is((select count(*) from net.http_request_queue), 1::bigint, '... and starts the dispatcher for what it queued');
select is(private.queue_due_batch(clock_timestamp()), false, 'a batch that queued nothing ends the loop');
update public.habits set next_reminder_at = date_trunc('minute', now() - interval '2 minutes') where action = 'one more';
delete from public.notifications where habit_id = (select id from public.habits where action = 'one more');
select is(private.queue_due_batch(clock_timestamp() - interval '51 seconds'), false,
  'so does the end of the tick''s 50 seconds, leaving the rest to the next minute');
select is((select count(*) from public.notifications where habit_id = (select id from public.habits where action = 'one more')),
  0::bigint, '... without queueing');

select * from finish();
rollback;
