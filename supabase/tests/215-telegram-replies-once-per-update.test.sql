-- A long reply to a Telegram update is queued once per update: the unique (update_id, part) is
-- the gate, whatever the webhook does (issue 27 item 7).
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('rhea');
select tests.link_telegram('rhea', 21501);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('f2150000-0000-0000-0000-000000000001', tests.get_supabase_uid('rhea'), 'read', 'the sofa', '07:30', 60);

select is(private.queue_telegram_reply(2150001, 21501,
    '[{"text": "<b>Today</b> part one"}, {"text": "part two", "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "today:x"}]]}}]'),
  2, 'a reply of two parts is queued');
select results_eq(
  $$ select n.kind, n.status, n.habit_id is null, r.part::int, r.parts::int, r.reply_markup is not null
     from public.notifications n join private.telegram_reply_parts r on r.notification_id = n.id
     where r.update_id = 2150001 order by r.part $$,
  $$ values ('reply', 'pending', true, 1, 2, false), ('reply', 'pending', true, 2, 2, true) $$,
  'two outbox rows of kind reply, in order, the buttons on the last');
select ok(
  (select bool_and(n.owner_id = tests.get_supabase_uid('rhea')) from public.notifications n
   join private.telegram_reply_parts r on r.notification_id = n.id where r.update_id = 2150001),
  'for the account linked to the chat');
select ok(
  (select array_agg(n.id order by r.part) = array_agg(n.id order by n.due_at, n.id) from public.notifications n
   join private.telegram_reply_parts r on r.notification_id = n.id where r.update_id = 2150001),
  'the outbox order is the parts'' order');

select is(private.queue_telegram_reply(2150001, 21501, '[{"text": "again"}, {"text": "and again"}, {"text": "more"}]'),
  0, 'a redelivered update queues nothing');
select is((select count(*)::int from private.telegram_reply_parts where update_id = 2150001), 2,
  'its reply stays as first queued');

select throws_ok(
  $$ insert into private.telegram_reply_parts (notification_id, update_id, part, parts, text)
     select n.id, 2150001, 1, 2, 'a copy' from public.notifications n where n.kind = 'reply' limit 1 $$,
  '23505', null, 'the database refuses a second part 1 of one update, whoever writes it');
select throws_ok(
  $$ insert into public.notifications (owner_id, kind, due_at, habit_id)
     values (tests.get_supabase_uid('rhea'), 'reply', now(), 'f2150000-0000-0000-0000-000000000001') $$,
  '23514', null, 'a reply belongs to no habit');
select throws_ok(
  $$ select private.queue_telegram_reply(2150002, 21501, '[{"text": ""}]') $$,
  '23514', null, 'an empty part is refused');

select is(private.queue_telegram_reply(2150003, 99921501, '[{"text": "a"}, {"text": "b"}]'), null,
  'a chat linked to no account queues nothing');

select ok(not has_function_privilege('authenticated', 'private.queue_telegram_reply(bigint, bigint, jsonb)', 'execute'),
  'people cannot queue bot messages');
select ok(not has_table_privilege('authenticated', 'private.telegram_reply_parts', 'select'),
  'nor read reply parts');

select * from finish();
rollback;
