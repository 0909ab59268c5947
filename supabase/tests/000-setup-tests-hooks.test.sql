-- Test helpers in the style of basejump's supabase-test-helpers: create users, act as a user,
-- as the service role or as anon. This file commits (unlike the others) so that the helpers
-- exist for every later file; pg_prove runs the files in name order. Schema `tests` is never
-- exposed through the Data API.
set client_min_messages = warning;
create extension if not exists pgtap with schema extensions;
create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- Creates an auth user (the sign-up trigger creates the profile) and returns its id.
create or replace function tests.create_supabase_user(identifier text, time_zone text default 'UTC')
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  user_id uuid := gen_random_uuid();
begin
  insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
  values (user_id, 'authenticated', 'authenticated', identifier || '@test.local',
    '{"provider":"email","providers":["email"]}',
    jsonb_build_object('test_identifier', identifier, 'timezone', time_zone), now(), now());
  return user_id;
end
$$;

create or replace function tests.get_supabase_uid(identifier text)
returns uuid
language sql stable
security definer
set search_path = ''
as $$
  select id from auth.users where raw_user_meta_data ->> 'test_identifier' = identifier
$$;

-- Links a Telegram chat as the linking function will (habits need one).
create or replace function tests.link_telegram(identifier text, chat_id bigint)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.profiles
  set telegram_chat_id = chat_id, telegram_linked_at = now()
  where id = tests.get_supabase_uid(identifier)
$$;

-- Act as a signed-in user for the rest of the transaction, as the Data API would.
create or replace function tests.authenticate_as(identifier text)
returns void
language plpgsql
as $$
begin
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', json_build_object(
    'sub', tests.get_supabase_uid(identifier), 'role', 'authenticated',
    'email', identifier || '@test.local', 'aud', 'authenticated')::text, true);
end
$$;

create or replace function tests.authenticate_as_service_role()
returns void
language plpgsql
as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
end
$$;

-- Act as a visitor holding only the anon key.
create or replace function tests.clear_authentication()
returns void
language plpgsql
as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '{"role":"anon"}', true);
end
$$;

-- Back to the test runner's own role (postgres), e.g. to inspect rows RLS hides.
create or replace function tests.as_postgres()
returns void
language plpgsql
as $$
begin
  perform set_config('role', 'postgres', true);
  perform set_config('request.jwt.claims', '', true);
end
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(4);
select has_function('tests', 'create_supabase_user', array['text', 'text'], 'tests.create_supabase_user exists');
select has_function('tests', 'authenticate_as', array['text'], 'tests.authenticate_as exists');
select has_function('tests', 'authenticate_as_service_role', 'tests.authenticate_as_service_role exists');
select has_function('tests', 'clear_authentication', 'tests.clear_authentication exists');
select * from finish();
rollback;
