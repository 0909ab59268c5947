-- The profile's time format: locale (the default), 24h or 12h, changed by its owner only.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('tess', 'Europe/Moscow');
select tests.create_supabase_user('otto', 'UTC');

select is((select time_format from public.profiles where id = tests.get_supabase_uid('tess')), 'locale',
  'a new profile follows its language''s time format');

select tests.authenticate_as('tess');
select lives_ok($$ update public.profiles set time_format = '24h' $$, 'a user may choose 24-hour time');
select is((select time_format from public.profiles), '24h', 'the choice is saved');
select lives_ok($$ update public.profiles set time_format = '12h' $$, 'a user may choose 12-hour time');
select lives_ok($$ update public.profiles set time_format = 'locale' $$, 'a user may follow the language again');
select throws_like($$ update public.profiles set time_format = 'h23' $$,
  '%"profiles_time_format_known"%', 'an unknown format is rejected with profiles_time_format_known');
select throws_like($$ update public.profiles set time_format = '24H' $$,
  '%"profiles_time_format_known"%', 'formats are written in lower case');
select throws_ok($$ update public.profiles set time_format = null $$, '23502', null,
  'the format cannot be cleared: locale is the way to follow the language');
select is((select time_format from public.profiles), 'locale', 'a refused change changes nothing');

select tests.authenticate_as('otto');
select lives_ok($$ update public.profiles set time_format = '12h' where id = tests.get_supabase_uid('tess') $$,
  'an update of another person''s time format runs ...');
select tests.as_postgres();
select is((select time_format from public.profiles where id = tests.get_supabase_uid('tess')), 'locale',
  '... but changes nothing: row security hides other profiles');

select tests.clear_authentication();
select throws_ok($$ update public.profiles set time_format = '24h' $$, '42501', null,
  'anon cannot change any time format');

select * from finish();
rollback;
