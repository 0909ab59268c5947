-- Roles and default privileges as a Supabase project has them before any migration runs.
-- The API roles never log in themselves: the Data API connects as `authenticator` and
-- switches to one of them per request (SET LOCAL ROLE), exactly as PostgREST does.

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;

-- GoTrue's own role; the devstack's Auth server connects as it.
create role supabase_auth_admin login noinherit createrole;

-- Supabase exposes schema public to the API roles and grants them everything created in it
-- by postgres. That is why a table without RLS is readable by anyone holding the anon key, and
-- why every migration here enables RLS and narrows grants explicitly.
grant usage on schema public to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to anon, authenticated, service_role;

-- Supabase keeps extensions out of the exposed schema.
create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema extensions grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema extensions grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema extensions grant all on sequences to postgres, anon, authenticated, service_role;

create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;

alter role postgres set search_path = "$user", public, extensions;
alter role authenticator set statement_timeout = '8s';
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
