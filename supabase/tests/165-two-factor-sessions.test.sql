-- Two-factor sessions: a person with a verified second factor is served only at aal2. A
-- password-only (aal1) session of theirs reads and writes nothing in any exposed table and gets
-- nothing from the RPCs; people without a verified factor (none, or one never verified) keep
-- working at aal1. The standing follows auth.mfa_factors as Auth writes it.
begin;
set local search_path = public, extensions;
select * from no_plan();

-- Acts as a signed-in person whose token carries `aal` (null: a token without the claim).
create function tests.authenticate_at(identifier text, aal text)
returns void
language plpgsql
as $$
begin
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', jsonb_strip_nulls(jsonb_build_object(
    'sub', tests.get_supabase_uid(identifier), 'role', 'authenticated', 'aal', aal,
    'email', identifier || '@test.local', 'aud', 'authenticated'))::text, true);
end
$$;
grant execute on function tests.authenticate_at(text, text) to authenticated;

-- A TOTP factor as Auth stores it (auth.mfa_factors).
create function tests.add_factor(identifier text, factor_status auth.factor_status)
returns uuid
language sql
as $$
  insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
  values (gen_random_uuid(), tests.get_supabase_uid(identifier), 'phone', 'totp', factor_status, now(), now(), 'SECRET')
  returning id
$$;

select tests.create_supabase_user('tess');   -- verified TOTP factor
select tests.create_supabase_user('paul');   -- no factor
select tests.create_supabase_user('una');    -- a factor enrolled but never verified
select tests.link_telegram('tess', 16501);
select tests.link_telegram('paul', 16502);
select tests.link_telegram('una', 16503);
select tests.add_factor('tess', 'verified');
select tests.add_factor('una', 'unverified');

insert into public.habits (id, owner_id, action, place, time, duration_seconds, is_public)
values ('f1650000-0000-0000-0000-000000000001', tests.get_supabase_uid('tess'), 'meditate', 'bedroom', '23:59', 60, true),
       ('f1650000-0000-0000-0000-000000000002', tests.get_supabase_uid('paul'), 'stretch', 'hall', '23:59', 60, false),
       ('f1650000-0000-0000-0000-000000000003', tests.get_supabase_uid('una'), 'read', 'sofa', '23:59', 60, false);
insert into public.habit_completions (habit_id, owner_id, occurrence_at)
values ('f1650000-0000-0000-0000-000000000001', tests.get_supabase_uid('tess'), '2026-01-01 23:59Z');
select tests.authenticate_at('tess', 'aal2');
select public.create_telegram_link_code();
select tests.as_postgres();

select ok(exists (select from private.two_factor_accounts where user_id = tests.get_supabase_uid('tess')),
  'a verified factor makes the account a two-factor account');
select ok(not exists (select from private.two_factor_accounts where user_id = tests.get_supabase_uid('una')),
  'an unverified factor does not');

-- ---------------------------------------------------------------- aal1 of a two-factor account
select tests.authenticate_at('tess', 'aal1');
select is_empty($$ select from public.profiles $$, 'aal1 of a two-factor account: its profile is hidden');
select is_empty($$ select from public.habits $$, 'aal1 of a two-factor account: its habits are hidden');
select is_empty($$ select from public.habit_completions $$, 'aal1 of a two-factor account: its completions are hidden');
select is_empty($$ select from public.notifications $$, 'aal1 of a two-factor account: its deliveries are hidden');
select is_empty($$ select from public.telegram_link_codes $$, 'aal1 of a two-factor account: its link codes are hidden');
select is_empty($$ select from public.public_habits $$,
  'aal1 of a two-factor account: not even the public habits (anon''s key gives those)');
select throws_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('run', 'park', '07:00', 60) $$,
  '42501', null, 'aal1 of a two-factor account: cannot create a habit');
select throws_ok($$ select public.create_telegram_link_code() $$, '42501', null,
  'aal1 of a two-factor account: cannot request a link code');
select is(public.disconnect_telegram(), null, 'aal1 of a two-factor account: disconnect_telegram finds no chat');
update public.profiles set timezone = 'Europe/Paris';
update public.habits set action = 'hacked';
delete from public.habit_completions;
delete from public.habits;
select tests.as_postgres();
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('tess')), 16501::bigint,
  'aal1 of a two-factor account: the chat stays linked');
select is((select timezone from public.profiles where id = tests.get_supabase_uid('tess')), 'UTC',
  'aal1 of a two-factor account: the profile is unchanged');
select is((select action from public.habits where id = 'f1650000-0000-0000-0000-000000000001'), 'meditate',
  'aal1 of a two-factor account: habits are unchanged and not deleted');
select is((select count(*)::int from public.habit_completions where owner_id = tests.get_supabase_uid('tess')), 1,
  'aal1 of a two-factor account: completions are not deleted');

select tests.authenticate_at('tess', null);
select is_empty($$ select from public.habits $$, 'a token without an aal claim counts as aal1');

-- ---------------------------------------------------------------- aal2 of a two-factor account
select tests.authenticate_at('tess', 'aal2');
select isnt_empty($$ select from public.profiles $$, 'aal2: the profile is back');
select isnt_empty($$ select from public.habits $$, 'aal2: the habits are back');
select isnt_empty($$ select from public.habit_completions $$, 'aal2: the completions are back');
select isnt_empty($$ select from public.notifications $$, 'aal2: the deliveries are back');
select isnt_empty($$ select from public.telegram_link_codes $$, 'aal2: the link codes are back');
select isnt_empty($$ select from public.public_habits $$, 'aal2: the public habits are back');
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('run', 'park', '07:00', 60) $$,
  'aal2: a habit can be created');
select lives_ok($$ select public.create_telegram_link_code() $$, 'aal2: a link code can be requested');

-- ---------------------------------------------------------------- people without a verified factor
select tests.authenticate_at('paul', 'aal1');
select isnt_empty($$ select from public.profiles $$, 'no factor: aal1 reads the profile');
select isnt_empty($$ select from public.habits $$, 'no factor: aal1 reads the habits');
select isnt_empty($$ select from public.public_habits $$, 'no factor: aal1 reads the public habits');
select lives_ok($$ insert into public.habits (action, place, time, duration_seconds) values ('run', 'park', '07:00', 60) $$,
  'no factor: aal1 creates a habit');
select tests.authenticate_at('una', 'aal1');
select isnt_empty($$ select from public.habits $$, 'an unverified factor: aal1 reads the habits');

-- ---------------------------------------------------------------- the standing follows Auth's table
select tests.as_postgres();
update auth.mfa_factors set status = 'verified', updated_at = now() where user_id = tests.get_supabase_uid('una');
select tests.authenticate_at('una', 'aal1');
select is_empty($$ select from public.habits $$, 'verifying a factor turns aal1 away at once');
select tests.as_postgres();
delete from auth.mfa_factors where user_id = tests.get_supabase_uid('una');
select tests.authenticate_at('una', 'aal1');
select isnt_empty($$ select from public.habits $$, 'removing the last verified factor lets aal1 in again');
-- The policies read private.two_factor_accounts as the person: they see their own row only, and
-- the schema itself stays closed to them.
select tests.authenticate_at('una', 'aal1');
select throws_ok($$ select from private.two_factor_accounts $$, '42501', null,
  'the standing table cannot be named through the API roles');
select tests.as_postgres();
delete from auth.users where id = tests.get_supabase_uid('tess');
select is_empty($$ select from private.two_factor_accounts where user_id = tests.get_supabase_uid('tess') $$,
  'a deleted account leaves no standing behind');

-- ---------------------------------------------------------------- statement timeouts
select results_eq($$ select r.rolname::text collate "default", cfg collate "default" from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
                     cross join unnest(s.setconfig) cfg
                     where r.rolname in ('anon', 'authenticated', 'authenticator') and cfg like 'statement_timeout=%'
                     order by 1 $$,
  $$ values ('anon', 'statement_timeout=3s'), ('authenticated', 'statement_timeout=8s'),
            ('authenticator', 'statement_timeout=8s') $$,
  'the Data API''s roles have statement timeouts: anon 3 s, authenticated and authenticator 8 s');

select * from finish();
rollback;
