-- "Every date a person can write has bounds in the database, whichever way it comes in": a
-- habit's created_at, where its history (and the streak's misses) begins, is written by the
-- import from the person's file. Its bounds were only in the import's handler; now the database
-- holds them too, as it does for a completion's completed_at: from the first instant of
-- 1 January 2000 anywhere on Earth, and not in the future.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('hana');
select tests.link_telegram('hana', 25701);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('f2570000-0000-0000-0000-000000000001', tests.get_supabase_uid('hana'), 'read', 'desk', '07:00', 60);

-- As the import's own role writes it (the function's connection, no role assumed).
select throws_like($$ update public.habits set created_at = '0001-01-01' where id = 'f2570000-0000-0000-0000-000000000001' $$,
  '%"habits_created_at_range"%', 'a habit''s history cannot begin in year 1 (habits_created_at_range)');
select throws_like($$ update public.habits set created_at = '1999-12-31 09:59:59Z' where id = 'f2570000-0000-0000-0000-000000000001' $$,
  '%"habits_created_at_range"%', 'nor before the first instant of 2000 anywhere on Earth');
select lives_ok($$ update public.habits set created_at = '2000-01-01 00:00+14' where id = 'f2570000-0000-0000-0000-000000000001' $$,
  'the first instant of 2000 anywhere on Earth is accepted');
select throws_like($$ update public.habits set created_at = now() + interval '1 day' where id = 'f2570000-0000-0000-0000-000000000001' $$,
  '%"habits_created_at_range"%', 'a habit''s history cannot begin in the future');
select throws_like($$ insert into public.habits (owner_id, action, place, time, duration_seconds, created_at)
    values (tests.get_supabase_uid('hana'), 'write', 'desk', '08:00', 60, now() + interval '1 hour') $$,
  '%"habits_created_at_range"%', 'nor be created in the future');
select lives_ok($$ update public.habits set created_at = now() - interval '3 years' where id = 'f2570000-0000-0000-0000-000000000001' $$,
  'a history that began three years ago is accepted');

select * from finish();
rollback;
