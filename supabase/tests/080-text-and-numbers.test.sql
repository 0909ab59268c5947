-- Habit text is trimmed of all Unicode white space and invisible characters before its limits
-- are checked, so the stored value is the measured one; missing or out-of-range numbers answer
-- with their rule identifier.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('tara');
select tests.link_telegram('tara', 8001);
select tests.authenticate_as('tara');

-- ---------------------------------------------------------------- padding
select lives_ok(format($$ insert into public.habits (action, place, time, duration_seconds, reward) values (%L, %L, '07:00', 60, %L) $$,
    repeat(' ', 50000) || 'x', E'\u00a0 desk \u3000\t', E'\u200b cake \ufeff'),
  '50,000 spaces before an action are accepted as padding');
select results_eq($$ select action, char_length(action), place, reward from public.habits $$,
  $$ values ('x', 1, 'desk', 'cake') $$, 'the stored action, place and reward are trimmed, so their length is within the limit');
select throws_like(format($$ insert into public.habits (action, place, time, duration_seconds) values (%L, 'desk', '07:00', 60) $$,
    'x' || repeat(' ', 300) || 'y'),
  '%"habits_action_length"%', 'white space inside the text still counts towards the 200-character limit');

-- ---------------------------------------------------------------- blank-looking text
select throws_like(format($$ insert into public.habits (action, place, time, duration_seconds) values (%L, 'desk', '07:00', 60) $$, blank),
  '%"habits_action_length"%', format('an action of only %s is rejected with habits_action_length', label))
from (values (E'\t\n', 'tab and newline'), (E'\u00a0', 'NBSP'), (E'\u3000', 'U+3000'), (E'\u200b\u200d\u2060', 'zero-width characters'),
             (E'\u2028\u2029\u0085', 'line and paragraph separators')) as cases(blank, label);
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('read', E'\r', '07:00', 60) $$,
  '%"habits_place_length"%', 'a place of only a carriage return is rejected with habits_place_length');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, reward) values ('read', 'desk', '07:00', 60, E'\u00a0\u2003') $$,
  '%"habits_reward_length"%', 'a blank-looking reward is rejected with habits_reward_length');
select throws_like($$ update public.habits set action = E'\u3000' $$,
  '%"habits_action_length"%', 'an update to blank-looking text is rejected too');

-- ---------------------------------------------------------------- numbers
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('a', 'b', '07:00', null) $$,
  '%"habits_duration_seconds_range"%', 'a missing duration is rejected with habits_duration_seconds_range (not 23502)');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('a', 'b', '07:00', 40000) $$,
  '%"habits_duration_seconds_range"%', 'a duration beyond smallint is rejected with habits_duration_seconds_range (not 22003)');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, interval_days) values ('a', 'b', '07:00', 60, null) $$,
  '%"habits_interval_days_range"%', 'a missing interval is rejected with habits_interval_days_range (not 23502)');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, interval_days) values ('a', 'b', '07:00', 60, 100000) $$,
  '%"habits_interval_days_range"%', 'an interval beyond smallint is rejected with habits_interval_days_range (not 22003)');
select throws_like($$ update public.habits set duration_seconds = null $$,
  '%"habits_duration_seconds_range"%', 'clearing the duration is rejected with habits_duration_seconds_range');

select * from finish();
rollback;
