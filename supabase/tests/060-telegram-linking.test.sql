-- Linking a Telegram chat with a one-time code, and the Done and Snooze buttons.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('hana', 'Europe/Berlin');
select tests.create_supabase_user('ivan');
select vault.create_secret('habits_test_bot', 'telegram_bot_username');

-- ---------------------------------------------------------------- link codes
select tests.clear_authentication();
select throws_ok($$ select * from public.create_telegram_link_code() $$, '42501', null, 'anon cannot request a link code');

select tests.authenticate_as('hana');
create temporary table hana_code on commit drop as select * from public.create_telegram_link_code();
grant all on hana_code to authenticated;
select matches((select code from hana_code), '^[A-Za-z0-9_-]{24}$', 'a link code is 24 URL-safe characters');
select is((select deep_link from hana_code), 'https://t.me/habits_test_bot?start=' || (select code from hana_code),
  'the deep link opens the bot with the code');
select ok((select expires_at between now() + interval '14 minutes' and now() + interval '16 minutes' from hana_code),
  'a link code expires after 15 minutes');
select lives_ok($$ select public.create_telegram_link_code() from generate_series(1, 4) $$, 'five codes an hour are allowed');
select throws_ok($$ select * from public.create_telegram_link_code() $$, 'PT429', null, 'the sixth code within an hour is refused (HTTP 429)');

-- ---------------------------------------------------------------- linking
select tests.as_postgres();
select results_eq($$ select outcome from private.link_telegram_chat('no_such_code_0000000', 555, 'hana_tg') $$,
  $$ values ('unknown_code') $$, 'an unknown code links nothing');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('hana')), null, 'after an unknown code hana is still unlinked');

insert into public.telegram_link_codes (code, user_id, created_at, expires_at)
values ('expired_code_000000000', tests.get_supabase_uid('hana'), now() - interval '1 hour', now() - interval '45 minutes');
select results_eq($$ select outcome from private.link_telegram_chat('expired_code_000000000', 555, 'hana_tg') $$,
  $$ values ('expired_code') $$, 'an expired code links nothing');

select results_eq($$ select outcome, user_id from private.link_telegram_chat((select code from hana_code), 555, 'hana_tg') $$,
  $$ values ('linked', tests.get_supabase_uid('hana')) $$, 'a fresh code links the chat to its account');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('hana')), 555::bigint, 'hana''s profile holds the chat');
select results_eq($$ select outcome from private.link_telegram_chat((select code from hana_code), 556, 'someone') $$,
  $$ values ('used_code') $$, 'a used code links nothing');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('hana')), 555::bigint, 'a reused code did not move hana''s link');

insert into public.telegram_link_codes (code, user_id) values ('ivan_code_00000000000', tests.get_supabase_uid('ivan'));
select results_eq($$ select outcome, previous_user_id from private.link_telegram_chat('ivan_code_00000000000', 555, 'shared_tg', move_from_other_account => true) $$,
  $$ values ('linked', tests.get_supabase_uid('hana')) $$, 'a chat linked to another account moves, once confirmed, to the new account, naming the old one');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('hana')), null, 'the previous account is unlinked');
select is(private.unlink_telegram_chat(555), tests.get_supabase_uid('ivan'), '/stop unlinks the chat from its account');
select is(private.unlink_telegram_chat(555), null, 'unlinking a chat that is not linked changes nothing');

select tests.link_telegram('hana', 555);
select tests.clear_authentication();
select throws_ok($$ select public.disconnect_telegram() $$, '42501', null, 'anon cannot disconnect a chat');
select tests.authenticate_as('ivan');
select is(public.disconnect_telegram(), null::bigint, 'disconnecting without a linked chat changes nothing');
select tests.authenticate_as('hana');
select is(public.disconnect_telegram(), 555::bigint, 'a signed-in user disconnects their own chat from the web app');
select tests.as_postgres();
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('hana')), null, 'the chat is unlinked');

select tests.link_telegram('hana', 555);
select is(private.mark_telegram_chat_blocked(555), tests.get_supabase_uid('hana'), 'a blocked bot unlinks the chat');
select ok((select telegram_blocked_at is not null and telegram_chat_id is null from public.profiles where id = tests.get_supabase_uid('hana')),
  'the profile remembers that the bot was blocked');

-- ---------------------------------------------------------------- buttons
select tests.link_telegram('hana', 555);
select tests.link_telegram('ivan', 777);
insert into public.habits (id, owner_id, action, place, time, duration_seconds, is_pleasant)
values ('e0000000-0000-0000-0000-00000000000a', tests.get_supabase_uid('hana'), 'play guitar', 'living room', '19:00', 120, true);
insert into public.habits (id, owner_id, action, place, time, duration_seconds, related_habit_id)
values ('e0000000-0000-0000-0000-00000000000b', tests.get_supabase_uid('hana'), 'do the dishes', 'kitchen', '19:00', 120, 'e0000000-0000-0000-0000-00000000000a');
insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at) overriding system value
values (9001, 'e0000000-0000-0000-0000-00000000000b', tests.get_supabase_uid('hana'), 'reminder', '2026-01-01 18:00Z', '2026-01-01 18:00Z');

select results_eq($$ select outcome, habit_action, reward, pleasant_action from private.complete_habit_from_telegram(555, 9001) $$,
  $$ values ('recorded', 'do the dishes', null::text, 'play guitar') $$, 'Done records the completion and answers with the linked pleasant habit');
select results_eq($$ select outcome from private.complete_habit_from_telegram(555, 9001) $$,
  $$ values ('already_recorded') $$, 'Done pressed again records nothing more');
select is((select count(*) from public.habit_completions where habit_id = 'e0000000-0000-0000-0000-00000000000b'), 1::bigint,
  'one completion per occurrence however often Done is pressed');
select results_eq($$ select outcome from private.complete_habit_from_telegram(777, 9001) $$,
  $$ values ('other_chat') $$, 'a button pressed in another chat is refused');
select results_eq($$ select outcome from private.complete_habit_from_telegram(555,
    (select id from public.notifications where kind = 'habit_created' and habit_id = 'e0000000-0000-0000-0000-00000000000b')) $$,
  $$ values ('not_a_reminder') $$, 'the habit-created message has no Done button to press');

insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at) overriding system value
values (9002, 'e0000000-0000-0000-0000-00000000000b', tests.get_supabase_uid('hana'), 'reminder', '2026-01-02 18:00Z', '2026-01-02 18:00Z');
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(555, 9002) $$,
  $$ values ('snoozed') $$, 'Snooze schedules the reminder again');
select ok((select due_at between now() + interval '14 minutes' and now() + interval '16 minutes' and occurrence_at = '2026-01-02 18:00Z'
           from public.notifications where snoozed_from_id = 9002), 'the snoozed reminder is due in 15 minutes, for the same occurrence');
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(555, 9002) $$,
  $$ values ('already_snoozed') $$, 'Snooze pressed twice on one message schedules one reminder');
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(777, 9002) $$,
  $$ values ('other_chat') $$, 'Snooze pressed in another chat is refused');

delete from public.habits where id = 'e0000000-0000-0000-0000-00000000000b';
select results_eq($$ select outcome from private.complete_habit_from_telegram(555, 9001) $$,
  $$ values ('not_found') $$, 'Done for a deleted habit is refused');
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(555, 9001) $$,
  $$ values ('not_found') $$, 'Snooze for a deleted habit is refused');

-- ---------------------------------------------------------------- today
insert into public.habits (owner_id, action, place, time, duration_seconds, interval_days)
values (tests.get_supabase_uid('hana'), 'water the plants', 'balcony', '08:00', 60, 1);
select results_eq($$ select action, done from private.habits_due_today_for_chat(555) order by action $$,
  $$ values ('play guitar', false), ('water the plants', false) $$, 'today lists the habits due on the owner''s local today');
select is_empty($$ select * from private.habits_due_today_for_chat(424242) $$, 'an unlinked chat has nothing due');

select * from finish();
rollback;
