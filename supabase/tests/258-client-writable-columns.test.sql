-- "Users cannot set the owner, Telegram fields or computed columns": what a signed-in person may
-- write through the Data API is exactly this list of columns (column privileges). Every other
-- column (owner_id, next_reminder_at, paused_reason, starts_on, created_at, a completion's source
-- and completed_at, must_choose_password, telegram_blocked_at, a link code's code and expiry …)
-- is the service's; a new grant fails here until it is added on purpose. anon writes nothing.
begin;
set local search_path = public, extensions;
select * from no_plan();

select results_eq(
  $$ select table_name::text collate "default", privilege_type::text collate "default",
       string_agg(column_name::text, ',' order by column_name::text) collate "default"
     from information_schema.column_privileges
     where table_schema = 'public' and grantee = 'authenticated' and privilege_type in ('INSERT', 'UPDATE')
     group by 1, 2 order by 1, 2 $$,
  $$ values
     ('habit_completions', 'INSERT', 'habit_id,occurrence_at'),
     ('habits', 'INSERT', 'action,duration_seconds,interval_days,is_paused,is_pleasant,is_public,place,related_habit_id,reward,time'),
     ('habits', 'UPDATE', 'action,duration_seconds,interval_days,is_paused,is_pleasant,is_public,place,related_habit_id,reward,time'),
     ('profiles', 'UPDATE', 'digest_time,digest_weekday,display_name,language,telegram_chat_id,telegram_linked_at,telegram_username,time_format,timezone,weekly_digest'),
     ('telegram_link_codes', 'INSERT', 'user_id') $$,
  'a signed-in person writes exactly these columns');
select is_empty(
  $$ select 1 from information_schema.column_privileges
     where table_schema = 'public' and grantee = 'anon' and privilege_type in ('INSERT', 'UPDATE', 'REFERENCES') $$,
  'anon writes no column');

select tests.create_supabase_user('cole');
select tests.link_telegram('cole', 25801);
select tests.authenticate_as('cole');
insert into public.habits (action, place, time, duration_seconds) values ('read', 'desk', '07:00', 60);
insert into public.habit_completions (habit_id, occurrence_at)
select id, (current_date + time '07:00') at time zone 'UTC' from public.habits;

select throws_ok($$ update public.habits set paused_reason = 'time_zone_unresolvable' $$, '42501', null,
  'a person cannot pause a habit "for the service" (paused_reason)');
select throws_ok($$ update public.habits set created_at = '2001-01-01' $$, '42501', null,
  'a person cannot move where a habit''s history begins (created_at)');
select throws_ok($$ update public.habits set starts_on = '2001-01-01' $$, '42501', null,
  'a person cannot move a habit''s grid (starts_on)');
select throws_ok($$ insert into public.habits (action, place, time, duration_seconds, next_reminder_at)
    values ('run', 'park', '08:00', 60, now()) $$, '42501', null,
  'a person cannot choose when the next reminder goes out');
select throws_ok($$ insert into public.habit_completions (habit_id, occurrence_at, source)
    select id, (current_date + time '07:00') at time zone 'UTC', 'telegram' from public.habits $$, '42501', null,
  'a person cannot claim a completion came from Telegram (which skips the web''s occurrence rule)');
select throws_ok($$ update public.habit_completions set completed_at = now() - interval '1 day' $$, '42501', null,
  'a person cannot backdate when a completion was recorded');
select throws_ok($$ update public.profiles set must_choose_password = false $$, '42501', null,
  'a person cannot lift "Choose your password" by writing the profile');
select throws_ok($$ update public.profiles set telegram_blocked_at = null $$, '42501', null,
  'a person cannot clear the service''s record that the bot was blocked');

select * from finish();
rollback;
