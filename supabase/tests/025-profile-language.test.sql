-- The profile's language: en or ru or not chosen, changed by its owner only.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('lena', 'Europe/Moscow');
select tests.create_supabase_user('max', 'UTC');

select is((select language from public.profiles where id = tests.get_supabase_uid('lena')), null,
  'a new profile has no language yet (the browser''s language applies)');

select tests.authenticate_as('lena');
select lives_ok($$ update public.profiles set language = 'ru' $$, 'a user may choose Russian');
select is((select language from public.profiles), 'ru', 'the choice is saved');
select lives_ok($$ update public.profiles set language = 'en' $$, 'a user may choose English');
select throws_like($$ update public.profiles set language = 'de' $$,
  '%"profiles_language_known"%', 'an unsupported language is rejected with profiles_language_known');
select throws_like($$ update public.profiles set language = 'RU' $$,
  '%"profiles_language_known"%', 'language codes are lower case');
select lives_ok($$ update public.profiles set language = null $$, 'the choice can be cleared');
select is((select language from public.profiles), null, 'cleared');

select tests.authenticate_as('max');
select lives_ok($$ update public.profiles set language = 'ru' where id = tests.get_supabase_uid('lena') $$,
  'an update of another person''s profile runs ...');
select tests.as_postgres();
select is((select language from public.profiles where id = tests.get_supabase_uid('lena')), null,
  '... but changes nothing: row security hides other profiles');

select tests.clear_authentication();
select throws_ok($$ update public.profiles set language = 'ru' $$, '42501', null,
  'anon cannot change any language');

select * from finish();
rollback;
