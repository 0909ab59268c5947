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

-- A run takes the lease, claims both messages, takes the first chat's send slot, and dies.
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000206a0', '15 seconds'), 'a run takes the lease');
create temporary table dead_claim on commit drop as select * from private.claim_messages(5, '2 minutes');
select is((select count(*) from dead_claim), 2::bigint, 'and claims both messages');
select private.take_telegram_chat_slot(20601);

-- ---------------------------------------------------------------- the tick sees them
select ok(not private.has_deliverable_notifications(now()),
  'while the run''s lease lasts, its claims are not the tick''s business');
-- The run died: its lease ends (the slot it took lies within it).
update private.reminder_dispatcher set lease_until = now();
update private.telegram_chat_send_slots set slot_at = now() where chat_id = 20601;
select ok(private.has_deliverable_notifications(now()),
  'once the dead run''s lease has passed, the tick sees its claims as deliverable (not two minutes later)');

-- ---------------------------------------------------------------- the next holder takes them at once
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000206b0', '15 seconds'), 'the next run takes the lease');
select is((select count(*) from public.notifications where id in (select id from dead_claim) and status = 'retry' and next_attempt_at <= now()),
  2::bigint, 'the dead run''s claims are due again now');
select is((select maybe_delivered_attempts from public.notifications n join dead_claim d using (id) where d.chat_id = 20601), 1,
  'a claim whose chat slot was taken (a request could have left) counts as maybe delivered');
select is((select maybe_delivered_attempts from public.notifications n join dead_claim d using (id) where d.chat_id = 20602), 0,
  'a claim that never got to its send does not');
select is((select n.attempts from public.notifications n join dead_claim d using (id) where d.chat_id = 20602), 0,
  'and its claim is not counted as an attempt');
select is((select n.attempts from public.notifications n join dead_claim d using (id) where d.chat_id = 20601), 1,
  'the one that may have left keeps its attempt');
create temporary table next_claim on commit drop as select * from private.claim_messages(5, '2 minutes');
select is((select count(*) from next_claim where id in (select id from dead_claim)), 2::bigint,
  'the next holder claims both at once');
select is((select sum(maybe_delivered_attempts)::int from public.notifications where id in (select id from dead_claim)), 1,
  'and claiming them again counts nothing more');

-- ---------------------------------------------------------------- no lease left at all
select ok(not private.has_deliverable_notifications(now()), 'claimed by a live run: nothing for the tick');
delete from private.reminder_dispatcher;
select ok(private.has_deliverable_notifications(now()),
  'claims left behind by a run that gave the lease up without recording them are deliverable');

select * from finish();
rollback;
