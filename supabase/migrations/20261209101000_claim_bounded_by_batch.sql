-- The claim's cost bounded by its batch, not by the backlog (issue 27, "the ceiling"):
-- private.claim_notifications ranked every deliverable row by chat on every claim (20 ms of a
-- 35 ms claim of 500 with 20,000 queued). It now ranks a window: the first rows of the queue in
-- its own order ("habit created" first, then next_attempt_at, id), read through two ordered
-- index ranges, and the rows in flight. Within such a prefix each chat's rows are a prefix of
-- the chat's queue, so their places in the chat are the true ones; and once the window holds at
-- least a batch of chats' first messages, every message the whole queue would choose lies in it.
-- Until it does (a window filled by a few heavy chats), the window doubles: the answer is exactly
-- the whole queue's, and the cost grows with the rows of the chats ahead, not with the backlog.

-- The queue's order needs its id as well, or a burst due at one instant is one tie to sort whole.
drop index public.notifications_deliverable_idx;
create index notifications_deliverable_idx on public.notifications using btree (next_attempt_at, id)
  where (status = any (array['pending'::text, 'retry'::text, 'sending'::text]));
-- "Habit created" messages go first, however late they were queued.
create index notifications_deliverable_habit_created_idx on public.notifications using btree (next_attempt_at, id)
  where (status = any (array['pending'::text, 'retry'::text, 'sending'::text]) and kind = 'habit_created'::text);

-- Which messages a claim of `batch_size` takes, in the order it takes them: each chat's first
-- before any chat's second, at most two in flight per chat (its rows in flight count), "habit
-- created" first, then the longest waiting. Reads a window of the queue (see above).
create function private.choose_claimable(batch_size integer)
returns bigint[]
language plpgsql
stable
set search_path = ''
as $$
declare
  -- No batch size: no limit, as LIMIT NULL (the window is the whole queue).
  window_size integer := case when batch_size is not null then greatest(batch_size, 1) * 2 end;
  chosen bigint[];
  chats_first integer;
  seen integer;
begin
  loop
    with candidates as (
      (select d.id, d.owner_id, d.kind, d.next_attempt_at from public.notifications d
       where d.status in ('pending', 'retry', 'sending') and d.kind = 'habit_created' and d.next_attempt_at <= now()
       order by d.next_attempt_at, d.id limit window_size)
      union all
      (select d.id, d.owner_id, d.kind, d.next_attempt_at from public.notifications d
       where d.status in ('pending', 'retry', 'sending') and d.kind <> 'habit_created' and d.next_attempt_at <= now()
       order by d.next_attempt_at, d.id limit window_size)
    ),
    queue_window as (
      select c.id, c.owner_id, c.kind, c.next_attempt_at, false as in_flight from candidates c
      order by c.kind <> 'habit_created', c.next_attempt_at, c.id
      limit window_size
    ),
    ranked as materialized (
      select n.id, n.kind, n.next_attempt_at, n.in_flight,
        row_number() over (
          partition by n.owner_id order by n.in_flight desc, n.kind <> 'habit_created', n.next_attempt_at, n.id
        ) as place_in_chat
      from (
        select * from queue_window
        union all
        select f.id, f.owner_id, f.kind, f.next_attempt_at, true from public.notifications f
        where f.status = 'sending' and f.next_attempt_at > now()
      ) n
    )
    select array(
        select r.id from ranked r
        where not r.in_flight and r.place_in_chat <= 2
        order by r.place_in_chat, r.kind <> 'habit_created', r.next_attempt_at, r.id
        limit batch_size),
      (select count(*)::integer from ranked r where not r.in_flight and r.place_in_chat = 1),
      (select count(*)::integer from ranked r where not r.in_flight)
    into chosen, chats_first, seen;
    -- Enough chats' first messages, or the whole queue was in the window.
    exit when batch_size is null or chats_first >= batch_size or seen < window_size;
    window_size := window_size * 2;
  end loop;
  return chosen;
end
$$;

revoke all on function private.choose_claimable(integer) from public;
grant all on function private.choose_claimable(integer) to service_role;

-- The claim takes what private.choose_claimable chose; the rest is as before.
create or replace function private.claim_notifications(batch_size integer default 50, lease interval default '00:02:00'::interval) returns table(id bigint, kind text, attempts integer, due_at timestamp with time zone, occurrence_at timestamp with time zone, habit_id uuid, chat_id bigint, timezone text, action text, place text, local_time time without time zone, interval_days smallint, duration_seconds smallint, reward text, is_pleasant boolean, is_paused boolean, pleasant_action text, pleasant_place text)
    language sql
    set search_path to ''
    as $$
  with claimable as materialized (
    select n.id, n.kind, p.timezone from public.notifications n
    join public.profiles p on p.id = n.owner_id
    where n.id = any ((select private.choose_claimable(batch_size))::bigint[])
      and n.status in ('pending', 'retry', 'sending') and n.next_attempt_at <= now()
    for update of n skip locked
  ),
  zones as materialized (
    select distinct c.timezone from claimable c where c.kind <> 'habit_created'
  ),
  unresolvable as materialized (
    select z.timezone from zones z where not private.time_zone_resolves(z.timezone)
  ),
  claimed as (
    update public.notifications n
    set status = case when u.timezone is null then 'sending' else 'skipped' end,
      last_error = case when u.timezone is null then n.last_error
        else format('time_zone_unresolvable: time zone "%s" cannot be resolved on the server', u.timezone) end,
      attempts = n.attempts + case when u.timezone is null then 1 else 0 end,
      next_attempt_at = case when u.timezone is null then now() + lease else n.next_attempt_at end,
      lease_until = case when u.timezone is null then now() + lease else n.lease_until end,
      -- Still 'sending': the run that claimed it died, perhaps after sending it.
      maybe_delivered_attempts = n.maybe_delivered_attempts
        + case when n.status = 'sending' and u.timezone is null then 1 else 0 end
    from claimable c
    left join unresolvable u on u.timezone = c.timezone and c.kind <> 'habit_created'
    where n.id = c.id
    returning n.*
  )
  select c.id, c.kind, c.attempts, c.due_at, c.occurrence_at, c.habit_id, p.telegram_chat_id, p.timezone,
    h.action, h.place, h.time, h.interval_days, h.duration_seconds, h.reward, h.is_pleasant, h.is_paused,
    pleasant.action, pleasant.place
  from claimed c
  left join public.habits h on h.id = c.habit_id
  join public.profiles p on p.id = c.owner_id
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  where c.status = 'sending'
  order by c.kind <> 'habit_created', c.due_at
$$;
