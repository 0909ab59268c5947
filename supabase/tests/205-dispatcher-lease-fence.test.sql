-- The dispatcher lease is a fence (issue 27, item 4): every holder gets a new generation, and a
-- claim, chat send slot or delivery record carrying a generation that no longer holds the lease is refused, so a
-- run that froze past its lease and woke after another took over changes nothing.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('fenced', 'UTC');
select tests.link_telegram('fenced', 20501);
update public.notifications set status = 'sent' where status in ('pending', 'retry', 'sending');
delete from private.reminder_dispatcher;

-- ---------------------------------------------------------------- generations
create temporary table generations (run text primary key, generation bigint) on commit drop;
insert into generations values ('a', private.hold_dispatcher_lease('00000000-0000-0000-0000-0000000205a0', '15 seconds'));
select ok((select generation from generations where run = 'a') is not null, 'a run taking the free lease gets a generation');
select is(private.hold_dispatcher_lease('00000000-0000-0000-0000-0000000205b0', '15 seconds'), null,
  'another run gets none while the lease lasts');
select is(private.hold_dispatcher_lease('00000000-0000-0000-0000-0000000205a0', '15 seconds'),
  (select generation from generations where run = 'a'), 'the holder renewing keeps its generation');
update private.reminder_dispatcher set lease_until = now() - interval '1 second';
select is(private.hold_dispatcher_lease('00000000-0000-0000-0000-0000000205a0', '15 seconds'),
  (select generation from generations where run = 'a'),
  'a late renewal keeps the generation when no other run took the lease meanwhile');
select ok(private.acquire_dispatcher_lease('00000000-0000-0000-0000-0000000205a0', '15 seconds'),
  'acquire_dispatcher_lease still answers whether the lease is held');

-- ---------------------------------------------------------------- the fence
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('fenced'), 'fence-one', 'home', '07:00', 30),
       (tests.get_supabase_uid('fenced'), 'fence-two', 'home', '07:00', 30);
create temporary table claimed_by_a on commit drop as
  select * from private.claim_messages_fenced((select generation from generations where run = 'a'), 1, '2 minutes');
select is((select count(*) from claimed_by_a), 1::bigint, 'the holder claims with its generation');

-- Run a freezes past its lease; run b takes it over.
update private.reminder_dispatcher set lease_until = now() - interval '1 second';
insert into generations values ('b', private.hold_dispatcher_lease('00000000-0000-0000-0000-0000000205b0', '15 seconds'));
select ok((select generation from generations where run = 'b') > (select generation from generations where run = 'a'),
  'a run taking over an expired lease gets a new, higher generation');

select throws_like(
  format('select private.claim_messages_fenced(%s, 5, ''2 minutes'')', (select generation from generations where run = 'a')),
  'dispatcher_lease_lost%', 'the old holder, awake again, claims nothing');
select throws_like(
  format('select private.record_delivery_fenced(%s, %s, ''sent'', 4242)',
    (select generation from generations where run = 'a'), (select id from claimed_by_a)),
  'dispatcher_lease_lost%', 'and its delivery records are refused');
select throws_like(
  format('select private.record_deliveries_fenced(%s, array[%s]::bigint[], array[''sent''], array[4242]::bigint[], array[null], array[null]::integer[])',
    (select generation from generations where run = 'a'), (select id from claimed_by_a)),
  'dispatcher_lease_lost%', 'and so are its delivery records in sets');
select throws_like(
  format('select * from private.take_notification_send_slots(%s, array[20501]::bigint[])',
    (select generation from generations where run = 'a')),
  'dispatcher_lease_lost%', 'and it takes no chat''s send slot');
select throws_like(
  format('select private.note_departing_sends(%s, array[%s]::bigint[], array[now()])',
    (select generation from generations where run = 'a'), (select id from claimed_by_a)),
  'dispatcher_lease_lost%', 'nor notes a request leaving');
select is((select count(*) from private.telegram_chat_send_slots where chat_id = 20501), 0::bigint,
  'so it holds up no message of its successor''s');
select is((select telegram_message_id from public.notifications where id = (select id from claimed_by_a)), null::bigint,
  'so the message is not recorded as sent by the old holder');
select is(private.hold_dispatcher_lease('00000000-0000-0000-0000-0000000205a0', '15 seconds'), null,
  'nor can it renew a lease another run holds');

create temporary table claimed_by_b on commit drop as
  select * from private.claim_messages_fenced((select generation from generations where run = 'b'), 5, '2 minutes');
select ok((select id from claimed_by_a) in (select id from claimed_by_b),
  'the new holder claims what the old one had claimed, at once');
select is((select count(*) from private.take_notification_send_slots((select generation from generations where run = 'b'),
    array[20501]::bigint[])), 1::bigint,
  'the new holder takes the message''s send slot');
select lives_ok(
  format('select private.note_departing_sends(%s, array[%s]::bigint[], array[now()])',
    (select generation from generations where run = 'b'), (select id from claimed_by_a)),
  'and notes its request leaving');
select is((select count(*) from private.notification_send_slots where notification_id = (select id from claimed_by_a)), 1::bigint,
  'kept with the message while its outcome is unknown');
select lives_ok(
  format('select private.record_deliveries_fenced(%s, array[%s]::bigint[], array[''sent''], array[4343]::bigint[], array[null], array[null]::integer[])',
    (select generation from generations where run = 'b'), (select id from claimed_by_a)),
  'the new holder''s records (in sets) are accepted');
select is((select telegram_message_id from public.notifications where id = (select id from claimed_by_a)), 4343::bigint,
  'and recorded');
select is((select count(*) from private.notification_send_slots where notification_id = (select id from claimed_by_a)), 0::bigint,
  'and the recorded outcome drops the message''s slot');

-- ---------------------------------------------------------------- a released lease
select ok(private.release_dispatcher_lease('00000000-0000-0000-0000-0000000205b0', force => true), 'the holder gives the lease up');
insert into generations values ('c', private.hold_dispatcher_lease('00000000-0000-0000-0000-0000000205c0', '15 seconds'));
select ok((select generation from generations where run = 'c') > (select generation from generations where run = 'b'),
  'the next run gets a new generation even though the lease row was removed');
select throws_like(
  format('select private.record_delivery_fenced(%s, %s, ''sent'', 4444)',
    (select generation from generations where run = 'b'), (select id from claimed_by_a)),
  'dispatcher_lease_lost%', 'a run that gave the lease up records nothing more');
select ok(private.release_dispatcher_lease('00000000-0000-0000-0000-0000000205c0', force => true), 'cleanup');
select is(private.hold_dispatcher_lease('00000000-0000-0000-0000-0000000205b0', '15 seconds') =
  (select generation from generations where run = 'b'), false,
  'a holder taking the lease again after another run had it gets a new generation, not its old one');

select * from finish();
rollback;
