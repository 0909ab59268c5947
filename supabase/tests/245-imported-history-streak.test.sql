-- An imported history keeps its misses. The streak counts a miss only from the habit's
-- created_at on (private.streak_marks), so the import sets created_at to where the imported
-- history begins, as the function's own role, in the statement that back-dates starts_on
-- (supabase/functions/import/apply.ts; through the real function in
-- tests/functions/import_streak_test.ts). Here: the habit the import leaves, the streak every
-- reader sees on it, and that the owner can move neither column through the Data API.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('iris', 'Europe/Berlin');
select tests.link_telegram('iris', 24501);

-- The owner cannot write created_at or starts_on (no column grant), through insert or update.
select ok(not has_column_privilege('authenticated', 'public.habits', 'created_at', 'update'),
  'authenticated cannot update a habit''s created_at');
select ok(not has_column_privilege('authenticated', 'public.habits', 'created_at', 'insert'),
  'nor insert one');
select ok(not has_column_privilege('authenticated', 'public.habits', 'starts_on', 'update'),
  'nor update starts_on');
select ok(not has_column_privilege('anon', 'public.habits', 'created_at', 'update'), 'nor can anon');

-- As the import does: the habit inserted as the caller (created now), then, as the function's
-- own role, starts_on 9 days back and created_at at its first occurrence there.
select tests.authenticate_as('iris');
insert into public.habits (action, place, time, duration_seconds) values ('read', 'anywhere', '09:00', 60);
select throws_ok($$ update public.habits set created_at = now() - interval '1 year' $$, '42501', null,
  'the owner cannot back-date created_at through the Data API');
select throws_ok($$ insert into public.habits (action, place, time, duration_seconds, created_at)
  values ('run', 'park', '07:00', 60, now() + interval '1 year') $$, '42501', null,
  'nor choose it when creating a habit');
select throws_ok($$ update public.habits set starts_on = starts_on - 30 $$, '42501', null, 'nor move its first day');
reset role;
create temp view imported as select id from public.habits where owner_id = tests.get_supabase_uid('iris');

create temp table berlin as select (now() at time zone 'Europe/Berlin')::date as today;
update public.habits h set starts_on = b.today - 9,
  created_at = least(h.created_at, ((b.today - 9) + h.time) at time zone 'Europe/Berlin')
from berlin b where h.id = (select id from imported);
-- Done 9..5 days ago and 3..1 days ago: the miss 4 days ago ends the run; today is pending.
insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
select (select id from imported), tests.get_supabase_uid('iris'),
  ((b.today - d) + time '09:00') at time zone 'Europe/Berlin', 'web'
from berlin b, unnest(array[9, 8, 7, 6, 5, 3, 2, 1]) d;

select results_eq($$ select streak, best_streak, last_marks
  from private.habit_streaks(tests.get_supabase_uid('iris'), (select id from imported)) $$,
  $$ values (3, 5, '✅✅❌✅✅✅⏳') $$,
  '/stats and the digest: the streak since the miss in the history, the best run before it');
select is(private.current_streak((select id from imported)), 3,
  'the reminder''s streak at stake is the same 3');
select is((select count(*)::int from private.streak_marks((select id from imported), now(), 1000) where mark = 'missed'),
  1, 'the one gap in the history is a miss');

-- Left at the import's instant (the old import), every occurrence of the history is before the
-- habit existed: the miss vanishes and the streak is every completion. This is what the import
-- no longer leaves.
update public.habits set created_at = now() where id = (select id from imported);
select is(private.current_streak((select id from imported)), 8,
  'with created_at at the import, the gap would not count (the bug the import fixes)');

select is(col_description('public.habits'::regclass,
    (select attnum from pg_attribute where attrelid = 'public.habits'::regclass and attname = 'created_at')) ~ 'history begins',
  true, 'created_at says it is where the habit''s history begins');

select * from finish();
rollback;
