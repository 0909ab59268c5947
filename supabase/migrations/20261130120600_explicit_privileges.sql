-- =====================================================================================
-- Privileges, explicitly
-- `alter default privileges in schema private revoke execute on functions from public` does not
-- do what it says: the EXECUTE that PUBLIC gets on new functions is a global default, which a
-- per-schema entry cannot take away. Every private function was executable by PUBLIC, and only
-- the missing USAGE on schema private stood in the way. anon and authenticated also held
-- USAGE/SELECT/UPDATE on the identity sequences (as anon, setval(…) broke every later insert).
-- Identity columns draw from their sequence without privileges on it, so nobody loses anything.
-- supabase/tests/080-privileges.test.sql lists what anon and authenticated can still use.
-- =====================================================================================

-- Functions created from now on by the migrating role: no EXECUTE for PUBLIC. Schema public keeps
-- Supabase's per-schema grants to anon, authenticated and service_role.
alter default privileges revoke execute on functions from public;

revoke execute on all functions in schema private from public, anon, authenticated;
-- The service role (edge functions, scripts) may call every helper, as it could before.
grant execute on all functions in schema private to service_role;
-- The one helper a signed-in user's statement runs: the time-zone CHECK on profiles.
grant execute on function private.is_known_time_zone(text) to authenticated;

revoke all on all sequences in schema public from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
