-- =====================================================================================
-- Time zones: canonical IANA names only
-- pg_timezone_names also lists files of the server's zoneinfo tree that are not IANA zones a
-- person lives in: `localtime` (follows the server), `posixrules`, `Factory`, the `posix/…` and
-- `right/…` copies, and old aliases (`US/Pacific`, `EST5EDT`, `Japan`). A profile accepts `UTC`
-- and the Area/Location names (with Etc/…), which is what browsers offer.
--
-- is_known_time_zone becomes SECURITY INVOKER over a literal list taken from pg_timezone_names
-- when this migration runs: the profiles CHECK calls it as the signed-in user, and it needs no
-- table, no schema and no elevated rights (Supabase's advisor flags SECURITY DEFINER functions
-- that authenticated can execute). A zone that later stops resolving on the server is isolated
-- by the reminder tick (20261130120500), not by this check.
-- =====================================================================================

do $migration$
declare
  canonical text[];
begin
  select array_agg(name order by name) into canonical
  from pg_catalog.pg_timezone_names
  where name = 'UTC'
     or name ~ '^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)?$';
  execute format($f$
    create or replace function private.is_known_time_zone(zone text)
    returns boolean
    language sql immutable parallel safe
    security invoker
    set search_path = ''
    as $body$ select zone is not null and zone = any (%L::text[]) $body$
  $f$, canonical);
end
$migration$;
comment on function private.is_known_time_zone(text) is
  'True for UTC and canonical Area/Location IANA zone names the server knew when migrated.';

delete from private.time_zone_names where not private.is_known_time_zone(name);

-- Profiles that chose a zone that is no longer accepted move to UTC (their reminders follow).
update public.profiles set timezone = 'UTC' where not private.is_known_time_zone(timezone);
