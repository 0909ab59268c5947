-- =====================================================================================
-- Private schema and time helpers
-- Helpers live in `private`, which the Data API does not expose and API roles cannot use.
-- =====================================================================================

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to service_role;
alter default privileges in schema private revoke execute on functions from public;

-- Known IANA zone names, captured from pg_timezone_names when this migration runs.
-- Reading pg_timezone_names costs tens of milliseconds per call (it walks the zone files), far
-- too much for a CHECK constraint; the snapshot makes the common case an index lookup.
create table private.time_zone_names (
  name text primary key
);
insert into private.time_zone_names (name)
select name from pg_catalog.pg_timezone_names;

-- True when `zone` is an IANA time-zone name Postgres knows. Zones added to the system's
-- tz database after this migration fall back to the slow but always current catalog.
create function private.is_known_time_zone(zone text)
returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select zone is not null and (
    exists (select from private.time_zone_names where name = zone)
    or exists (select from pg_catalog.pg_timezone_names where name = zone)
  )
$$;

-- The first occurrence strictly after `after` of a habit done at wall-clock `local_time` in
-- `time_zone`, on the grid of every `interval_days` days starting at `anchor_date` (a local date).
-- The local timestamp is built on the real calendar date and only then converted, so the result
-- follows DST: 07:00 in Berlin is 06:00 UTC in winter and 05:00 UTC in summer. A wall-clock time
-- that does not exist on a spring-forward day is moved forward by the gap (02:30 becomes 03:30).
create function private.next_occurrence(
  local_time time,
  interval_days integer,
  anchor_date date,
  time_zone text,
  after timestamptz
)
returns timestamptz
language plpgsql stable
set search_path = ''
as $$
declare
  days_since_anchor integer := (after at time zone time_zone)::date - anchor_date;
  candidate_date date := anchor_date;
  candidate timestamptz;
begin
  if interval_days is null or interval_days < 1 then
    raise exception 'interval_days must be at least 1, got %', interval_days;
  end if;
  if days_since_anchor > 0 then
    -- first grid date on or after the local date of `after`
    candidate_date := anchor_date + ((days_since_anchor + interval_days - 1) / interval_days) * interval_days;
  end if;
  candidate := (candidate_date + local_time) at time zone time_zone;
  if candidate <= after then
    candidate := ((candidate_date + interval_days) + local_time) at time zone time_zone;
  end if;
  return candidate;
end
$$;

-- Keeps updated_at current on any table that has one.
create function private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- Raises a rule violation the way a CHECK constraint does (SQLSTATE 23514, named rule in the
-- message) so clients map every rule, whether a CHECK or a trigger enforces it, by one pattern:
-- violates (check constraint|rule) "<identifier>".
create function private.raise_rule_violation(relation text, rule text, explanation text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = 'check_violation',
    message = format('new row for relation "%s" violates rule "%s"', relation, rule),
    detail = explanation,
    constraint = rule,
    table = relation,
    schema = 'public';
end
$$;
