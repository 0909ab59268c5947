-- Every habit rule both ways: accepted when it holds, rejected with its identifier otherwise,
-- and a rejected write changes nothing.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('alice', 'Europe/Berlin');
select tests.create_supabase_user('bob');
select tests.create_supabase_user('carol');
select tests.link_telegram('alice', 1001);
select tests.link_telegram('bob', 1002);

-- Fixtures owned by alice and bob, created as the service role (which RLS does not limit).
select tests.authenticate_as_service_role();
insert into public.habits (id, owner_id, action, place, time, duration_seconds, is_pleasant)
values ('a0000000-0000-0000-0000-00000000000a', tests.get_supabase_uid('alice'), 'listen to a song', 'sofa', '07:10', 60, true),
       ('a0000000-0000-0000-0000-00000000000b', tests.get_supabase_uid('alice'), 'walk outside', 'park', '18:00', 90, false),
       ('b0000000-0000-0000-0000-00000000000a', tests.get_supabase_uid('bob'), 'drink tea', 'kitchen', '08:00', 60, true);

select tests.authenticate_as('alice');

-- Duration: 1 to 120 seconds.
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('stretch', 'bedroom', '07:00', 120) $$,
  'a duration of 120 s is accepted');
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('breathe', 'bedroom', '07:00', 1) $$,
  'a duration of 1 s is accepted');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('stretch', 'bedroom', '07:00', 121) $$,
  '%"habits_duration_seconds_range"%', 'a duration of 121 s is rejected with habits_duration_seconds_range');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('stretch', 'bedroom', '07:00', 0) $$,
  '%"habits_duration_seconds_range"%', 'a duration of 0 s is rejected with habits_duration_seconds_range');

-- Interval: at least once every 7 days.
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds, interval_days) values ('water plants', 'balcony', '09:00', 60, 7) $$,
  'an interval of 7 days is accepted');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, interval_days) values ('water plants', 'balcony', '09:00', 60, 8) $$,
  '%"habits_interval_days_range"%', 'an interval of 8 days is rejected with habits_interval_days_range');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, interval_days) values ('water plants', 'balcony', '09:00', 60, 0) $$,
  '%"habits_interval_days_range"%', 'an interval of 0 days is rejected with habits_interval_days_range');

-- Text fields.
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('   ', 'bedroom', '07:00', 60) $$,
  '%"habits_action_length"%', 'a blank action is rejected with habits_action_length');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values (repeat('x', 201), 'bedroom', '07:00', 60) $$,
  '%"habits_action_length"%', 'an action over 200 characters is rejected with habits_action_length');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('read', '', '07:00', 60) $$,
  '%"habits_place_length"%', 'an empty place is rejected with habits_place_length');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, reward) values ('read', 'bed', '07:00', 60, ' ') $$,
  '%"habits_reward_length"%', 'a blank reward is rejected with habits_reward_length');

-- Reward or linked pleasant habit, not both.
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds, reward) values ('run', 'park', '07:00', 60, 'a smoothie') $$,
  'a habit with a reward is accepted');
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds, related_habit_id) values ('run', 'park', '07:00', 60, 'a0000000-0000-0000-0000-00000000000a') $$,
  'a habit linked to an own pleasant habit is accepted');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, reward, related_habit_id) values ('run', 'park', '07:00', 60, 'a smoothie', 'a0000000-0000-0000-0000-00000000000a') $$,
  '%"habits_reward_or_related_habit"%', 'a reward and a linked habit together are rejected with habits_reward_or_related_habit');

-- Pleasant habits have neither a reward nor a linked habit.
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds, is_pleasant) values ('bath', 'bathroom', '21:00', 120, true) $$,
  'a pleasant habit without reward or link is accepted');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, is_pleasant, reward) values ('bath', 'bathroom', '21:00', 120, true, 'chocolate') $$,
  '%"habits_pleasant_has_no_reward_or_link"%', 'a reward on a pleasant habit is rejected with habits_pleasant_has_no_reward_or_link');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, is_pleasant, related_habit_id) values ('bath', 'bathroom', '21:00', 120, true, 'a0000000-0000-0000-0000-00000000000a') $$,
  '%"habits_pleasant_has_no_reward_or_link"%', 'a link on a pleasant habit is rejected with habits_pleasant_has_no_reward_or_link');

-- Only own pleasant habits can be linked, and never the habit itself.
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, related_habit_id) values ('run', 'park', '07:00', 60, 'a0000000-0000-0000-0000-00000000000b') $$,
  '%"habits_related_habit_must_be_pleasant"%', 'a link to a habit that is not pleasant is rejected with habits_related_habit_must_be_pleasant');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, related_habit_id) values ('run', 'park', '07:00', 60, 'b0000000-0000-0000-0000-00000000000a') $$,
  '%"habits_related_habit_must_be_own"%', 'a link to someone else''s pleasant habit is rejected with habits_related_habit_must_be_own');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, related_habit_id) values ('run', 'park', '07:00', 60, 'c0000000-0000-0000-0000-000000000000') $$,
  '%"habits_related_habit_must_be_own"%', 'a link to a habit that does not exist is rejected with habits_related_habit_must_be_own');
select throws_like($$ update public.habits set related_habit_id = id where id = 'a0000000-0000-0000-0000-00000000000b' $$,
  '%"habits_related_habit_not_itself"%', 'a link to the habit itself is rejected with habits_related_habit_not_itself');

-- A linked habit cannot stop being pleasant; an unlinked one can.
select throws_like($$ update public.habits set is_pleasant = false where id = 'a0000000-0000-0000-0000-00000000000a' $$,
  '%"habits_linked_habit_must_stay_pleasant"%', 'a pleasant habit that others link to cannot stop being pleasant');
select lives_ok($$ update public.habits set is_pleasant = false where id = (select id from public.habits where action = 'bath') $$,
  'a pleasant habit nobody links to can stop being pleasant');

-- Deleting a linked pleasant habit only removes the link.
select lives_ok($$ delete from public.habits where id = 'a0000000-0000-0000-0000-00000000000a' $$,
  'a pleasant habit that others link to can be deleted');
select is((select count(*) from public.habits where action = 'run' and related_habit_id is null), 2::bigint,
  'deleting the linked pleasant habit leaves the linking habit without a link');

-- The owner is the caller and cannot be chosen or changed.
select throws_ok($$ insert into public.habits (owner_id, action, place, time, duration_seconds) values (tests.get_supabase_uid('bob'), 'run', 'park', '07:00', 60) $$,
  '42501', null, 'an owner id that is not the caller''s is rejected (permission denied)');
select throws_ok($$ update public.habits set owner_id = tests.get_supabase_uid('bob') $$,
  '42501', null, 'moving a habit to another owner is rejected (permission denied)');
select throws_ok($$ update public.habits set next_reminder_at = now() $$,
  '42501', null, 'the computed next reminder cannot be written by users');
select tests.authenticate_as_service_role();
select throws_like($$ update public.habits set owner_id = tests.get_supabase_uid('bob') where id = 'a0000000-0000-0000-0000-00000000000b' $$,
  '%"habits_owner_is_immutable"%', 'even the service role cannot move a habit to another owner');

-- No habit before Telegram is connected.
select tests.authenticate_as('carol');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('read', 'bed', '22:00', 60) $$,
  '%"habits_require_telegram"%', 'a habit before Telegram is connected is rejected with habits_require_telegram');

-- Rejected writes changed nothing.
select tests.as_postgres();
select is((select count(*) from public.habits where owner_id = tests.get_supabase_uid('carol')), 0::bigint,
  'carol has no habits after the rejected insert');
select is((select count(*) from public.habits where owner_id = tests.get_supabase_uid('alice')), 7::bigint,
  'alice has exactly the habits that were accepted');
select is((select owner_id from public.habits where id = 'a0000000-0000-0000-0000-00000000000b'), tests.get_supabase_uid('alice'),
  'the habit still belongs to alice');

select * from finish();
rollback;
