-- "A reminder, snoozed reminder or weekly digest that fell due while no tick ran is skipped once
-- it is more than an hour late. It is never sent hours or days late." (README, Per-person
-- isolation, Outages). That held for messages never tried; one whose first send had failed (a
-- 5xx or a 429, waiting in `retry` for its next attempt) when the service went down was sent
-- when it came back, hours late. Now it is skipped too; one that may have reached the chat
-- before ends `unconfirmed`, never as if it had not arrived. So is one the last tick before the
-- outage queued (its next attempt is that tick's instant, not after it), and one of a backlog
-- that was deliverable before it, and one a run had claimed when it stopped with the service
-- (no longer taken over and resent when the service comes back).
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('rhea', 'Europe/Berlin');
select tests.link_telegram('rhea', 26001);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'stretch', 'floor', '07:00', 30);
delete from public.notifications;
delete from private.reminder_tick_clock;
select private.skip_reminders_missed_while_down('2026-11-30 06:00Z');

insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at, status, attempts,
  maybe_delivered_attempts, next_attempt_at, last_error)
overriding system value values
  -- due 06:00, a 502 at 06:00, to be tried again at 06:00:30; the service went down at 06:00:10
  (2600001, '26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'reminder',
   '2026-11-30 06:00Z', '2026-11-30 06:00Z', 'retry', 1, 0, '2026-11-30 06:00:30Z', 'HTTP 502'),
  -- a send that timed out (maybe delivered), to be resent at 06:01
  (2600002, '26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'snoozed_reminder',
   '2026-11-29 06:00Z', '2026-11-29 06:00Z', 'retry', 1, 1, '2026-11-30 06:01Z', 'timeout'),
  -- a digest handed back by a 429 until 06:02
  (2600003, null, tests.get_supabase_uid('rhea'), 'weekly_digest',
   '2026-11-30 05:59Z', null, 'pending', 1, 0, '2026-11-30 06:02Z', 'Too Many Requests'),
  -- due within the last hour of the outage (a remind-now row tried once as the database stopped):
  -- it is at most an hour late, so it is still sent
  (2600004, '26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'reminder',
   '2026-11-30 08:10Z', '2026-11-30 08:10Z', 'retry', 1, 0, '2026-11-30 08:10:30Z', 'HTTP 500'),
  -- queued by the last tick before the outage (06:00:10), never tried
  (2600005, '26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'reminder',
   '2026-11-30 05:59Z', '2026-11-30 05:59Z', 'pending', 0, 0, '2026-11-30 06:00:10Z', null),
  -- a backlog message, deliverable since before the last tick, handed back (keeps its place)
  (2600007, '26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'reminder',
   '2026-11-30 05:50Z', '2026-11-30 05:50Z', 'pending', 0, 0, '2026-11-30 05:50Z', 'released: out of send time'),
  -- a 429 on its first attempt (not counted) handed it back until 06:05
  (2600006, '26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'reminder',
   '2026-11-28 06:00Z', '2026-11-28 06:00Z', 'retry', 0, 0, '2026-11-30 06:05Z', 'Too Many Requests');
-- Claimed at 06:00 by a run that stopped with the service: one whose send slot was noted after
-- the claim (its request could have left), one that never got that far.
insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at, status, attempts,
  next_attempt_at, lease_until)
overriding system value values
  (2600008, '26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'reminder',
   '2026-11-29 05:00Z', '2026-11-29 05:00Z', 'sending', 1, '2026-11-30 06:02Z', '2026-11-30 06:02Z'),
  (2600009, '26000000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'reminder',
   '2026-11-28 05:00Z', '2026-11-28 05:00Z', 'sending', 1, '2026-11-30 06:02Z', '2026-11-30 06:02Z');
insert into private.notification_send_slots (notification_id, slot_at) values (2600008, now());
delete from private.reminder_dispatcher;
select private.skip_reminders_missed_while_down('2026-11-30 06:00:10Z');
-- Back at 09:00.
select is(private.skip_reminders_missed_while_down('2026-11-30 09:00Z'), 8,
  'after an outage of three hours, the messages retrying through it, queued by its last tick or left from before are skipped');
select results_eq(
  $$ select id, status, last_error from public.notifications where owner_id = tests.get_supabase_uid('rhea') order by id $$,
  $$ values (2600001::bigint, 'skipped', 'missed while the service was down; was: HTTP 502'),
            (2600002::bigint, 'unconfirmed', 'maybe delivered 1 time(s) before; then missed while the service was down'),
            (2600003::bigint, 'skipped', 'missed while the service was down; was: Too Many Requests'),
            (2600004::bigint, 'retry', 'HTTP 500'),
            (2600005::bigint, 'skipped', 'missed while the service was down'),
            (2600006::bigint, 'skipped', 'missed while the service was down; was: Too Many Requests'),
            (2600007::bigint, 'skipped', 'missed while the service was down; was: released: out of send time'),
            (2600008::bigint, 'unconfirmed', 'maybe delivered 1 time(s) before; then missed while the service was down'),
            (2600009::bigint, 'skipped', 'missed while the service was down; was: claimed by a run that stopped before sending it') $$,
  'a retry missed in an outage is not sent hours late; a maybe delivered one ends unconfirmed; one due within the hour is kept');
select is((select count(*) from private.notification_send_slots where notification_id = 2600008), 0::bigint,
  'the stopped claim''s noted slot goes with it');
select is(private.has_deliverable_notifications('2026-11-30 09:00Z'), true,
  'the one due within the grace is still sent');
select results_eq(
  $$ select id from private.claim_notifications(50) $$,
  $$ values (2600004::bigint) $$,
  'and it is the only one the dispatcher claims');

select * from finish();
rollback;
