-- Dates get sane bounds: a habit starts from 1 January 2000 to a year ahead, a completion is for
-- an occurrence from 2000 on and at most two days after it was recorded, and it is recorded
-- from 2000 on and not in the future. Each bound answers with its rule identifier.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('dora');
select tests.link_telegram('dora', 17001);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('f1700000-0000-0000-0000-000000000001', tests.get_supabase_uid('dora'), 'read', 'desk', '00:30', 60);

-- ---------------------------------------------------------------- habits.starts_on
select throws_like($$ update public.habits set starts_on = '0001-01-01' where id = 'f1700000-0000-0000-0000-000000000001' $$,
  '%"habits_starts_on_range"%', 'a habit cannot start on 0001-01-01 (habits_starts_on_range)');
select throws_like($$ update public.habits set starts_on = '1999-12-31' where id = 'f1700000-0000-0000-0000-000000000001' $$,
  '%"habits_starts_on_range"%', 'a habit cannot start before 2000');
select lives_ok($$ update public.habits set starts_on = '2000-01-01' where id = 'f1700000-0000-0000-0000-000000000001' $$,
  'a habit can start on 1 January 2000');
select throws_like(format($$ update public.habits set starts_on = %L where id = 'f1700000-0000-0000-0000-000000000001' $$,
    current_date + 400),
  '%"habits_starts_on_range"%', 'a habit cannot start more than a year ahead');
select lives_ok(format($$ update public.habits set starts_on = %L where id = 'f1700000-0000-0000-0000-000000000001' $$,
    current_date + 300),
  'a habit can start within the coming year');
update public.habits set starts_on = '2020-01-01' where id = 'f1700000-0000-0000-0000-000000000001';

-- ---------------------------------------------------------------- occurrence_at through the Data API
select tests.authenticate_as('dora');
select throws_like($$ insert into public.habit_completions (habit_id, occurrence_at) values ('f1700000-0000-0000-0000-000000000001', '1972-03-01 00:30Z') $$,
  '%"habit_completions_occurrence_at_range"%', 'a completion back in 1972 is refused (habit_completions_occurrence_at_range)');
select throws_like($$ insert into public.habit_completions (habit_id, occurrence_at) values ('f1700000-0000-0000-0000-000000000001', '1999-12-31 00:30Z') $$,
  '%"habit_completions_occurrence_at_range"%', 'a completion on the last day of 1999 is refused');
select lives_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('f1700000-0000-0000-0000-000000000001', '2020-01-01 00:30Z') $$,
  'a completion in 2020, on the schedule, is accepted');
select is((select count(*) from public.habit_completions where occurrence_at < '2000-01-01'), 0::bigint,
  'nothing before 2000 was recorded');

-- ---------------------------------------------------------------- completions written as the service
select tests.as_postgres();
select lives_ok($$ insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
    values ('f1700000-0000-0000-0000-000000000001', tests.get_supabase_uid('dora'), '2000-01-01 00:00+14', 'telegram') $$,
  'the first instant of 1 January 2000 anywhere on Earth is accepted');
select throws_like($$ insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
    values ('f1700000-0000-0000-0000-000000000001', tests.get_supabase_uid('dora'), now() + interval '3 days', 'telegram') $$,
  '%"habit_completions_occurrence_at_range"%', 'an occurrence three days after it is recorded is refused on every path');
select lives_ok($$ insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
    values ('f1700000-0000-0000-0000-000000000001', tests.get_supabase_uid('dora'), now() + interval '20 hours', 'telegram') $$,
  'today''s occurrence, hours ahead, can still be marked done early');
select throws_like($$ update public.habit_completions set completed_at = '1999-06-01' where occurrence_at = '2020-01-01 00:30Z' $$,
  '%"habit_completions_completed_at_range"%', 'a completion cannot be recorded before 2000 (habit_completions_completed_at_range)');
select throws_like($$ update public.habit_completions set completed_at = now() + interval '1 hour' where occurrence_at = '2020-01-01 00:30Z' $$,
  '%"habit_completions_completed_at_range"%', 'a completion cannot be recorded in the future');
select lives_ok($$ update public.habit_completions set completed_at = '2020-01-01 08:00Z' where occurrence_at = '2020-01-01 00:30Z' $$,
  'a completion recorded on its day is accepted');
select throws_like($$ update public.habit_completions set completed_at = '2019-12-29 08:00Z' where occurrence_at = '2020-01-01 00:30Z' $$,
  '%"habit_completions_occurrence_at_range"%', 'an occurrence cannot lie more than two days after its recording');

select * from finish();
rollback;
