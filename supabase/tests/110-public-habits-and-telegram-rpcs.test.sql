-- public_habits is a projection table kept by triggers (no SECURITY DEFINER view), and the
-- Telegram RPCs run as the caller with narrow grants.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('zoe');
select tests.create_supabase_user('zack');
select tests.link_telegram('zoe', 11001);

-- ---------------------------------------------------------------- public habits
select is((select relkind::text from pg_class where oid = 'public.public_habits'::regclass), 'r', 'public_habits is a table, not a view');
select hasnt_column('public', 'public_habits', 'owner_id', 'public_habits has no owner column');
insert into public.habits (id, owner_id, action, place, time, duration_seconds, is_public)
values ('fb000000-0000-0000-0000-000000000001', tests.get_supabase_uid('zoe'), 'juggle', 'yard', '10:00', 30, true),
       ('fb000000-0000-0000-0000-000000000002', tests.get_supabase_uid('zoe'), 'diary', 'desk', '21:00', 60, false);

select tests.clear_authentication();
select results_eq($$ select id, action, place from public.public_habits $$,
  $$ values ('fb000000-0000-0000-0000-000000000001'::uuid, 'juggle', 'yard') $$, 'anon reads public habits, and only public ones');
select throws_ok($$ insert into public.public_habits (id, action, place, time, interval_days, duration_seconds, is_pleasant, created_at)
                    values (gen_random_uuid(), 'x', 'y', '07:00', 1, 1, false, now()) $$, '42501', null, 'anon cannot write public_habits');

select tests.authenticate_as('zoe');
update public.habits set action = 'juggle three balls' where id = 'fb000000-0000-0000-0000-000000000001';
update public.habits set is_public = true where id = 'fb000000-0000-0000-0000-000000000002';
select tests.authenticate_as('zack');
select results_eq($$ select action from public.public_habits order by action $$,
  $$ values ('diary'), ('juggle three balls') $$, 'edits and newly public habits reach the listing');
select throws_ok($$ update public.public_habits set action = 'hacked' $$, '42501', null, 'a stranger cannot edit the listing');

select tests.authenticate_as('zoe');
update public.habits set is_public = false where id = 'fb000000-0000-0000-0000-000000000002';
delete from public.habits where id = 'fb000000-0000-0000-0000-000000000001';
select tests.authenticate_as('zack');
select is_empty($$ select from public.public_habits $$, 'habits made private or deleted leave the listing');

-- ---------------------------------------------------------------- create_telegram_link_code
select is((select prosecdef from pg_proc where oid = 'public.create_telegram_link_code()'::regprocedure), false,
  'create_telegram_link_code runs as the caller');
select is((select prosecdef from pg_proc where oid = 'public.disconnect_telegram()'::regprocedure), false,
  'disconnect_telegram runs as the caller');
select tests.as_postgres();
select vault.create_secret('habit_test_bot', 'telegram_bot_username');
select tests.authenticate_as('zack');
select ok((select deep_link = 'https://t.me/habit_test_bot?start=' || code and code ~ '^[A-Za-z0-9_-]{24}$' from public.create_telegram_link_code()),
  'a signed-in user gets a fresh code and its deep link');
select throws_ok(format($$ insert into public.telegram_link_codes (user_id) values (%L) $$, tests.get_supabase_uid('zoe')),
  '42501', null, 'a user cannot request a code for someone else');
select throws_ok($$ insert into public.telegram_link_codes (code) values ('chosen_code_0123456789') $$,
  '42501', null, 'a user cannot choose the code');

-- ---------------------------------------------------------------- disconnect_telegram
select tests.authenticate_as('zoe');
select throws_ok($$ update public.profiles set telegram_chat_id = 99999 $$, '42501', null, 'a user cannot set a Telegram chat id');
select throws_ok($$ update public.profiles set telegram_username = 'someone' $$, '42501', null, 'a user cannot set a Telegram username');
select is(public.disconnect_telegram(), 11001::bigint, 'disconnect_telegram clears the caller''s chat and returns it');
select is((select telegram_chat_id from public.profiles), null::bigint, 'the chat is disconnected');

select * from finish();
rollback;
