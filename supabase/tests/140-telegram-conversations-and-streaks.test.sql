-- The Telegram conversations' state (private, service role only) and the streaks /stats, Done
-- replies and reminders show.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('cora');
select tests.link_telegram('cora', 14001);

-- Privileges: only the service role reads or writes conversations and runs habit_streaks.
select ok(not has_table_privilege('authenticated', 'private.telegram_conversations', 'select'),
  'authenticated cannot read conversations');
select ok(not has_table_privilege('anon', 'private.telegram_conversations', 'insert'), 'anon cannot write conversations');
select ok(has_table_privilege('service_role', 'private.telegram_conversations', 'insert'), 'the service role can');
select ok(not has_function_privilege('public', 'private.habit_streaks(uuid, uuid)', 'execute'),
  'habit_streaks is not executable by PUBLIC');
select ok(not has_function_privilege('authenticated', 'private.habit_streaks(uuid, uuid)', 'execute'),
  'nor by authenticated');

-- The conversation's shape.
select throws_ok($$ insert into private.telegram_conversations (chat_id, user_id, flow, step)
  values (14001, tests.get_supabase_uid('cora'), 'rename', 'action') $$, '23514', null, 'an unknown flow is refused');
select throws_ok($$ insert into private.telegram_conversations (chat_id, user_id, flow, step)
  values (14001, tests.get_supabase_uid('cora'), 'new', 'colour') $$, '23514', null, 'an unknown step is refused');
select throws_ok($$ insert into private.telegram_conversations (chat_id, user_id, flow, step, draft)
  values (14001, tests.get_supabase_uid('cora'), 'new', 'action', '[1]') $$, '23514', null,
  'a draft is an object');
select throws_ok($$ insert into private.telegram_conversations (chat_id, user_id, flow, step, draft)
  values (14001, tests.get_supabase_uid('cora'), 'new', 'action', jsonb_build_object('action', repeat('x', 9000))) $$,
  '23514', null, 'a draft stays small');
insert into private.telegram_conversations (chat_id, user_id, flow, step) values (14001, tests.get_supabase_uid('cora'), 'new', 'time');

-- A daily habit at 00:00 UTC since 9 days ago: done on days -9..-6 and -2, -1; today pending.
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('fd000000-0000-0000-0000-000000000001', tests.get_supabase_uid('cora'), 'read', 'bed', '00:00', 30);
update public.habits set starts_on = current_date - 9, created_at = now() - interval '20 days'
where id = 'fd000000-0000-0000-0000-000000000001';
insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
select 'fd000000-0000-0000-0000-000000000001'::uuid, tests.get_supabase_uid('cora'), (d::date + time '00:00') at time zone 'UTC', 'web'
from generate_series(current_date - 9, current_date - 6, '1 day') d
union all
select 'fd000000-0000-0000-0000-000000000001'::uuid, tests.get_supabase_uid('cora'), (d::date + time '00:00') at time zone 'UTC', 'web'
from generate_series(current_date - 2, current_date - 1, '1 day') d;

select results_eq($$ select streak, best_streak, last_marks from private.habit_streaks(tests.get_supabase_uid('cora')) $$,
  $$ values (2, 4, '✅❌❌❌✅✅⏳') $$,
  'streak 2 (today pending breaks nothing), best 4, the last 7 occurrences as marks');

insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
values ('fd000000-0000-0000-0000-000000000001', tests.get_supabase_uid('cora'), (current_date + time '00:00') at time zone 'UTC', 'web');
select results_eq($$ select streak, right(last_marks, 3) from private.habit_streaks(tests.get_supabase_uid('cora'), 'fd000000-0000-0000-0000-000000000001') $$,
  $$ values (3, '✅✅✅') $$, 'done today extends the streak');

-- A new habit's occurrences before it was created are not misses.
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('fd000000-0000-0000-0000-000000000002', tests.get_supabase_uid('cora'), 'run', 'park', '00:00', 30);
select results_eq($$ select streak, best_streak, last_marks from private.habit_streaks(tests.get_supabase_uid('cora'), 'fd000000-0000-0000-0000-000000000002') $$,
  $$ values (0, 0, '') $$, 'a habit created after today''s time has no occurrence yet');

-- Deleting the habit or the account removes the conversation with it.
delete from auth.users where id = tests.get_supabase_uid('cora');
select is((select count(*)::int from private.telegram_conversations where chat_id = 14001), 0,
  'deleting the account deletes its conversation');

select * from finish();
rollback;
