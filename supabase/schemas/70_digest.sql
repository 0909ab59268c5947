-- The weekly digest: when it is due and what it says.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- The latest digest instant at or before `at`: `weekday` at `local_time` in `time_zone`. A local
-- time skipped by a DST change resolves as Postgres resolves it (an hour later).
create function private.digest_due_at(weekday integer, local_time time without time zone, time_zone text, at timestamp with time zone) returns timestamp with time zone
    language sql stable
    set search_path to ''
    as $$
  select case when candidate <= at then candidate
    else ((local_day - 7 + local_time) at time zone time_zone) end
  from (
    select local_day, (local_day + local_time) at time zone time_zone as candidate
    from (
      select today - ((extract(dow from today)::integer - weekday + 7) % 7) as local_day
      from (select (at at time zone time_zone)::date as today) t
    ) d
  ) c
$$;

create function private.digest_for_message(owner uuid) returns jsonb
    language plpgsql stable
    set search_path to ''
    as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object('action', w.action, 'is_paused', w.is_paused, 'streak', w.streak,
      'week_marks', w.week_marks, 'week_done', w.week_done, 'week_due', w.week_due)), '[]'::jsonb)
    from private.habit_streaks(owner) w
  );
exception when others then
  return null;
end
$$;

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

-- Queues the digests due at `at` (at most `reminder_grace_minutes` late) for everyone who opted
-- in, has a linked chat and at least one habit. Each distinct zone is tried once, and no zone
-- conversion is evaluated for one that does not resolve: such a subscriber's digest is recorded
-- as skipped with the reason, once a week, in their own history, and nobody else's is touched.
-- That record does not count as the week's digest, so the next one after choosing a zone goes out.
create function private.enqueue_weekly_digests(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  grace constant interval := make_interval(mins => private.reminder_tick_setting('reminder_grace_minutes'));
  queued integer;
begin
  with subscribers as materialized (
    select p.id, p.timezone, p.digest_weekday, p.digest_time
    from public.profiles p
    where p.weekly_digest and p.telegram_chat_id is not null
      and exists (select 1 from public.habits h where h.owner_id = p.id)
  ),
  zones as materialized (
    select distinct s.timezone from subscribers s
  ),
  resolvable as materialized (
    select z.timezone from zones z where private.time_zone_resolves(z.timezone)
  ),
  on_time as materialized (
    select s.id, s.digest_weekday, s.digest_time, s.timezone from subscribers s
    where s.timezone in (select r.timezone from resolvable r)
  ),
  due as materialized (
    select o.id, private.digest_due_at(o.digest_weekday, o.digest_time, o.timezone, at) as due_at
    from on_time o
  ),
  queued_rows as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at)
    select null, due.id, 'weekly_digest', due.due_at, due.due_at
    from due
    where due.due_at > at - grace
      and not exists (
        select 1 from public.notifications n
        where n.owner_id = due.id and n.kind = 'weekly_digest' and n.due_at > due.due_at - interval '6 days'
          and coalesce(n.last_error, '') not like 'time_zone_unresolvable:%'
      )
    on conflict (owner_id, due_at) where kind = 'weekly_digest' do nothing
    returning 1
  ),
  unresolvable as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, status, last_error)
    select null, s.id, 'weekly_digest', at, 'skipped',
      format('time_zone_unresolvable: time zone "%s" cannot be resolved on the server; the weekly digest is paused until a zone is chosen again', s.timezone)
    from subscribers s
    where s.timezone not in (select r.timezone from resolvable r)
      and not exists (
        select 1 from public.notifications n
        where n.owner_id = s.id and n.kind = 'weekly_digest' and n.due_at > at - interval '7 days'
      )
    on conflict (owner_id, due_at) where kind = 'weekly_digest' do nothing
  )
  select count(*)::integer into queued from queued_rows;
  return queued;
end
$$;

create unique index notifications_digest_once_per_instant on public.notifications using btree (owner_id, due_at) where (kind = 'weekly_digest'::text);

create index profiles_weekly_digest_idx on public.profiles using btree (id) where (weekly_digest and (telegram_chat_id is not null));
