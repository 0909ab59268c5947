-- Profiles: created on sign-up, time zone validated, Telegram fields out of users' reach.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('dora', 'America/New_York');
select tests.create_supabase_user('erik', 'Not/AZone');

select is((select timezone from public.profiles where id = tests.get_supabase_uid('dora')), 'America/New_York',
  'sign-up creates the profile with the requested time zone');
select is((select timezone from public.profiles where id = tests.get_supabase_uid('erik')), 'UTC',
  'an unknown time zone at sign-up falls back to UTC instead of blocking the sign-up');

select tests.authenticate_as('dora');
select lives_ok($$ update public.profiles set timezone = 'Asia/Kolkata' $$, 'a known IANA time zone is accepted');
select throws_like($$ update public.profiles set timezone = 'Mars/Olympus_Mons' $$,
  '%"profiles_timezone_is_known"%', 'an unknown time zone is rejected with profiles_timezone_is_known');
select throws_like($$ update public.profiles set timezone = 'UTC+3' $$,
  '%"profiles_timezone_is_known"%', 'a POSIX offset that is not an IANA name is rejected with profiles_timezone_is_known');
select throws_like($$ update public.profiles set display_name = repeat('d', 81) $$,
  '%"profiles_display_name_length"%', 'a display name over 80 characters is rejected with profiles_display_name_length');
select lives_ok($$ update public.profiles set display_name = 'Dora' $$, 'a display name is accepted');
select throws_ok($$ update public.profiles set telegram_chat_id = 42 $$, '42501', null,
  'users cannot set their Telegram chat id');
select throws_ok($$ update public.profiles set telegram_blocked_at = null $$, '42501', null,
  'users cannot change the Telegram blocked flag');
select is((select timezone from public.profiles), 'Asia/Kolkata', 'rejected updates left the time zone as it was');

select tests.as_postgres();
select throws_like($$ update public.profiles set telegram_chat_id = 7 where id in (tests.get_supabase_uid('dora'), tests.get_supabase_uid('erik')) $$,
  '%"profiles_telegram_chat_id_key"%', 'one Telegram chat cannot be linked to two accounts');

select * from finish();
rollback;
