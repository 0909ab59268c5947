-- After a crash, claimed messages go at once (issue 27, item 3), and a dead run's claims count as
-- "maybe delivered" only when a request for them could have left (item 9b).
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('stopped1', 'UTC');
select tests.create_supabase_user('stopped2', 'UTC');
select tests.link_telegram('stopped1', 20601);
select tests.link_telegram('stopped2', 20602);
update public.notifications set status = 'sent' where status in ('pending', 'retry', 'sending');
delete from private.reminder_dispatcher;
delete from private.telegram_chat_send_slots where chat_id in (20601, 20602);

insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('stopped1'), 'stopped-one', 'home', '07:00', 30),
       (tests.get_supabase_uid('stopped2'), 'stopped-two', 'home', '07:00', 30);

-- A run takes the lease, claims both messages, notes the first message's request leaving, and dies.
-- Meanwhile the webhook replies to the second chat (its own slot for the chat, no message's).
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000206a0', '15 seconds'), 'a run takes the lease');
create temporary table dead_claim on commit drop as select * from private.claim_messages(5, '2 minutes');
select is((select count(*) from dead_claim), 2::bigint, 'and claims both messages');
select private.note_departing_sends((select generation from private.reminder_dispatcher),
  array[(select id from dead_claim where chat_id = 20601)], array[now()]);
select count(*) from private.take_telegram_send_slots(array[20602]::bigint[]);

-- ---------------------------------------------------------------- the tick sees them
select ok(not private.has_deliverable_notifications(now()),
  'while the run''s lease lasts, its claims are not the tick''s business');
-- The run died: its lease ends (the slot it took lies within it).
update private.reminder_dispatcher set lease_until = now();
update private.notification_send_slots set slot_at = now() where notification_id in (select id from dead_claim);
update private.telegram_chat_send_slots set slot_at = now() where chat_id in (20601, 20602);
select ok(private.has_deliverable_notifications(now()),
  'once the dead run''s lease has passed, the tick sees its claims as deliverable (not two minutes later)');

-- ---------------------------------------------------------------- the next holder takes them at once
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000206b0', '15 seconds'), 'the next run takes the lease');
select results_eq(
  $$ select d.chat_id, n.status, n.next_attempt_at <= now() from public.notifications n join dead_claim d using (id) order by d.chat_id $$,
  $$ values (20601::bigint, 'retry', false), (20602::bigint, 'pending', true) $$,
  'the claim that never got to its send is due again now; the one that may have left waits like any maybe-delivered send');
select is((select maybe_delivered_attempts from public.notifications n join dead_claim d using (id) where d.chat_id = 20601), 1,
  'a claim whose chat slot was taken (a request could have left) counts as maybe delivered');
select is((select maybe_delivered_attempts from public.notifications n join dead_claim d using (id) where d.chat_id = 20602), 0,
  'a claim that never got to its send does not, though another sender took its chat''s slot meanwhile');
select is((select n.attempts from public.notifications n join dead_claim d using (id) where d.chat_id = 20602), 0,
  'and its claim is not counted as an attempt');
select is((select n.attempts from public.notifications n join dead_claim d using (id) where d.chat_id = 20601), 1,
  'the one that may have left keeps its attempt');
select ok((select last_error like 'its run stopped%' from public.notifications n join dead_claim d using (id) where d.chat_id = 20601),
  'and says why it is retried');
create temporary table next_claim on commit drop as select * from private.claim_messages(5, '2 minutes');
select results_eq($$ select chat_id from next_claim where id in (select id from dead_claim) $$, $$ values (20602::bigint) $$,
  'the next holder claims the unsent one at once');
select is((select sum(maybe_delivered_attempts)::int from public.notifications where id in (select id from dead_claim)), 1,
  'and claiming it again counts nothing more');

-- ---------------------------------------------------------------- no lease left at all
select ok(not private.has_deliverable_notifications(now()), 'claimed by a live run: nothing for the tick');
delete from private.reminder_dispatcher;
select ok(private.has_deliverable_notifications(now()),
  'claims left behind by a run that gave the lease up without recording them are deliverable');

-- ---------------------------------------------------------------- two claims of one chat
update public.notifications set status = 'sent' where status in ('pending', 'retry', 'sending');
delete from private.reminder_dispatcher;
select tests.create_supabase_user('stopped3', 'UTC');
select tests.link_telegram('stopped3', 20603);
delete from private.telegram_chat_send_slots where chat_id = 20603;
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('stopped3'), 'pair-one', 'home', '07:00', 30),
       (tests.get_supabase_uid('stopped3'), 'pair-two', 'home', '07:00', 30);
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000206c0', '15 seconds'), 'a run takes the lease');
create temporary table pair_claim on commit drop as select * from private.claim_messages(5, '2 minutes');
select is((select count(*) from pair_claim), 2::bigint, 'and claims both messages of one chat');
-- It sends the first (taking its slot) and records it, then dies before the second's slot.
select private.note_departing_sends((select generation from private.reminder_dispatcher), array[(select min(id) from pair_claim)], array[now()]);
update private.notification_send_slots set slot_at = now() where notification_id in (select id from pair_claim);
select is(private.record_delivery_fenced((select generation from private.reminder_dispatcher), (select min(id) from pair_claim), 'sent', 20603),
  'sent', 'the first is recorded as sent');
update private.reminder_dispatcher set lease_until = now();
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000206d0', '15 seconds'), 'the next run takes over');
select results_eq(
  $$ select status, maybe_delivered_attempts, attempts from public.notifications where id = (select max(id) from pair_claim) $$,
  $$ values ('pending', 0, 0) $$,
  'the chat''s slot was the recorded send''s: the second claim never left, and goes out at once');

-- ---------------------------------------------------------------- a slow first send
-- Both requests of one chat left (each took its slot); the first's answer came late, after the
-- second's slot, and was recorded; then the run died. The second could have reached the chat.
update public.notifications set status = 'sent' where status in ('pending', 'retry', 'sending');
delete from private.reminder_dispatcher;
select tests.create_supabase_user('stopped5', 'UTC');
select tests.link_telegram('stopped5', 20605);
delete from private.telegram_chat_send_slots where chat_id = 20605;
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('stopped5'), 'slow-one', 'home', '07:00', 30),
       (tests.get_supabase_uid('stopped5'), 'slow-two', 'home', '07:00', 30);
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-000000020610', '15 seconds'), 'a run takes the lease');
create temporary table slow_claim on commit drop as select * from private.claim_messages(5, '2 minutes');
select private.note_departing_sends((select generation from private.reminder_dispatcher),
  array[(select min(id) from slow_claim), (select max(id) from slow_claim)], array[now(), now()]);
update private.notification_send_slots set slot_at = now() where notification_id in (select id from slow_claim);
select is(private.record_delivery_fenced((select generation from private.reminder_dispatcher), (select min(id) from slow_claim), 'sent', 20605),
  'sent', 'the first is recorded as sent, after the second''s request left');
update private.reminder_dispatcher set lease_until = now();
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-000000020620', '15 seconds'), 'the next run takes over');
select results_eq(
  $$ select status, maybe_delivered_attempts, attempts from public.notifications where id = (select max(id) from slow_claim) $$,
  $$ values ('retry', 1, 1) $$,
  'the second claim took its own slot: it could have left, and counts as maybe delivered');
select is((select count(*) from private.notification_send_slots where notification_id in (select id from slow_claim)), 0::bigint,
  'the takeover drops the dead run''s slots');

-- ---------------------------------------------------------------- a second maybe-delivered ends it
-- The rule of private.record_delivery (20261208120000) holds for a dead run's claims too: a message
-- maybe delivered once, resent, and whose resend's run died after taking the chat's slot, was maybe
-- delivered twice: it ends `unconfirmed` and is not sent a third time.
update public.notifications set status = 'sent' where status in ('pending', 'retry', 'sending');
delete from private.reminder_dispatcher;
select tests.create_supabase_user('stopped4', 'UTC');
select tests.link_telegram('stopped4', 20604);
delete from private.telegram_chat_send_slots where chat_id = 20604;
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('stopped4'), 'twice-maybe', 'home', '07:00', 30);
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000206e0', '15 seconds'), 'a run takes the lease');
create temporary table once_claim on commit drop as select * from private.claim_messages(5, '2 minutes');
select is(private.record_delivery((select id from once_claim), 'uncertain', error => 'timed out'), 'retry',
  'its first send timed out: maybe delivered, resent once');
update public.notifications set next_attempt_at = now() where id = (select id from once_claim);
create temporary table resend_claim on commit drop as select * from private.claim_messages(5, '2 minutes');
select is((select count(*) from resend_claim where id = (select id from once_claim)), 1::bigint, 'the resend is claimed');
select private.note_departing_sends((select generation from private.reminder_dispatcher), array[(select id from once_claim)], array[now()]);
update private.notification_send_slots set slot_at = now() where notification_id = (select id from once_claim);
update private.reminder_dispatcher set lease_until = now();
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000206f0', '15 seconds'), 'the next run takes over');
select results_eq(
  $$ select status, maybe_delivered_attempts, last_error like 'maybe delivered 2 times; not sent again%' from public.notifications where id = (select id from once_claim) $$,
  $$ values ('unconfirmed', 2, true) $$,
  'a dead run''s claim that reaches its second maybe-delivered attempt ends unconfirmed, and says why');
select is((select count(*) from private.claim_messages(5, '2 minutes') c where c.id = (select id from once_claim)), 0::bigint,
  'and it is never claimed a third time');

select * from finish();
rollback;
