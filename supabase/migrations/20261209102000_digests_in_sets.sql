-- A claim's digests in one statement (issue 27): private.claim_messages asked
-- private.digest_for_message once per claimed digest, each a subtransaction walking every habit
-- of its owner through private.habit_streaks. private.weekly_digests gives what
-- digest_for_message gives for every owner of the claim at once, over private.streak_marks_of
-- (held to private.streak_marks by supabase/tests/246-streaks-in-sets.test.sql); a set that
-- fails (one person's data) falls back to the isolated per-owner path.

-- Each distinct owner's digest week: per habit (by time, then action) its action, whether it is
-- paused, its current streak, this week's marks, how many of them were done and how many were due.
create function private.weekly_digests(owners uuid[])
returns table(owner_id uuid, digest jsonb)
language sql
stable
set search_path = ''
as $$
  with wanted as materialized (
    select distinct u.owner_id from unnest(weekly_digests.owners) u(owner_id) where u.owner_id is not null
  ),
  owned as materialized (
    select h.id, h.owner_id, h.action, h.is_paused, h.time from public.habits h
    where h.owner_id in (select w.owner_id from wanted w)
  ),
  counted as materialized (
    select m.habit_id, m.day, m.mark, m.days_ago < 7 as this_week,
      max(m.day) filter (where m.mark = 'missed') over (partition by m.habit_id) as last_miss
    from private.streak_marks_of(array(select o.id from owned o), now(), private.streak_lookback()) m
  ),
  weeks as (
    select c.habit_id,
      count(*) filter (where c.mark = 'done' and c.day > coalesce(c.last_miss, '-infinity'::date))::integer as streak,
      coalesce(string_agg(case c.mark when 'done' then '✅' when 'missed' then '❌' else '⏳' end, '' order by c.day)
        filter (where c.this_week), '') as week_marks,
      count(*) filter (where c.this_week and c.mark = 'done')::integer as week_done,
      count(*) filter (where c.this_week and c.mark <> 'pending')::integer as week_due
    from counted c
    group by c.habit_id
  )
  select w.owner_id, coalesce(a.digest, '[]'::jsonb)
  from wanted w
  left join (
    select o.owner_id, jsonb_agg(jsonb_build_object('action', o.action, 'is_paused', o.is_paused,
        'streak', coalesce(k.streak, 0), 'week_marks', coalesce(k.week_marks, ''),
        'week_done', coalesce(k.week_done, 0), 'week_due', coalesce(k.week_due, 0))
      order by o.time, o.action) as digest
    from owned o left join weeks k on k.habit_id = o.id
    group by o.owner_id
  ) a on a.owner_id = w.owner_id
$$;

-- What a claim's digests show: each distinct owner's week, computed as one set. When the set
-- fails (one person's data), each owner's is computed on its own in its own subtransaction
-- (private.digest_for_message): the one that fails gets null (recorded as skipped), the others
-- their week.
create function private.digests_for_messages(owners uuid[])
returns table(owner_id uuid, digest jsonb)
language plpgsql
stable
set search_path = ''
as $$
declare
  ids uuid[];
  digests jsonb[];
begin
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

revoke all on function private.weekly_digests(uuid[]) from public;
grant all on function private.weekly_digests(uuid[]) to service_role;
revoke all on function private.digests_for_messages(uuid[]) from public;
grant all on function private.digests_for_messages(uuid[]) to service_role;

-- The claim in one call, its reminders' streaks and its digests each as one set.
create or replace function private.claim_messages(batch_size integer default 50, lease interval default '00:02:00'::interval) returns table(id bigint, kind text, attempts integer, due_at timestamp with time zone, habit_id uuid, chat_id bigint, timezone text, action text, place text, local_time text, interval_days smallint, duration_seconds smallint, reward text, is_pleasant boolean, is_paused boolean, pleasant_action text, pleasant_place text, language text, streak integer, digest jsonb)
    language sql
    set search_path to ''
    as $$
  with claimed as materialized (
    select c.*, n.owner_id
    from private.claim_notifications(batch_size, lease) c
    join public.notifications n on n.id = c.id
  ),
  streaks as materialized (
    select s.habit_id, s.streak
    from private.streaks_for_messages(array(
      select c.habit_id from claimed c where c.kind in ('reminder', 'snoozed_reminder'))) s
  ),
  digests as materialized (
    select d.owner_id, d.digest
    from private.digests_for_messages(array(select c.owner_id from claimed c where c.kind = 'weekly_digest')) d
  )
  select c.id, c.kind, c.attempts, c.due_at, c.habit_id, c.chat_id, c.timezone, c.action, c.place,
    c.local_time::text, c.interval_days, c.duration_seconds, c.reward, c.is_pleasant, c.is_paused,
    c.pleasant_action, c.pleasant_place, p.language,
    case when c.kind in ('reminder', 'snoozed_reminder') then coalesce(s.streak, 0) else 0 end,
    case when c.kind = 'weekly_digest' then d.digest end
  from claimed c
  join public.profiles p on p.id = c.owner_id
  left join streaks s on s.habit_id = c.habit_id and c.kind in ('reminder', 'snoozed_reminder')
  left join digests d on d.owner_id = c.owner_id and c.kind = 'weekly_digest'
  order by c.kind <> 'habit_created', c.due_at
$$;
