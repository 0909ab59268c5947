-- The reminder tick, pausing, the call to the reminders function, claiming and recording
-- deliveries, and housekeeping. The tick is called directly with simulated clock values.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('jon', 'UTC');
select tests.create_supabase_user('kim', 'Europe/Berlin');
select tests.create_supabase_user('lee', 'America/New_York');
select tests.link_telegram('jon', 7001);
select tests.link_telegram('kim', 7002);
select tests.link_telegram('lee', 7003);

-- Places a habit on a known grid (as if created on `anchor`), bypassing the clock.
create function pg_temp.habit_on_grid(owner text, habit_action text, at_time time, every integer, anchor date, first_after timestamptz)
returns uuid
language plpgsql
as $$
declare
  created_id uuid;
  zone text := (select timezone from public.profiles where id = tests.get_supabase_uid(owner));
begin
  insert into public.habits (owner_id, action, place, time, duration_seconds, interval_days)
  values (tests.get_supabase_uid(owner), habit_action, 'home', at_time, 60, every) returning id into created_id;
  -- Two steps: moving the anchor recomputes the next reminder from the real clock.
  update public.habits set starts_on = anchor where id = created_id;
  update public.habits set next_reminder_at = private.next_occurrence(at_time, every, anchor, zone, first_after)
  where id = created_id;
  return created_id;
end
$$;

-- ---------------------------------------------------------------- created message
select pg_temp.habit_on_grid('jon', 'created-check', '07:00', 1, '2026-01-01', '2026-01-01 00:00Z');
select is((select count(*) from public.notifications n join public.habits h on h.id = n.habit_id
           where h.action = 'created-check' and n.kind = 'habit_created' and n.status = 'pending'), 1::bigint,
  'creating a habit queues one "habit created" message');
delete from public.habits where action = 'created-check';

-- ---------------------------------------------------------------- every interval over 30 simulated days
select pg_temp.habit_on_grid('jon', 'every-' || d, '07:00', d, '2026-01-01', '2026-01-01 00:00Z') from generate_series(1, 7) d;
select private.enqueue_due_reminders(tick) from generate_series('2026-01-01 00:00Z'::timestamptz, '2026-01-30 23:00Z', interval '1 hour') tick;
select is(
  (select count(*) from public.notifications n join public.habits h on h.id = n.habit_id
   where h.action = 'every-' || d and n.kind = 'reminder' and n.status = 'pending'),
  ceil(30.0 / d)::bigint,
  format('every %s day(s): %s reminders in 30 days, one per occurrence', d, ceil(30.0 / d)))
from generate_series(1, 7) d;
select is(
  (select count(*) from public.notifications n join public.habits h on h.id = n.habit_id
   where h.action like 'every-%' and n.kind = 'reminder' and n.due_at <> (n.due_at::date + time '07:00')), 0::bigint,
  'every reminder is due at 07:00 UTC exactly');
select is(private.enqueue_due_reminders('2026-01-30 23:00Z'), 0, 'a repeated tick queues nothing more');
select ok((select bool_and(next_reminder_at > '2026-01-30 23:00Z') from public.habits where action like 'every-%'),
  'after the ticks every next reminder is in the future');
delete from public.habits where action like 'every-%';

-- ---------------------------------------------------------------- DST in two zones
select pg_temp.habit_on_grid('kim', 'berlin-daily', '07:00', 1, '2026-03-27', '2026-03-27 00:00Z');
select pg_temp.habit_on_grid('lee', 'newyork-daily', '07:00', 1, '2026-10-30', '2026-10-30 00:00Z');
select private.enqueue_due_reminders(tick) from generate_series('2026-03-27 00:00Z'::timestamptz, '2026-03-31 00:00Z', interval '1 minute') tick;
select private.enqueue_due_reminders(tick) from generate_series('2026-10-30 00:00Z'::timestamptz, '2026-11-03 00:00Z', interval '1 minute') tick;
select results_eq(
  $$ select n.due_at from public.notifications n join public.habits h on h.id = n.habit_id where h.action = 'berlin-daily' and n.kind = 'reminder' and n.due_at < '2026-04-01' order by 1 $$,
  $$ values ('2026-03-27 06:00Z'::timestamptz), ('2026-03-28 06:00Z'), ('2026-03-29 05:00Z'), ('2026-03-30 05:00Z') $$,
  'Berlin: one reminder a day at 07:00 local across the spring-forward change (minute ticks)');
select results_eq(
  $$ select n.due_at from public.notifications n join public.habits h on h.id = n.habit_id where h.action = 'newyork-daily' and n.kind = 'reminder' order by 1 $$,
  $$ values ('2026-10-30 11:00Z'::timestamptz), ('2026-10-31 11:00Z'), ('2026-11-01 12:00Z'), ('2026-11-02 12:00Z') $$,
  'New York: one reminder a day at 07:00 local across the fall-back change (minute ticks)');

-- ---------------------------------------------------------------- downtime: collapse, never a burst
select pg_temp.habit_on_grid('jon', 'downtime-short', '07:00', 1, '2026-02-01', '2026-02-01 00:00Z');
select private.enqueue_due_reminders('2026-02-04 07:20Z');
select results_eq(
  $$ select n.due_at, n.status from public.notifications n join public.habits h on h.id = n.habit_id where h.action = 'downtime-short' and n.kind = 'reminder' $$,
  $$ values ('2026-02-04 07:00Z'::timestamptz, 'pending') $$,
  'after three days down, the missed reminders collapse into one for the latest occurrence, sent if within the grace period');
select pg_temp.habit_on_grid('jon', 'downtime-long', '07:00', 1, '2026-02-01', '2026-02-01 00:00Z');
select private.enqueue_due_reminders('2026-02-04 12:00Z');
select results_eq(
  $$ select n.due_at, n.status, n.last_error from public.notifications n join public.habits h on h.id = n.habit_id where h.action = 'downtime-long' and n.kind = 'reminder' $$,
  $$ values ('2026-02-04 07:00Z'::timestamptz, 'skipped', 'missed while the service was down') $$,
  'a collapsed reminder older than the grace period is recorded as skipped, not sent');
select is((select next_reminder_at from public.habits where action = 'downtime-long'), '2026-02-05 07:00Z'::timestamptz,
  'after downtime the next reminder is the next future occurrence');

-- ---------------------------------------------------------------- pause and resume
select tests.authenticate_as('jon');
update public.habits set is_paused = true where action = 'downtime-short';
select is((select next_reminder_at from public.habits where action = 'downtime-short'), null, 'a paused habit has no next reminder');
select tests.as_postgres();
select private.enqueue_due_reminders('2026-12-31 00:00Z');
select is(private.enqueue_due_reminders('2026-12-31 00:00Z'), 0, 'a second tick at the same time queues nothing');
select is((select count(*) from public.notifications n join public.habits h on h.id = n.habit_id where h.action = 'downtime-short' and n.kind = 'reminder' and n.due_at > '2026-02-05'), 0::bigint,
  'a paused habit gets no reminders');
select tests.authenticate_as('jon');
update public.habits set is_paused = false where action = 'downtime-short';
select ok((select next_reminder_at > now() and next_reminder_at <= now() + interval '1 day' from public.habits where action = 'downtime-short'),
  'resuming schedules the next occurrence from now');
select tests.as_postgres();

-- ---------------------------------------------------------------- calling the function
select is(private.invoke_reminders_function(), null, 'without Vault entries the function is not called');
select vault.create_secret('http://127.0.0.1:54321', 'project_url');
select vault.create_secret('test-reminders-secret', 'reminders_secret');
delete from net.http_request_queue;
select isnt(private.invoke_reminders_function(), null, 'with Vault entries the function is called through pg_net');
select results_eq($$ select url, headers ->> 'Authorization', timeout_milliseconds from net.http_request_queue $$,
  $$ values ('http://127.0.0.1:54321/functions/v1/reminders', 'Bearer test-reminders-secret', 55000) $$,
  'the call goes to /functions/v1/reminders with the secret from Vault and an explicit timeout');
delete from net.http_request_queue;
insert into public.habits (owner_id, action, place, time, duration_seconds) values (tests.get_supabase_uid('jon'), 'kick-check', 'home', '09:00', 30);
select is((select count(*) from net.http_request_queue), 1::bigint, 'creating a habit calls the function at once');
delete from net.http_request_queue;
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('jon'), 'bulk-' || i, 'home', '09:00', 30 from generate_series(1, 3) i;
select is((select count(*) from net.http_request_queue), 1::bigint, 'creating several habits in one statement calls the function once');
select is((select count(*) from public.notifications n join public.habits h on h.id = n.habit_id
           where h.action like 'bulk-%' and n.kind = 'habit_created'), 3::bigint, '... and queues a message for each of them');
delete from net.http_request_queue;
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('jon'), 'none', 'home', '09:00', 30 where false;
select is((select count(*) from net.http_request_queue), 0::bigint, 'an insert of no habits calls nothing');
select ok((select position('perform private.run_reminder_tick();' in command) > 0
             and command ~ 'while private\.queue_due_batch\(started\) loop\s+commit;'
             and schedule = '* * * * *' from cron.job where jobname = 'reminder-tick'),
  'pg_cron runs the tick every minute, then the due path''s remaining batches, each committed');
select ok((select position('Bearer' in command) = 0 and position('secret' in command) = 0 from cron.job where jobname = 'reminder-tick'),
  'the cron command holds no secret');
select ok(exists (select from cron.job where jobname = 'prune-housekeeping'), 'a housekeeping job is scheduled');

-- ---------------------------------------------------------------- claiming and recording
update public.notifications set status = 'sent' where status in ('pending', 'retry');
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at)
select id, owner_id, 'reminder', '2026-06-01 09:00Z', '2026-06-01 09:00Z' from public.habits where action = 'kick-check';
create temporary table first_claim on commit drop as select * from private.claim_notifications(10, '2 minutes');
select results_eq($$ select action, chat_id, attempts from first_claim $$, $$ values ('kick-check', 7001::bigint, 1) $$,
  'a claim returns the message with what is needed to write it');
select is_empty($$ select * from private.claim_notifications(10, '2 minutes') $$, 'a claimed message is not claimed again while its lease lasts');
select is(private.record_delivery((select id from first_claim), 'retry', error => 'HTTP 500'), 'retry', 'a failed send is retried');
select ok((select next_attempt_at between now() + interval '29 seconds' and now() + interval '31 seconds' from public.notifications where id = (select id from first_claim)),
  'the first retry waits 30 seconds');
update public.notifications set next_attempt_at = now() - interval '1 second' where id = (select id from first_claim);
select is((select attempts from private.claim_notifications(10, '2 minutes')), 2, 'a retry is claimed again once due');
select is(private.record_delivery((select id from first_claim), 'retry', error => 'Too Many Requests', retry_after_seconds => 7), 'retry', 'a 429 is retried');
select ok((select next_attempt_at between now() + interval '6 seconds' and now() + interval '8 seconds' from public.notifications where id = (select id from first_claim)),
  'a 429 waits exactly retry_after');
update public.notifications set next_attempt_at = now() - interval '1 second' where id = (select id from first_claim);
select private.claim_notifications(10, '2 minutes');
update public.notifications set next_attempt_at = now() - interval '1 second' where id = (select id from first_claim);
select is((select attempts from private.claim_notifications(10, '2 minutes')), 4,
  'a message whose lease expired (its dispatcher died) is claimed again');
update public.notifications set next_attempt_at = now() - interval '1 second' where id = (select id from first_claim);
select private.claim_notifications(10, '2 minutes');
-- Its expired leases counted as maybe delivered; one that never may have arrived dies (210 has the rest).
update public.notifications set maybe_delivered_attempts = 0 where id = (select id from first_claim);
select is(private.record_delivery((select id from first_claim), 'retry', error => 'timeout'), 'dead', 'after 5 attempts a message is dead');
select is((select last_error from public.notifications where id = (select id from first_claim)), 'timeout', 'a dead message keeps its last error');
select is(private.record_delivery((select id from first_claim), 'sent', telegram_message_id => 42), 'sent', 'a sent message is recorded');
select ok((select telegram_message_id = 42 and sent_at is not null and last_error is null from public.notifications where id = (select id from first_claim)),
  'a sent message keeps its Telegram message id');

-- ---------------------------------------------------------------- housekeeping
insert into private.telegram_updates (update_id, received_at) values (1, now() - interval '8 days'), (2, now());
insert into net._http_response (id, status_code, created) values (1, 200, now() - interval '2 days'), (2, 200, now());
update public.notifications set created_at = now() - interval '91 days' where id = (select id from first_claim);
select private.prune_housekeeping();
select results_eq($$ select update_id from private.telegram_updates $$, $$ values (2::bigint) $$, 'housekeeping prunes old Telegram update ids');
select results_eq($$ select id from net._http_response $$, $$ values (2::bigint) $$, 'housekeeping prunes old pg_net responses');
select is((select count(*) from public.notifications where id = (select id from first_claim)), 0::bigint, 'housekeeping prunes old delivered notifications');

select * from finish();
rollback;
