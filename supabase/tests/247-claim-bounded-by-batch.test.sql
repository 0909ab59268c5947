-- A claim reads a window of the queue, not the whole backlog (issue 27, "the ceiling"), and still
-- chooses exactly what ranking the whole queue chose (the definition before, kept here as the
-- reference): each chat's first message before any chat's second, at most two in flight per chat
-- (its rows in flight count), "habit created" first, then the longest waiting, by id on ties.
-- Random queues with heavy chats at the front, ties, stale claims of dead runs, rows in flight
-- and rows not due yet; batches from 1 to more than the queue.
begin;
set local search_path = public, extensions;
select * from no_plan();

create temp table sample_seed as select random() * 2 - 1 as seed;
select setseed((select seed from sample_seed));
select diag('random sample seed: ' || (select seed from sample_seed));

-- The whole-queue ranking the claim used before (20261207100000_per_person_tick_isolation.sql).
create function pg_temp.reference_choice(batch_size integer) returns bigint[] language sql stable as $$
  with queue as (
    select n.id, n.next_attempt_at, n.kind,
      n.status = 'sending' and n.next_attempt_at > now() as in_flight,
      row_number() over (
        partition by n.owner_id
        order by n.status = 'sending' and n.next_attempt_at > now() desc,
          n.kind <> 'habit_created', n.next_attempt_at, n.id
      ) as place_in_chat
    from (
      select * from public.notifications d
      where d.status in ('pending', 'retry', 'sending') and d.next_attempt_at <= now()
      union all
      select * from public.notifications f
      where f.status = 'sending' and f.next_attempt_at > now()
    ) n
  )
  select array(
    select q.id from queue q
    where not q.in_flight and q.place_in_chat <= 2
    order by q.place_in_chat, q.kind <> 'habit_created', q.next_attempt_at, q.id
    limit batch_size)
$$;

update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending');

select tests.create_supabase_user('bounded-' || n, 'UTC') from generate_series(1, 40) n;
select tests.link_telegram('bounded-' || n, 24700 + n) from generate_series(1, 40) n;
set local session_replication_role = replica;
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('bounded-' || n), 'bounded-' || n, 'home', '07:00', 30 from generate_series(1, 40) n;

create function pg_temp.fill_queue() returns void language sql as $$
  delete from public.notifications n using public.habits h where h.id = n.habit_id and h.action like 'bounded-%';
  -- Chats 1-3 are heavy (150-250 messages each, the longest waiting); the rest hold 0-6.
  insert into public.notifications (habit_id, owner_id, kind, due_at, status, next_attempt_at)
  select h.id, h.owner_id, k.kind, '2026-06-01 07:00Z'::timestamptz + make_interval(secs => i), k.status, k.next_attempt_at
  from generate_series(1, 40) c
  join public.habits h on h.action = 'bounded-' || c
  cross join lateral generate_series(1, case when c <= 3 then 150 + floor(random() * 100)::int
                                          else floor(random() * 7)::int end) i
  cross join lateral (select random() as r, random() as s) d
  cross join lateral (select
    case when d.r < 0.1 then 'habit_created' when d.r < 0.2 then 'snoozed_reminder' else 'reminder' end as kind,
    case when d.s < 0.08 then 'sending' when d.s < 0.16 then 'retry' else 'pending' end as status,
    case when d.s < 0.04 then now() + interval '2 minutes'                           -- in flight
         when d.s > 0.95 then now() + interval '10 minutes'                          -- not due yet
         when c <= 3 then now() - interval '1 hour' - (floor(random() * 3) || ' minutes')::interval
         else now() - (floor(random() * 5) || ' minutes')::interval end as next_attempt_at) k;
$$;

create temp table outcomes (r int, batch int, same boolean, chosen int);
do $$
declare
  b integer;
begin
  for r in 1..8 loop
    perform pg_temp.fill_queue();
    foreach b in array array[1, 2, 3, 7, 20, 33, 50, 120, 500, 5000] loop
      insert into outcomes
      select r, b, private.choose_claimable(b) = pg_temp.reference_choice(b), cardinality(private.choose_claimable(b));
    end loop;
  end loop;
end
$$;
set local session_replication_role = origin;

select is_empty($$ select * from outcomes where not same $$,
  'the windowed choice equals the whole-queue ranking for every queue and batch');
select ok((select count(distinct chosen) from outcomes) > 8 and (select max(chosen) from outcomes) > 50,
  'over batches that take a few, many and every claimable message');
select is(private.choose_claimable(0), '{}'::bigint[], 'a batch of 0 chooses nothing');
select is(private.choose_claimable(null), pg_temp.reference_choice(null), 'no batch size: every claimable message');

-- A burst due at one instant: ties are broken by id, as before.
update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending');
set local session_replication_role = replica;
insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at)
select null, p.id, 'reply', '2026-06-01 07:00Z'::timestamptz + make_interval(secs => i), now() - interval '1 minute'
from public.profiles p
cross join generate_series(1, 5) i
where p.telegram_chat_id between 24701 and 24740;
set local session_replication_role = origin;
analyze public.notifications;
select is(private.choose_claimable(10), pg_temp.reference_choice(10), 'ties at one instant are broken by id');

select * from finish();
rollback;
