-- What a claim costs when it claims few (issue 27): the planner took every set-returning function
-- for 1,000 rows, so private.claim_messages joined the claimed messages to the outbox and to the
-- profiles by hashing both tables whole (a scan of every notification and profile per claim,
-- 5 ms of a claim of one with 20,000 of each, growing with the tables). A claim returns at most
-- its batch (the dispatcher's is 30 to 500): estimated at 100, the joins look the rows up by key.
-- A claim without reminders or digests computes no streak or digest set at all.

alter function private.claim_notifications(integer, interval) rows 100;
alter function private.streaks_for_messages(uuid[]) rows 100;
alter function private.digests_for_messages(uuid[]) rows 10;

create or replace function private.streaks_for_messages(habits uuid[])
returns table(habit_id uuid, streak integer)
language plpgsql
stable
rows 100
set search_path = ''
as $$
declare
  ids uuid[];
  streaks integer[];
begin
  if coalesce(cardinality(habits), 0) = 0 then
    return;
  end if;
  begin
    select array_agg(s.habit_id), array_agg(s.streak) into ids, streaks
    from private.current_streaks(habits) s;
  exception when others then
    select array_agg(d.habit_id), array_agg(private.streak_for_message(d.habit_id)) into ids, streaks
    from (select distinct u.habit_id from unnest(habits) u(habit_id) where u.habit_id is not null) d;
  end;
  return query select u.habit_id, u.streak from unnest(ids, streaks) u(habit_id, streak);
end
$$;

create or replace function private.digests_for_messages(owners uuid[])
returns table(owner_id uuid, digest jsonb)
language plpgsql
stable
rows 10
set search_path = ''
as $$
declare
  ids uuid[];
  digests jsonb[];
begin
  if coalesce(cardinality(owners), 0) = 0 then
    return;
  end if;
  begin
    select array_agg(d.owner_id), array_agg(d.digest) into ids, digests
    from private.weekly_digests(owners) d;
  exception when others then
    select array_agg(d.owner_id), array_agg(private.digest_for_message(d.owner_id)) into ids, digests
    from (select distinct u.owner_id from unnest(owners) u(owner_id) where u.owner_id is not null) d;
  end;
  return query select u.owner_id, u.digest from unnest(ids, digests) u(owner_id, digest);
end
$$;
