-- Completions: a stranger learns nothing from the error (the same answer whether or not the
-- owner completed that occurrence), only real occurrences are recorded, and today's occurrence
-- can be marked done early, from the web and from Telegram.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('xena');
select tests.create_supabase_user('yuri');
select tests.link_telegram('xena', 10001);
select tests.link_telegram('yuri', 10002);
insert into public.habits (id, owner_id, action, place, time, duration_seconds, is_public)
values ('fa000000-0000-0000-0000-000000000001', tests.get_supabase_uid('xena'), 'meditate', 'bedroom', '23:59', 60, true);
insert into public.habit_completions (habit_id, owner_id, occurrence_at)
values ('fa000000-0000-0000-0000-000000000001', tests.get_supabase_uid('xena'), '2026-01-01 23:59Z');

-- ---------------------------------------------------------------- a stranger
select tests.authenticate_as('yuri');
select throws_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', '2026-01-01 23:59Z') $$,
  '23503', 'insert or update on table "habit_completions" violates foreign key constraint "habit_completions_habit_same_owner_fkey"',
  'a stranger completing an occurrence the owner completed gets the foreign-key error');
select throws_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', '2026-01-02 23:59Z') $$,
  '23503', 'insert or update on table "habit_completions" violates foreign key constraint "habit_completions_habit_same_owner_fkey"',
  'a stranger completing an occurrence the owner did not complete gets the very same error');
select throws_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', '2026-01-01 08:00Z') $$,
  '23503', 'insert or update on table "habit_completions" violates foreign key constraint "habit_completions_habit_same_owner_fkey"',
  'and so does a time off the schedule: the schedule of someone else''s habit is not checked for them');
select throws_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-0000000000ff', '2026-01-01 23:59Z') $$,
  '23503', 'insert or update on table "habit_completions" violates foreign key constraint "habit_completions_habit_same_owner_fkey"',
  'as does a habit that does not exist');

-- ---------------------------------------------------------------- real occurrences only
select tests.authenticate_as('xena');
select throws_like($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', '2026-01-02 08:00Z') $$,
  '%"habit_completions_occurrence_on_schedule"%', 'a time the habit is not due is rejected with habit_completions_occurrence_on_schedule');
select throws_like(format($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', %L) $$,
    ((current_date + 1) + time '23:59') at time zone 'UTC'),
  '%"habit_completions_occurrence_not_after_today"%', 'tomorrow''s occurrence cannot be marked done yet');
select lives_ok(format($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', %L) $$,
    (current_date + time '23:59') at time zone 'UTC'),
  'today''s occurrence can be marked done before its time');
select lives_ok($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', '2026-01-02 23:59Z') $$,
  'a past occurrence on the schedule is accepted');

select tests.as_postgres();
update public.habits set interval_days = 2 where id = 'fa000000-0000-0000-0000-000000000001';
select tests.authenticate_as('xena');
select throws_like(format($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', %L) $$,
    ((current_date - 1) + time '23:59') at time zone 'UTC'),
  '%"habit_completions_occurrence_on_schedule"%', 'a day off the every-2-days grid is rejected');
select lives_ok(format($$ insert into public.habit_completions (habit_id, occurrence_at) values ('fa000000-0000-0000-0000-000000000001', %L) $$,
    ((current_date - 2) + time '23:59') at time zone 'UTC'),
  'a day on the every-2-days grid is accepted');

-- ---------------------------------------------------------------- Done early from Telegram
select tests.as_postgres();
insert into public.habits (id, owner_id, action, place, time, duration_seconds, reward)
values ('fa000000-0000-0000-0000-000000000002', tests.get_supabase_uid('xena'), 'walk', 'park', '23:58', 60, 'tea');
select results_eq($$ select outcome, habit_action, reward from private.complete_today_from_telegram(10001, 'fa000000-0000-0000-0000-000000000002') $$,
  $$ values ('recorded', 'walk', 'tea') $$, 'Done from /today records today''s occurrence before its time');
select is((select occurrence_at from public.habit_completions where habit_id = 'fa000000-0000-0000-0000-000000000002'),
  (current_date + time '23:58') at time zone 'UTC', 'the completion is for today''s occurrence');
select results_eq($$ select outcome from private.complete_today_from_telegram(10001, 'fa000000-0000-0000-0000-000000000002') $$,
  $$ values ('already_recorded') $$, 'pressing it again records nothing more');
select results_eq($$ select outcome from private.complete_today_from_telegram(10002, 'fa000000-0000-0000-0000-000000000002') $$,
  $$ values ('not_found') $$, 'another chat cannot complete the habit');
update public.habits set interval_days = 2 where id = 'fa000000-0000-0000-0000-000000000002';
update public.habits set starts_on = current_date - 1 where id = 'fa000000-0000-0000-0000-000000000002';
select results_eq($$ select outcome from private.complete_today_from_telegram(10001, 'fa000000-0000-0000-0000-000000000002') $$,
  $$ values ('not_due_today') $$, 'a habit not due today has nothing to complete');

select * from finish();
rollback;
