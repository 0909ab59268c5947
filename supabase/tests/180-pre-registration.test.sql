-- Pre-registration: whoever typed the password before an address was confirmed, the first
-- confirmation clears it, ends every session and asks the person to choose a password. Updates
-- run as supabase_auth_admin, the role Auth writes auth.users with.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('victim');
select tests.create_supabase_user('settled');
-- Auth's role cannot call the test helpers, so the ids are kept in settings.
do $$
begin
  perform set_config('prereg.victim', tests.get_supabase_uid('victim')::text, true);
  perform set_config('prereg.settled', tests.get_supabase_uid('settled')::text, true);
  perform set_config('prereg.owner_hash', extensions.crypt('owner-P2', extensions.gen_salt('bf')), true);
  perform set_config('prereg.admin_hash', extensions.crypt('admin-set', extensions.gen_salt('bf')), true);
end
$$;

-- The stranger's sign-up: an unconfirmed user with the stranger's password (P1).
update auth.users set encrypted_password = extensions.crypt('stranger-P1', extensions.gen_salt('bf'))
where id = tests.get_supabase_uid('victim');
-- A session and a refresh token that exist before the confirmation, however they came to be.
insert into auth.sessions (id, user_id, created_at) values ('00000000-0000-4000-8000-000000000180', tests.get_supabase_uid('victim'), now());
insert into auth.refresh_tokens (token, user_id, revoked, session_id)
values ('prereg180tok', tests.get_supabase_uid('victim')::text, false, '00000000-0000-4000-8000-000000000180');
insert into auth.refresh_tokens (token, user_id, revoked) values ('prereg180old', tests.get_supabase_uid('victim')::text, false);

select is((select must_choose_password from public.profiles where id = tests.get_supabase_uid('victim')), false,
  'before any confirmation nobody is asked to choose a password');

-- What follows happens in later requests (later transactions) than the sign-ups above.
select set_config('habits.passwords_set_now', '', true);

set local role supabase_auth_admin;
-- GoTrue's User.Confirm (internal/models/user.go): UpdateOnly confirmation_token, email_confirmed_at.
update auth.users set confirmation_token = '', email_confirmed_at = now()
where id = current_setting('prereg.victim')::uuid;
reset role;

select is((select encrypted_password from auth.users where id = tests.get_supabase_uid('victim')), null,
  'the first confirmation clears the password typed before it, so the stranger''s P1 no longer signs in');
select is((select count(*)::int from auth.sessions where user_id = tests.get_supabase_uid('victim')), 0,
  'the first confirmation ends every session of the account');
select is((select count(*)::int from auth.refresh_tokens where user_id = tests.get_supabase_uid('victim')::text), 0,
  'the first confirmation revokes every refresh token, with or without a session');
select is((select must_choose_password from public.profiles where id = tests.get_supabase_uid('victim')), true,
  'the first confirmation asks the person to choose a password');

set local role supabase_auth_admin;
update auth.users set encrypted_password = current_setting('prereg.owner_hash')
where id = current_setting('prereg.victim')::uuid;
reset role;
select is((select must_choose_password from public.profiles where id = tests.get_supabase_uid('victim')), false,
  'choosing a password clears the request');
select ok((select encrypted_password = extensions.crypt('owner-P2', encrypted_password) from auth.users
  where id = tests.get_supabase_uid('victim')), 'the chosen password is kept');

-- A later confirmation (a recovery link re-confirming, an e-mail change) changes nothing.
set local role supabase_auth_admin;
update auth.users set email_confirmed_at = now() where id = current_setting('prereg.victim')::uuid;
reset role;
select isnt((select encrypted_password from auth.users where id = tests.get_supabase_uid('victim')), null,
  'only the first confirmation clears the password');
select is((select must_choose_password from public.profiles where id = tests.get_supabase_uid('victim')), false,
  'a later confirmation asks for nothing');

-- An admin creating a confirmed user with a password: created and confirmed in one transaction.
set local role supabase_auth_admin;
insert into auth.users (id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data)
values ('00000000-0000-4000-8000-000000000181', 'authenticated', 'authenticated', 'admin-made@test.local',
  current_setting('prereg.admin_hash'), '{}', '{}');
update auth.users set email_confirmed_at = now() where id = '00000000-0000-4000-8000-000000000181';
reset role;
select is((select encrypted_password::text from auth.users where id = '00000000-0000-4000-8000-000000000181'),
  current_setting('prereg.admin_hash'),
  'a user created and confirmed in one transaction (an admin, or confirmations off) keeps the password set with it');
select is((select must_choose_password from public.profiles where id = '00000000-0000-4000-8000-000000000181'), false,
  'and is not asked to choose another');
select set_config('habits.passwords_set_now', '', true);

-- Confirming and setting a password in one update (an admin doing both) keeps that password.
set local role supabase_auth_admin;
update auth.users set email_confirmed_at = now(),
  encrypted_password = current_setting('prereg.admin_hash')
where id = current_setting('prereg.settled')::uuid;
reset role;
select isnt((select encrypted_password from auth.users where id = tests.get_supabase_uid('settled')), null,
  'a password set by the confirming update itself was not typed before it, and stays');
select is((select must_choose_password from public.profiles where id = tests.get_supabase_uid('settled')), false,
  'nor is that person asked to choose another');

-- Users cannot lift the request themselves.
select tests.authenticate_as('victim');
select throws_ok($$ update public.profiles set must_choose_password = false $$, '42501', null,
  'users cannot change must_choose_password through the Data API');

select * from finish();
rollback;
