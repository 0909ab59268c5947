-- Delivery guarantees under Telegram's real behaviour (issue 11): fair claims, 429 is not a
-- failure, "maybe delivered" timeouts, 403 stops a chat's queue, the operator's requeue, the
-- single dispatcher lease, Telegram update leases, and the per-account habit cap.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('busy', 'UTC');
select tests.create_supabase_user('quiet1', 'UTC');
select tests.create_supabase_user('quiet2', 'UTC');
select tests.link_telegram('busy', 8001);
select tests.link_telegram('quiet1', 8002);
select tests.link_telegram('quiet2', 8003);

-- Only this file's messages are in the queue.
update public.notifications set status = 'sent' where status in ('pending', 'retry', 'sending');

-- ---------------------------------------------------------------- fairness
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('busy'), 'busy-' || i, 'home', '07:00', 30 from generate_series(1, 20) i;
update public.notifications set status = 'sent' where status = 'pending';
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at)
select h.id, h.owner_id, 'reminder', '2026-06-01 07:00Z', '2026-06-01 07:00Z', now() - interval '10 minutes'
from public.habits h where h.action like 'busy-%';
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('quiet1'), 'quiet-one', 'home', '07:00', 30);
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('quiet2'), 'quiet-two', 'home', '07:00', 30);
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at)
select h.id, h.owner_id, 'reminder', '2026-06-01 07:00Z', '2026-06-01 07:00Z', now() - interval '1 minute'
from public.habits h where h.action = 'quiet-one';

create temporary table fair_claim on commit drop as select * from private.claim_notifications(5, '2 minutes');
select is((select count(*) from fair_claim where chat_id = 8001), 2::bigint,
  'one chat gets at most two messages in flight, however many it has queued');
select is((select count(distinct chat_id) from fair_claim where chat_id in (8002, 8003)), 2::bigint,
  'the other chats'' messages are claimed in the same batch, although queued later');
select is((select kind from fair_claim order by kind <> 'habit_created' limit 1), 'habit_created',
  '"habit created" messages come before reminders');
select is_empty($$ select * from private.claim_notifications(5, '2 minutes') where chat_id = 8001 $$,
  'a chat with two messages in flight gets no third until one is recorded');
select private.record_delivery((select id from fair_claim where chat_id = 8001 limit 1), 'sent', 1);
select is((select count(*) from private.claim_notifications(5, '2 minutes') where chat_id = 8001), 1::bigint,
  'when one is recorded, the chat''s next message can be claimed');

update public.notifications set next_attempt_at = now() - interval '1 second'
where id = (select id from fair_claim where chat_id = 8002 limit 1);
create temporary table reclaimed on commit drop as select * from private.claim_notifications(50, '2 minutes');
select is((select maybe_delivered_attempts from public.notifications
           where id = (select id from reclaimed where chat_id = 8002)), 1,
  'a message claimed again after its run died counts as maybe delivered');

-- ---------------------------------------------------------------- outcomes
create temporary table one on commit drop as
select id from public.notifications where status = 'sending' and owner_id = tests.get_supabase_uid('busy') limit 1;
select is(private.record_delivery((select id from one), 'rate_limited', error => '429: Too Many Requests', retry_after_seconds => 37),
  'retry', 'a 429 puts the message back in the queue');
select ok((select attempts = 0 and next_attempt_at between now() + interval '36.9 seconds' and now() + interval '37.1 seconds'
           from public.notifications where id = (select id from one)),
  'a 429 is not an attempt, and the message waits exactly retry_after');
update public.notifications set status = 'sending', attempts = 5 where id = (select id from one);
select is(private.record_delivery((select id from one), 'rate_limited', error => '429', retry_after_seconds => 1), 'retry',
  'a 429 never kills a message, even after the last attempt');
update public.notifications set status = 'sending', attempts = 1 where id = (select id from one);
select is(private.record_delivery((select id from one), 'uncertain', error => 'sendMessage: no answer in time'), 'retry',
  'a timed-out send is retried (at-least-once)');
select is((select maybe_delivered_attempts from public.notifications where id = (select id from one)), 1,
  '... and counted as maybe delivered');
-- Never maybe delivered (one that was ends unconfirmed, not dead: 210-one-resend-of-maybe-delivered).
update public.notifications set status = 'sending', attempts = 5, maybe_delivered_attempts = 0 where id = (select id from one);
select is(private.record_delivery((select id from one), 'retry', error => '500: Internal Server Error'), 'dead',
  'a 5xx on the last attempt kills the message');
select is((select last_error from public.notifications where id = (select id from one)), '500: Internal Server Error',
  'a dead message keeps its cause');
select throws_ok($$ select private.requeue_dead_notifications() $$, 'P0001',
  'name the messages (ids) or a time (died_since) to requeue', 'requeue asks which messages');
select is(private.requeue_dead_notifications(array[(select id from one)]), 1, 'an operator requeues a dead message');
select ok((select status = 'pending' and attempts = 0 and last_error like 'requeued; was: 500%'
           from public.notifications where id = (select id from one)),
  'a requeued message is pending with fresh attempts and its old cause readable');

-- ---------------------------------------------------------------- 403
select private.mark_telegram_chat_blocked(8001);
select is((select count(*) from public.notifications where owner_id = tests.get_supabase_uid('busy')
           and status in ('pending', 'retry', 'sending')), 0::bigint,
  'a 403 stops everything queued for that chat');
select is((select count(*) from public.notifications where owner_id = tests.get_supabase_uid('quiet1')
           and status in ('pending', 'retry', 'sending')), 2::bigint, '... and nothing of other chats');

-- ---------------------------------------------------------------- dispatcher lease
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-00000000000a', '15 seconds'), 'a run takes the free lease');
select ok(not private.acquire_dispatcher_lease('00000000-0000-0000-0000-00000000000b', '15 seconds'),
  'a second run is refused while the lease lasts');
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-00000000000a', '15 seconds'), 'the holder renews it');
update public.notifications set status = 'pending', next_attempt_at = now() - interval '1 second'
where owner_id = tests.get_supabase_uid('quiet1');
select ok(not private.release_dispatcher_lease('00000000-0000-0000-0000-00000000000a'),
  'the holder keeps the lease while messages are waiting (a refused kick is not lost)');
select ok(private.release_dispatcher_lease('00000000-0000-0000-0000-00000000000a', force => true), 'the holder can give it up');
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-00000000000b', '15 seconds'), 'then another run takes it');
update private.reminder_dispatcher set lease_until = now() - interval '1 second';
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-00000000000c', '15 seconds'),
  'a lease left by a dead run is taken once it ran out');

-- ---------------------------------------------------------------- Telegram update leases
select is(private.begin_telegram_update(900001), 'handle', 'a new update is handled');
select is(private.begin_telegram_update(900001), 'in_progress', 'its redelivery while it is handled waits');
select private.release_telegram_update(900001);
select is(private.begin_telegram_update(900001), 'handle', 'a failed update is handled again on redelivery');
update private.telegram_updates set lease_until = now() - interval '1 second' where update_id = 900001;
select is(private.begin_telegram_update(900001), 'handle', 'an update whose handler died is handled again after its lease');
select private.finish_telegram_update(900001);
select is(private.begin_telegram_update(900001), 'handled', 'a handled update is not handled again');

-- ---------------------------------------------------------------- the habit cap
update private.settings set value = 22 where name = 'habits_per_account_limit';
select tests.link_telegram('busy', 8001);
select lives_ok($$ insert into public.habits (owner_id, action, place, time, duration_seconds)
  values (tests.get_supabase_uid('busy'), 'cap-21', 'home', '07:00', 30) $$, 'an account under the cap adds a habit');
select lives_ok($$ insert into public.habits (owner_id, action, place, time, duration_seconds)
  values (tests.get_supabase_uid('busy'), 'cap-22', 'home', '07:00', 30) $$, 'an account reaches the cap');
select throws_ok($$ insert into public.habits (owner_id, action, place, time, duration_seconds)
  values (tests.get_supabase_uid('busy'), 'cap-23', 'home', '07:00', 30) $$, '23514',
  'new row for relation "habits" violates rule "habits_per_account_limit"', 'one habit over the cap is refused');
select throws_ok($$ insert into public.habits (owner_id, action, place, time, duration_seconds)
  select tests.get_supabase_uid('quiet1'), 'bulk-' || i, 'home', '07:00', 30 from generate_series(1, 30) i $$, '23514',
  'new row for relation "habits" violates rule "habits_per_account_limit"', 'a bulk insert over the cap is refused whole');
select is((select count(*) from public.habits where owner_id = tests.get_supabase_uid('quiet1')), 1::bigint,
  '... and writes nothing');

select * from finish();
rollback;
