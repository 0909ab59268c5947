-- A habit's time and the digest's time are times of day, 00:00 to 23:59:59. Postgres's `time`
-- also takes 24:00, which the web form and the import refuse: a habit at 24:00 was reminded at
-- midnight, yet every one of its occurrences was refused as "not one of the habit's occurrences"
-- when marked done from the web (24:00 of a day is 00:00 of the next, another local date).
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('tara', 'Europe/Berlin');
select tests.link_telegram('tara', 25601);
select tests.authenticate_as('tara');

select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('sleep', 'bed', '24:00', 60) $$,
  '%"habits_time_of_day"%', 'a habit cannot be created at 24:00 through the Data API (habits_time_of_day)');
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('sleep', 'bed', '23:59:59', 60) $$,
  'a habit at 23:59:59 is accepted');
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('wake', 'bed', '00:00', 60) $$,
  'a habit at 00:00 is accepted');
select throws_like($$ update public.habits set time = '24:00' where action = 'sleep' $$,
  '%"habits_time_of_day"%', 'an update of the time alone cannot move a habit to 24:00');

select throws_like($$ update public.profiles set digest_time = '24:00' where id = tests.get_supabase_uid('tara') $$,
  '%"profiles_digest_time_of_day"%', 'the digest cannot be set to 24:00 (profiles_digest_time_of_day)');
select lives_ok($$ update public.profiles set digest_time = '23:59' where id = tests.get_supabase_uid('tara') $$,
  'the digest can be set to 23:59');

select tests.as_postgres();
select throws_like($$ update public.habits set time = '24:00' where action = 'sleep' $$,
  '%"habits_time_of_day"%', 'the service cannot set 24:00 either');

select * from finish();
rollback;
