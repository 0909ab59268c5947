-- One per-chat send limit for the webhook's replies and the reminders dispatcher (the bot's send
-- budget, pgTAP 200), and a run that has nothing sendable yet asks how long until something is
-- (private.next_deliverable_in).
begin;
set local search_path = public, extensions;
select * from no_plan();

-- ---------------------------------------------------------------- the chat's next slot
-- One home for the chat's gap: every sender takes its slots from the bot's send budget
-- (private.take_telegram_send_slots, pgTAP 200); the function with a gap of its own is gone.
select hasnt_function('private', 'take_telegram_chat_slot', 'no sender takes a chat''s slot with a gap of its own');
select hasnt_function('private', 'recent_sends', 'nor starts a rate limiter of its own from the last sends');

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
select ok(not has_function_privilege('anon', 'private.next_deliverable_in()', 'execute'),
  'only the service role asks what is next');
select ok(has_function_privilege('service_role', 'private.next_deliverable_in()', 'execute'),
  'the functions (service role) may ask');
select ok(not has_table_privilege('authenticated', 'private.telegram_chat_send_slots', 'select'), 'slots are private');

select * from finish();
rollback;
