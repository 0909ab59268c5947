-- Telegram: only private chats are linked, and a chat linked to one account moves to another only
-- when the move is confirmed.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('olga');
select tests.create_supabase_user('pavel');
select tests.as_postgres();

-- ---------------------------------------------------------------- private chats only
insert into public.telegram_link_codes (code, user_id) values ('olga_group_code_000000', tests.get_supabase_uid('olga'));
select results_eq($$ select outcome from private.link_telegram_chat('olga_group_code_000000', -4001234567, 'group') $$,
  $$ values ('not_private_chat') $$, 'a group chat is never linked');
select results_eq($$ select outcome from private.link_telegram_chat('olga_group_code_000000', -1001234567890, 'channel', true) $$,
  $$ values ('not_private_chat') $$, 'a supergroup or channel is never linked, even with a confirmed move');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('olga')), null,
  'after a group''s /start olga is still unlinked');
select is((select used_at from public.telegram_link_codes where code = 'olga_group_code_000000'), null,
  'a group''s /start does not use up the code');
select throws_ok($$ update public.profiles set telegram_chat_id = -4001234567 where id = tests.get_supabase_uid('olga') $$,
  '23514', 'new row for relation "profiles" violates check constraint "profiles_telegram_chat_private"',
  'no path stores a group''s chat id on a profile');
select lives_ok($$ update public.profiles set telegram_chat_id = 4001234567 where id = tests.get_supabase_uid('olga') $$,
  'a private chat''s id (the user''s, positive) is stored');

-- ---------------------------------------------------------------- confirmed moves
-- olga's chat 4001234567 now opens pavel's link.
insert into public.telegram_link_codes (code, user_id) values ('pavel_code_00000000000', tests.get_supabase_uid('pavel'));
insert into private.telegram_conversations (chat_id, user_id, flow, step, draft)
values (4001234567, tests.get_supabase_uid('olga'), 'new', 'time', '{"action": "stretch"}');
select results_eq($$ select outcome, previous_user_id from private.link_telegram_chat('pavel_code_00000000000', 4001234567, 'olga_tg') $$,
  $$ values ('linked_elsewhere', tests.get_supabase_uid('olga')) $$, 'a chat linked to another account is not moved without confirmation');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('olga')), 4001234567::bigint,
  'the unconfirmed link leaves the chat with olga');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('pavel')), null,
  'the unconfirmed link gives pavel nothing');
select is((select used_at from public.telegram_link_codes where code = 'pavel_code_00000000000'), null,
  'the unconfirmed link does not use up the code');
select is((select count(*) from private.telegram_conversations where chat_id = 4001234567), 1::bigint,
  'the unconfirmed link leaves olga''s unfinished /new alone');

select results_eq($$ select outcome, previous_user_id from private.link_telegram_chat('pavel_code_00000000000', 4001234567, 'olga_tg', move_from_other_account => true) $$,
  $$ values ('linked', tests.get_supabase_uid('olga')) $$, 'a confirmed move links the chat to the code''s account, naming the previous one');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('pavel')), 4001234567::bigint,
  'after the confirmed move pavel holds the chat');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('olga')), null,
  'after the confirmed move olga is unlinked');
select is((select count(*) from private.telegram_conversations where chat_id = 4001234567), 0::bigint,
  'the move ends the previous account''s unfinished /new, so its answers never reach the new account');
select results_eq($$ select outcome from private.link_telegram_chat('pavel_code_00000000000', 4001234567, 'olga_tg', true) $$,
  $$ values ('used_code') $$, 'a confirmation pressed again finds the code used and changes nothing');

insert into public.telegram_link_codes (code, user_id) values ('pavel_again_0000000000', tests.get_supabase_uid('pavel'));
select results_eq($$ select outcome from private.link_telegram_chat('pavel_again_0000000000', 4001234567, 'olga_tg') $$,
  $$ values ('already_linked') $$, 'a chat already linked to the code''s account just says so');
select is((select used_at from public.telegram_link_codes where code = 'pavel_again_0000000000'), null,
  'an already linked chat does not use up the code');

select * from finish();
rollback;
