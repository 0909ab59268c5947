-- The RLS matrix: anon, owner, stranger and service_role against select, insert, update and
-- delete on every table. Alice owns the rows; Bob is the stranger.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('alice');
select tests.create_supabase_user('bob');
select tests.link_telegram('alice', 1001);
select tests.link_telegram('bob', 1002);

select tests.authenticate_as_service_role();
insert into public.habits (id, owner_id, action, place, time, duration_seconds, is_public)
values ('a0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('alice'), 'read a page', 'desk', '07:00', 60, true),
       ('a0000000-0000-0000-0000-000000000002', tests.get_supabase_uid('alice'), 'floss', 'bathroom', '22:00', 90, false),
       ('b0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('bob'), 'push-ups', 'gym', '18:00', 60, false);
insert into public.habit_completions (habit_id, owner_id, occurrence_at)
values ('a0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('alice'), '2026-01-01 07:00Z'),
       ('b0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('bob'), '2026-01-01 18:00Z');
insert into public.notifications (habit_id, owner_id, kind, due_at)
values ('a0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('alice'), 'reminder', '2026-01-01 07:00Z'),
       ('b0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('bob'), 'reminder', '2026-01-01 18:00Z');
insert into public.telegram_link_codes (code, user_id)
values ('alice_code_0123456789', tests.get_supabase_uid('alice')), ('bob_code_0123456789ab', tests.get_supabase_uid('bob'));

-- ---------------------------------------------------------------- anon: no access at all
select tests.clear_authentication();
select throws_ok(format('select * from public.%I', t), '42501', null, format('anon cannot select from %s', t))
from unnest(array['profiles', 'habits', 'habit_completions', 'notifications', 'telegram_link_codes']) t;
select throws_ok(format('delete from public.%I', t), '42501', null, format('anon cannot delete from %s', t))
from unnest(array['profiles', 'habits', 'habit_completions', 'notifications', 'telegram_link_codes']) t;
select throws_ok($$ update public.profiles set display_name = 'x' $$, '42501', null, 'anon cannot update profiles');
select throws_ok($$ update public.habits set action = 'x' $$, '42501', null, 'anon cannot update habits');
select throws_ok($$ update public.habit_completions set occurrence_at = now() $$, '42501', null, 'anon cannot update habit_completions');
select throws_ok($$ update public.notifications set status = 'sent' $$, '42501', null, 'anon cannot update notifications');
select throws_ok($$ update public.telegram_link_codes set used_at = now() $$, '42501', null, 'anon cannot update telegram_link_codes');
select throws_ok($$ insert into public.profiles (id) values (gen_random_uuid()) $$, '42501', null, 'anon cannot insert profiles');
select throws_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('a', 'b', '07:00', 60) $$, '42501', null, 'anon cannot insert habits');
select throws_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('a0000000-0000-0000-0000-000000000001', now()) $$, '42501', null, 'anon cannot insert habit_completions');
select throws_ok($$ insert into public.notifications (habit_id, owner_id, kind, due_at) values ('a0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('alice'), 'reminder', now()) $$, '42501', null, 'anon cannot insert notifications');
select throws_ok($$ insert into public.telegram_link_codes (code) values ('anon_code_0123456789') $$, '42501', null, 'anon cannot insert telegram_link_codes');
select is((select count(*) from public.public_habits), 1::bigint, 'anon sees the one public habit through public_habits');
select is((select action from public.public_habits), 'read a page', 'public_habits shows the public habit''s action');
select hasnt_column('public', 'public_habits', 'owner_id', 'public_habits does not reveal the owner');
select throws_ok($$ delete from public.public_habits $$, '42501', null, 'anon cannot delete through public_habits');

-- ---------------------------------------------------------------- owner: own rows only
select tests.authenticate_as('alice');
select results_eq($$ select id from public.profiles $$, $$ values (tests.get_supabase_uid('alice')) $$, 'owner selects exactly their own profile');
select results_eq($$ select id from public.habits order by id $$,
  $$ values ('a0000000-0000-0000-0000-000000000001'::uuid), ('a0000000-0000-0000-0000-000000000002'::uuid) $$,
  'owner selects exactly their own habits');
select is((select count(*) from public.habit_completions), 1::bigint, 'owner selects exactly their own completions');
select is((select count(*) from public.notifications), 3::bigint,
  'owner selects exactly their own notifications (two "habit created" messages and one reminder)');
select results_eq($$ select code from public.telegram_link_codes $$, $$ values ('alice_code_0123456789') $$, 'owner selects exactly their own link codes');

with changed as (update public.profiles set timezone = 'Europe/Paris' returning 1)
select is(count(*)::int, 1, 'owner updates their own profile') from changed;
select throws_ok($$ insert into public.profiles (id) values (gen_random_uuid()) $$, '42501', null, 'owner cannot insert profiles');
select throws_ok($$ delete from public.profiles $$, '42501', null, 'owner cannot delete their profile directly');

select lives_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('journal', 'desk', '21:00', 120) $$, 'owner inserts a habit');
with changed as (update public.habits set action = 'read two pages' where id = 'a0000000-0000-0000-0000-000000000001' returning 1)
select is(count(*)::int, 1, 'owner updates their own habit') from changed;
with removed as (delete from public.habits where action = 'journal' returning 1)
select is(count(*)::int, 1, 'owner deletes their own habit') from removed;

select lives_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('a0000000-0000-0000-0000-000000000002', '2026-01-02 21:00Z') $$, 'owner records a completion');
select throws_ok($$ update public.habit_completions set occurrence_at = now() $$, '42501', null, 'owner cannot edit a completion');
with removed as (delete from public.habit_completions where occurrence_at = '2026-01-02 21:00Z' returning 1)
select is(count(*)::int, 1, 'owner deletes their own completion') from removed;

select throws_ok($$ insert into public.notifications (habit_id, owner_id, kind, due_at) values ('a0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('alice'), 'reminder', now()) $$, '42501', null, 'owner cannot insert notifications');
select throws_ok($$ update public.notifications set status = 'sent' $$, '42501', null, 'owner cannot update notifications');
select throws_ok($$ delete from public.notifications $$, '42501', null, 'owner cannot delete notifications');

select throws_ok($$ insert into public.telegram_link_codes (code) values ('alice_code_abcdefghij') $$, '42501', null, 'owner cannot insert link codes directly');
select throws_ok($$ update public.telegram_link_codes set used_at = now() $$, '42501', null, 'owner cannot update link codes');
select throws_ok($$ delete from public.telegram_link_codes $$, '42501', null, 'owner cannot delete link codes');

-- ---------------------------------------------------------------- stranger: sees and changes nothing of alice's
select tests.authenticate_as('bob');
select is_empty($$ select 1 from public.profiles where id = tests.get_supabase_uid('alice') $$, 'stranger cannot see another profile');
select is_empty($$ select 1 from public.habits where owner_id = tests.get_supabase_uid('alice') $$, 'stranger cannot see another user''s habits');
select is_empty($$ select 1 from public.habit_completions where owner_id = tests.get_supabase_uid('alice') $$, 'stranger cannot see another user''s completions');
select is_empty($$ select 1 from public.notifications where owner_id = tests.get_supabase_uid('alice') $$, 'stranger cannot see another user''s notifications');
select is_empty($$ select 1 from public.telegram_link_codes where user_id = tests.get_supabase_uid('alice') $$, 'stranger cannot see another user''s link codes');

with changed as (update public.profiles set display_name = 'hacked' where id = tests.get_supabase_uid('alice') returning 1)
select is(count(*)::int, 0, 'stranger cannot update another profile') from changed;
with changed as (update public.habits set action = 'hacked' where owner_id = tests.get_supabase_uid('alice') returning 1)
select is(count(*)::int, 0, 'stranger cannot update another user''s habits') from changed;
with removed as (delete from public.habits where owner_id = tests.get_supabase_uid('alice') returning 1)
select is(count(*)::int, 0, 'stranger cannot delete another user''s habits') from removed;
with removed as (delete from public.habit_completions where owner_id = tests.get_supabase_uid('alice') returning 1)
select is(count(*)::int, 0, 'stranger cannot delete another user''s completions') from removed;
select throws_ok($$ insert into public.habits (owner_id, action, place, time, duration_seconds) values (tests.get_supabase_uid('alice'), 'x', 'y', '07:00', 60) $$,
  '42501', null, 'stranger cannot create a habit for another user');
select throws_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('a0000000-0000-0000-0000-000000000001', '2026-01-03 07:00Z') $$,
  '23503', null, 'stranger cannot complete another user''s habit');
select is((select count(*) from public.public_habits), 1::bigint, 'a signed-in stranger sees public habits through public_habits');

select tests.as_postgres();
select is((select action from public.habits where id = 'a0000000-0000-0000-0000-000000000001'), 'read two pages', 'the stranger''s update changed nothing');
select is((select count(*) from public.habits where owner_id = tests.get_supabase_uid('alice')), 2::bigint, 'the stranger''s delete changed nothing');
select is((select display_name from public.profiles where id = tests.get_supabase_uid('alice')), null, 'the stranger''s profile update changed nothing');
select is((select count(*) from public.habit_completions where owner_id = tests.get_supabase_uid('alice')), 1::bigint, 'the stranger''s completion changes changed nothing');

-- ---------------------------------------------------------------- service_role: everything
select tests.authenticate_as_service_role();
select is((select count(*) from public.profiles where id in (tests.get_supabase_uid('alice'), tests.get_supabase_uid('bob'))), 2::bigint, 'service_role selects every profile');
select is((select count(*) from public.habits), 3::bigint, 'service_role selects every habit');
select is((select count(*) from public.habit_completions), 2::bigint, 'service_role selects every completion');
select is((select count(*) from public.notifications), 5::bigint, 'service_role selects every notification');
select is((select count(*) from public.telegram_link_codes), 2::bigint, 'service_role selects every link code');
select lives_ok($$ update public.profiles set telegram_username = 'bob_tg' where id = tests.get_supabase_uid('bob') $$, 'service_role updates Telegram fields');
select lives_ok($$ insert into public.notifications (habit_id, owner_id, kind, due_at) values ('b0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('bob'), 'snoozed_reminder', now()) $$, 'service_role inserts notifications');
select lives_ok($$ update public.notifications set status = 'sent', sent_at = now() where kind = 'snoozed_reminder' $$, 'service_role updates notifications');
select lives_ok($$ insert into public.telegram_link_codes (code, user_id) values ('svc_code_0123456789ab', tests.get_supabase_uid('bob')) $$, 'service_role inserts link codes');
select lives_ok($$ update public.telegram_link_codes set used_at = now() where code = 'svc_code_0123456789ab' $$, 'service_role updates link codes');
select lives_ok($$ insert into public.habit_completions (habit_id, owner_id, occurrence_at, source) values ('b0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('bob'), '2026-01-02 18:00Z', 'telegram') $$, 'service_role records a completion from Telegram');
with removed as (delete from public.telegram_link_codes where code = 'svc_code_0123456789ab' returning 1)
select is(count(*)::int, 1, 'service_role deletes link codes') from removed;
with removed as (delete from public.notifications where kind = 'snoozed_reminder' returning 1)
select is(count(*)::int, 1, 'service_role deletes notifications') from removed;
with removed as (delete from public.habit_completions where source = 'telegram' returning 1)
select is(count(*)::int, 1, 'service_role deletes completions') from removed;
with removed as (delete from public.habits where id = 'b0000000-0000-0000-0000-000000000001' returning 1)
select is(count(*)::int, 1, 'service_role deletes habits') from removed;
with removed as (delete from public.profiles where id = tests.get_supabase_uid('bob') returning 1)
select is(count(*)::int, 1, 'service_role deletes profiles') from removed;

-- ---------------------------------------------------------------- every table has RLS on
select tests.as_postgres();
select is(
  (select array_agg(c.relname::text order by c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity),
  null, 'every table in public has row-level security enabled');

select * from finish();
rollback;
