-- One per-chat send limit for the webhook's replies and the reminders dispatcher: each takes the
-- chat's next slot (private.take_telegram_chat_slot), and a run that has nothing sendable yet
-- asks how long until something is (private.next_deliverable_in).
begin;
set local search_path = public, extensions;
select * from no_plan();

-- ---------------------------------------------------------------- the chat's next slot
select is(private.take_telegram_chat_slot(-7001), 0, 'a chat not messaged lately may be sent to now');
-- (Each slot is taken once, in a subquery: BETWEEN would evaluate the call twice.)
select ok(wait between 900 and 1100, 'the next sender to that chat waits out the 1.1 s gap')
from (select private.take_telegram_chat_slot(-7001) as wait) taken;
select ok(wait between 2000 and 2200, 'a third sender queues behind the second: slots are handed out, never shared')
from (select private.take_telegram_chat_slot(-7001) as wait) taken;
select is(private.take_telegram_chat_slot(-7002), 0, 'other chats are not held up');
select ok(wait between 2900 and 3000, 'the gap is the caller''s')
from (select private.take_telegram_chat_slot(-7002, '3 seconds') as wait) taken;
update private.telegram_chat_send_slots set slot_at = now() - interval '1 minute' where chat_id = -7001;
select is(private.take_telegram_chat_slot(-7001), 0, 'a slot long past holds nothing up');

-- ---------------------------------------------------------------- how long until something is sendable
update public.notifications set status = 'sent' where status in ('pending', 'retry', 'sending');
select is(private.next_deliverable_in(), null, 'an empty queue: nothing to wait for (not "now")');

select tests.create_supabase_user('slots', 'UTC');
select tests.link_telegram('slots', 7003);
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('slots'), 'slot-habit', 'home', '07:00', 30);
select is(private.next_deliverable_in(), 0, '"habit created" is sendable now');

update public.notifications set status = 'retry', next_attempt_at = now() + interval '30 seconds'
where owner_id = tests.get_supabase_uid('slots');
select ok(wait between 29000 and 30000, 'a 429 handed back: sendable in retry_after')
from (select private.next_deliverable_in() as wait) next;

update public.notifications set status = 'sending' where owner_id = tests.get_supabase_uid('slots');
select is(private.next_deliverable_in(), null, 'a message being sent is not waited for');

-- ---------------------------------------------------------------- privileges
select ok(
  not has_function_privilege('authenticated', 'private.take_telegram_chat_slot(bigint, interval)', 'execute')
  and not has_function_privilege('anon', 'private.next_deliverable_in()', 'execute'),
  'only the service role takes slots'
);
select ok(
  has_function_privilege('service_role', 'private.take_telegram_chat_slot(bigint, interval)', 'execute')
  and has_function_privilege('service_role', 'private.next_deliverable_in()', 'execute'),
  'the functions (service role) may take slots'
);
select ok(not has_table_privilege('authenticated', 'private.telegram_chat_send_slots', 'select'), 'slots are private');

select * from finish();
rollback;
