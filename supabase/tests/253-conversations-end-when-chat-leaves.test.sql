-- A chat's unfinished /new or /edit belongs to the account the chat is linked to: it is written
-- only for that account and ends whenever the chat leaves it, whichever path unlinks the chat
-- (/stop, the web app's Disconnect, a 403, the account linking another chat, a confirmed Move).
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('quinn');
select tests.create_supabase_user('rosa');
select tests.as_postgres();

create function pg_temp.begin_new(identifier text, chat bigint) returns void
language sql as $$
  insert into private.telegram_conversations (chat_id, user_id, flow, step, draft)
  values (chat, tests.get_supabase_uid(identifier), 'new', 'time', '{"action": "quinn''s words"}')
$$;
create function pg_temp.conversations_in(chat bigint) returns bigint
language sql as $$ select count(*) from private.telegram_conversations where chat_id = chat $$;

-- ---------------------------------------------------------------- written only for the linked account
select tests.link_telegram('quinn', 2530001);
select throws_ok($$ select pg_temp.begin_new('rosa', 2530001) $$, '23514',
  'a Telegram conversation belongs to an account the chat is linked to',
  'no conversation of an account in a chat linked to another');
select throws_ok($$ select pg_temp.begin_new('rosa', 2530099) $$, '23514', null,
  'no conversation in a chat linked to nobody');
select lives_ok($$ select pg_temp.begin_new('quinn', 2530001) $$, 'a conversation of the chat''s account');
select throws_ok($$ update private.telegram_conversations set user_id = tests.get_supabase_uid('rosa')
  where chat_id = 2530001 $$, '23514', null, 'nor handed to another account');

-- ---------------------------------------------------------------- ends when the chat leaves
select private.unlink_telegram_chat(2530001);
select is(pg_temp.conversations_in(2530001), 0::bigint, '/stop ends the chat''s conversation');

select tests.link_telegram('quinn', 2530001);
select pg_temp.begin_new('quinn', 2530001);
select tests.authenticate_as('quinn');
select public.disconnect_telegram();
select tests.as_postgres();
select is(pg_temp.conversations_in(2530001), 0::bigint, 'the web app''s Disconnect ends it');

select tests.link_telegram('quinn', 2530001);
select pg_temp.begin_new('quinn', 2530001);
select private.mark_telegram_chat_blocked(2530001);
select is(pg_temp.conversations_in(2530001), 0::bigint, 'a 403 (the bot blocked) ends it');

select tests.link_telegram('quinn', 2530001);
select pg_temp.begin_new('quinn', 2530001);
insert into public.telegram_link_codes (code, user_id) values ('quinn_second_chat_000000', tests.get_supabase_uid('quinn'));
select results_eq($$ select outcome from private.link_telegram_chat('quinn_second_chat_000000', 2530002, null) $$,
  $$ values ('linked') $$, 'quinn links a second chat');
select is(pg_temp.conversations_in(2530001), 0::bigint, 'linking another chat ends the first chat''s conversation');

select pg_temp.begin_new('quinn', 2530002);
update public.profiles set timezone = 'Europe/Berlin' where id = tests.get_supabase_uid('quinn');
select is(pg_temp.conversations_in(2530002), 1::bigint, 'a profile edit that keeps the chat keeps it');

insert into public.telegram_link_codes (code, user_id) values ('rosa_takes_the_chat_0000', tests.get_supabase_uid('rosa'));
select results_eq($$ select outcome from private.link_telegram_chat('rosa_takes_the_chat_0000', 2530002, null, true) $$,
  $$ values ('linked') $$, 'a confirmed Move gives rosa the chat');
select is(pg_temp.conversations_in(2530002), 0::bigint, 'and ends quinn''s conversation there');

select * from finish();
rollback;
