-- The notifications outbox and its delivery: claims, leases, per-chat send slots, requeues.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- Takes or renews the dispatcher lease for `holder`. False while another run holds it.
create function private.acquire_dispatcher_lease(holder uuid, lease interval default '00:00:15'::interval) returns boolean
    language sql
    set search_path to ''
    as $$
  select private.hold_dispatcher_lease(holder, lease) is not null
$$;

-- Raises dispatcher_lease_lost unless `lease_generation` still holds the dispatcher lease. The
-- lease row stays locked (FOR SHARE) until the caller's transaction ends, so no takeover can slip
-- between this check and the caller's writes.
create function private.check_dispatcher_generation(lease_generation bigint) returns void
    language plpgsql
    set search_path to ''
    as $$
begin
  perform from private.reminder_dispatcher d where d.generation = lease_generation for share;
  if not found then
    raise exception 'dispatcher_lease_lost: generation % no longer holds the dispatcher lease', lease_generation
      using hint = 'another run took the lease over; it sends what this run had claimed';
  end if;
end
$$;

-- The dispatcher's claim in one call: the claimed messages with the owner's language, each
-- reminder's streak and each digest's week, each computed as one set per claim
-- (private.streaks_for_messages, private.digests_for_messages).
create function private.claim_messages(batch_size integer default 50, lease interval default '00:02:00'::interval) returns table(id bigint, kind text, attempts integer, due_at timestamp with time zone, habit_id uuid, chat_id bigint, timezone text, action text, place text, local_time text, interval_days smallint, duration_seconds smallint, reward text, is_pleasant boolean, is_paused boolean, pleasant_action text, pleasant_place text, language text, streak integer, digest jsonb)
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

-- private.claim_messages for the holder of generation `lease_generation` only.
create function private.claim_messages_fenced(lease_generation bigint, batch_size integer default 50, lease interval default '00:02:00'::interval) returns table(id bigint, kind text, attempts integer, due_at timestamp with time zone, habit_id uuid, chat_id bigint, timezone text, action text, place text, local_time text, interval_days smallint, duration_seconds smallint, reward text, is_pleasant boolean, is_paused boolean, pleasant_action text, pleasant_place text, language text, streak integer, digest jsonb)
    language plpgsql
    set search_path to ''
    as $$
begin
  perform private.check_dispatcher_generation(lease_generation);
  return query select * from private.claim_messages(batch_size, lease);
end
$$;

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

-- Claims due messages under a lease, and isolates each person's zone: a reminder, snoozed reminder or digest
-- whose owner's zone no longer resolves is recorded as skipped, with the reason in the owner's
-- history, instead of being returned (nothing about it can be computed; the tick pauses the
-- owner's habits when they next fall due). Each distinct zone among the claimed rows is tried
-- once. The "habit created" note names the zone but converts nothing, so it still goes out.
-- What it claims, and in which order, private.choose_claimable decides. Estimated at 100 rows (a
-- claim returns at most its batch), so what joins its rows looks them up by key.
create function private.claim_notifications(batch_size integer default 50, lease interval default '00:02:00'::interval) returns table(id bigint, kind text, attempts integer, due_at timestamp with time zone, occurrence_at timestamp with time zone, habit_id uuid, chat_id bigint, timezone text, action text, place text, local_time time without time zone, interval_days smallint, duration_seconds smallint, reward text, is_pleasant boolean, is_paused boolean, pleasant_action text, pleasant_place text)
    language sql
    rows 100
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

-- True when something is ready to be sent, or when claims wait whose run no longer holds the
-- lease (it died: the next holder takes them over at once, so the tick must start one).
create function private.has_deliverable_notifications(at timestamp with time zone default now()) returns boolean
    language sql stable
    set search_path to ''
    as $$
  select exists (
    select from public.notifications
    where status in ('pending', 'retry', 'sending') and next_attempt_at <= at
  ) or (
    exists (select from public.notifications where status = 'sending')
    and not exists (select from private.reminder_dispatcher d where d.lease_until > at)
  )
$$;

-- Takes or renews the dispatcher lease for `holder`: its generation, or null while another run
-- holds it. A holder renewing keeps its generation (even if its lease had run out, as long as no
-- other run took it meanwhile); a new holder gets a new one, and the claims of the runs before it.
create function private.hold_dispatcher_lease(holder uuid, lease interval default '00:00:15'::interval) returns bigint
    language plpgsql
    set search_path to ''
    as $$
declare
  previous private.reminder_dispatcher;
  taken bigint;
begin
  select * into previous from private.reminder_dispatcher d for update;
  if found and previous.holder = hold_dispatcher_lease.holder then
    update private.reminder_dispatcher d set lease_until = now() + lease where d.singleton;
    return previous.generation;
  elsif found and previous.lease_until > now() then
    return null;
  elsif found then
    update private.reminder_dispatcher d
    set holder = hold_dispatcher_lease.holder, lease_until = now() + lease, acquired_at = now(),
        generation = nextval('private.reminder_dispatcher_generation')
    where d.singleton
    returning d.generation into taken;
  else
    insert into private.reminder_dispatcher as d (holder, lease_until)
    values (hold_dispatcher_lease.holder, now() + lease)
    on conflict (singleton) do nothing
    returning d.generation into taken;
    if taken is null then
      return null;
    end if;
  end if;
  perform private.recover_claims_of_stopped_runs(coalesce(previous.lease_until, clock_timestamp()));
  return taken;
end
$$;

-- Asks the reminders edge function to deliver what is pending. The URL and the secret are read
-- from Vault when this runs (never stored in a cron command); without them it does nothing, so a
-- database without a functions deployment (e.g. the pgTAP run) still works.
create function private.invoke_reminders_function() returns bigint
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  project_url text;
  reminders_secret text;
begin
  select decrypted_secret into project_url from vault.decrypted_secrets where name = 'project_url';
  select decrypted_secret into reminders_secret from vault.decrypted_secrets where name = 'reminders_secret';
  if nullif(project_url, '') is null or nullif(reminders_secret, '') is null then
    return null;
  end if;
  return net.http_post(
    url := rtrim(project_url, '/') || '/functions/v1/reminders',
    body := '{}'::jsonb,
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || reminders_secret),
    -- Longer than the function's own working time (45 s), so a busy run is not reported as a timeout.
    timeout_milliseconds := 55000
  );
end
$$;

-- How long until the earliest queued message may be sent (milliseconds, 0 if one may go now;
-- null when nothing waits). A run that has nothing to send right now but will within its working
-- time (a 429's retry_after, a backoff) stays and sends it instead of leaving it to the next tick.
create function private.next_deliverable_in() returns integer
    language sql stable
    set search_path to ''
    as $$
  -- greatest() skips nulls, so an empty queue is tested for apart.
  select case when min(n.next_attempt_at) is not null
    then greatest(0, ceil(extract(epoch from min(n.next_attempt_at) - clock_timestamp()) * 1000))::integer
  end
  from public.notifications n
  where n.status in ('pending', 'retry')
$$;

-- Records what happened to a claimed message.
-- outcome:
--   sent          delivered (Telegram's message id kept)
--   retry         Telegram answered with a 5xx, or nothing was sent (connection refused):
--                 exponential backoff (30 s, 1, 2, 4 min ...), or `retry_after_seconds`;
--                 dead after `max_attempts`
--   uncertain     no answer after the request left (timeout, connection lost): Telegram may have
--                 delivered it. Counted in maybe_delivered_attempts. The first time it is resent
--                 after 1, 2, 4 min ... (by its attempts); the second time it is not resent again
--                 and ends `unconfirmed`
--   rate_limited  Telegram's 429: not an attempt; tried again exactly `retry_after_seconds` later
--   released      the run had no time left: not an attempt; back in the queue after `retry_after_seconds`,
--                 or at its place in it (its due time) when there is nothing to wait out
--   dead, skipped final
-- A message that gives up (dead) after an attempt that was maybe delivered ends `unconfirmed`.
create function private.record_delivery(notification_id bigint, outcome text, telegram_message_id bigint default null::bigint, error text default null::text, retry_after_seconds integer default null::integer, max_attempts integer default 5) returns text
    language plpgsql
    set search_path to ''
    as $$
declare
  current_attempts integer;
  maybe_delivered integer;
  final_status text;
  delay interval;
  cause text := error;
begin
  if outcome not in ('sent', 'retry', 'uncertain', 'rate_limited', 'dead', 'skipped', 'released') then
    raise exception 'unknown delivery outcome %', outcome;
  end if;
  select n.attempts, n.maybe_delivered_attempts + case when outcome = 'uncertain' then 1 else 0 end
  into current_attempts, maybe_delivered
  from public.notifications n where n.id = notification_id for update;
  if not found then
    return null;
  end if;
  final_status := case outcome
    when 'uncertain' then 'retry'
    when 'rate_limited' then 'retry'
    when 'released' then 'pending'
    else outcome end;
  if outcome in ('rate_limited', 'released') then
    current_attempts := greatest(current_attempts - 1, 0);
    delay := make_interval(secs => coalesce(retry_after_seconds, 0));
  elsif outcome = 'uncertain' and maybe_delivered >= 2 then
    final_status := 'unconfirmed';
    cause := format('maybe delivered %s times; not sent again (a maybe-delivered message is resent once): %s',
      maybe_delivered, error);
  elsif final_status = 'retry' then
    if current_attempts >= max_attempts then
      final_status := 'dead';
    end if;
    delay := case when outcome = 'uncertain'
      then least(interval '1 hour', interval '1 minute' * power(2, greatest(current_attempts - 1, 0)))
      else coalesce(make_interval(secs => retry_after_seconds),
                    least(interval '1 hour', interval '30 seconds' * power(2, greatest(current_attempts - 1, 0))))
    end;
  end if;
  if final_status = 'dead' and maybe_delivered > 0 then
    final_status := 'unconfirmed';
    cause := format('maybe delivered %s time(s) before; then gave up: %s', maybe_delivered, error);
  end if;
  update public.notifications n
  set status = final_status,
      attempts = current_attempts,
      maybe_delivered_attempts = maybe_delivered,
      telegram_message_id = coalesce(record_delivery.telegram_message_id, n.telegram_message_id),
      sent_at = case when final_status = 'sent' then now() else n.sent_at end,
      last_error = case when final_status = 'sent' then null else left(cause, 1000) end,
      lease_until = null,
      -- Released with no pause to wait out: back in its place in the queue (its due time, when
      -- that has come), not behind every message queued meanwhile: handing it back was no attempt.
      next_attempt_at = case
        when outcome = 'released' and delay = interval '0' then least(now(), n.due_at)
        when delay is not null and final_status in ('retry', 'pending') then now() + delay
        else n.next_attempt_at end
  where n.id = notification_id;
  return final_status;
end
$$;

-- Records the outcomes of a set of claimed messages in one statement: the delivered ones in one
-- UPDATE, every other one by record_delivery, in id order.
create function private.record_deliveries(
  notification_ids bigint[],
  outcomes text[],
  telegram_message_ids bigint[],
  errors text[],
  retry_after_seconds integer[],
  max_attempts integer default 5
)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
  item record;
begin
  if cardinality(notification_ids) is distinct from cardinality(outcomes)
    or cardinality(notification_ids) is distinct from cardinality(telegram_message_ids)
    or cardinality(notification_ids) is distinct from cardinality(errors)
    or cardinality(notification_ids) is distinct from cardinality(retry_after_seconds) then
    raise exception 'record_deliveries: the arrays must have one entry per notification';
  end if;
  -- Delivered, the common case: one UPDATE for all of them, setting what record_delivery sets for
  -- 'sent' (the status, Telegram's message id, sent_at; no error, no lease; attempts as claimed).
  -- The rows are locked in id order first, as the one-by-one path locks them.
  perform from public.notifications n
  where n.id = any (array(select u.id from unnest(notification_ids, outcomes) u(id, outcome) where u.outcome = 'sent'))
  order by n.id
  for update;
  update public.notifications n
  set status = 'sent',
      telegram_message_id = coalesce(u.message_id, n.telegram_message_id),
      sent_at = now(),
      last_error = null,
      lease_until = null
  from unnest(notification_ids, outcomes, telegram_message_ids) u(id, outcome, message_id)
  where u.outcome = 'sent' and n.id = u.id;
  -- Every other outcome through the state machine, one by one.
  for item in
    select * from unnest(notification_ids, outcomes, telegram_message_ids, errors, retry_after_seconds)
      as u(id, outcome, message_id, error, retry_after)
    where u.outcome <> 'sent'
    order by u.id
  loop
    perform private.record_delivery(item.id, item.outcome, item.message_id, item.error, item.retry_after, max_attempts);
  end loop;
end
$$;

-- private.record_deliveries for the holder of generation `lease_generation` only; the messages'
-- send slots are forgotten with their outcomes.
create function private.record_deliveries_fenced(
  lease_generation bigint,
  notification_ids bigint[],
  outcomes text[],
  telegram_message_ids bigint[],
  errors text[],
  retry_after_seconds integer[],
  max_attempts integer default 5
)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform private.check_dispatcher_generation(lease_generation);
  perform private.record_deliveries(notification_ids, outcomes, telegram_message_ids, errors,
    retry_after_seconds, max_attempts);
  delete from private.notification_send_slots s where s.notification_id = any (notification_ids);
end
$$;

-- private.record_delivery for the holder of generation `lease_generation` only.
create function private.record_delivery_fenced(lease_generation bigint, notification_id bigint, outcome text, telegram_message_id bigint default null::bigint, error text default null::text, retry_after_seconds integer default null::integer, max_attempts integer default 5) returns text
    language plpgsql
    set search_path to ''
    as $$
declare
  recorded text;
begin
  perform private.check_dispatcher_generation(lease_generation);
  recorded := private.record_delivery(notification_id, outcome, telegram_message_id, error, retry_after_seconds, max_attempts);
  delete from private.notification_send_slots s where s.notification_id = record_delivery_fenced.notification_id;
  return recorded;
end
$$;

-- Claims left 'sending' by runs that no longer hold the lease become the new holder's, through
-- the same state machine as every outcome (private.record_delivery): a claim whose own send slot
-- was taken after the claim, for a moment by `stopped_by` (when the old lease ended), could have
-- left and is "uncertain", maybe delivered (a second such attempt ends it `unconfirmed`); any
-- other was never sent, is not an attempt, and is due now.
create function private.recover_claims_of_stopped_runs(stopped_by timestamp with time zone) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  orphan record;
  recovered integer := 0;
begin
  for orphan in
    select o.id, exists (
      select from private.notification_send_slots s
      where s.notification_id = o.id and s.slot_at >= o.updated_at and s.slot_at <= stopped_by
    ) as could_have_left
    from public.notifications o
    where o.status = 'sending'
    order by o.id
    for update of o
  loop
    if orphan.could_have_left then
      perform private.record_delivery(orphan.id, 'uncertain',
        error => 'its run stopped (the dispatcher lease passed) after the request could have left');
    else
      perform private.record_delivery(orphan.id, 'released',
        error => 'its run stopped (the dispatcher lease passed) before sending it', retry_after_seconds => 0);
    end if;
    delete from private.notification_send_slots s where s.notification_id = orphan.id;
    recovered := recovered + 1;
  end loop;
  return recovered;
end
$$;

-- Gives the lease up. Unless `force`, only when nothing is left to send: a kick refused while
-- this run held the lease must not leave its message waiting for the next cron tick, so the
-- run goes on instead (returns false). Taking the row lock orders this against a waiting acquire.
create function private.release_dispatcher_lease(holder uuid, force boolean default false) returns boolean
    language plpgsql
    set search_path to ''
    as $$
begin
  perform from private.reminder_dispatcher d where d.holder = release_dispatcher_lease.holder for update;
  if not found then
    return true;
  end if;
  if not force and private.has_deliverable_notifications(now()) then
    return false;
  end if;
  delete from private.reminder_dispatcher d where d.holder = release_dispatcher_lease.holder;
  return true;
end
$$;

-- Puts dead messages back in the queue with fresh attempts (after fixing what killed them):
--   select private.requeue_dead_notifications(array[123, 124]);       -- these messages
--   select private.requeue_dead_notifications(null, now() - interval '1 day');  -- all dead since
-- The cause stays readable in last_error ("requeued; was: ..."). Returns how many were requeued.
create function private.requeue_dead_notifications(ids bigint[] default null::bigint[], died_since timestamp with time zone default null::timestamp with time zone) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  requeued integer;
begin
  if ids is null and died_since is null then
    raise exception 'name the messages (ids) or a time (died_since) to requeue';
  end if;
  update public.notifications n
  set status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = null,
      last_error = left('requeued; was: ' || coalesce(n.last_error, 'no error recorded'), 1000)
  where n.status = 'dead'
    and (ids is null or n.id = any(ids))
    and (died_since is null or n.updated_at >= died_since);
  get diagnostics requeued = row_count;
  return requeued;
end
$$;

-- Takes one send slot for each entry of `chat_ids` (a chat may appear more than once), in one
-- statement, and returns for each position (1-based) how long the bot is paused (paused_ms, the
-- same for all: a sender holding an older slot must not use it meanwhile), the database's clock
-- the waits count from (clock_ms, epoch milliseconds: a sender on another machine places the
-- slots on its own clock without counting the answer's travel time) and how many milliseconds its sender must wait
-- before sending (0 or less: now; -5: the slot passed 5 ms ago, while the set was computed). Each slot is
--   * after the lane's previous slot by the spacing (window / per second),
--   * `chat interval` after the chat's previous slot (any lane, any sender),
--   * after any announced retry_after.
-- Chats free sooner are served first, so a chat waiting out its gap does not hold slots others
-- could use; a chat's second message comes after every chat's first. The lane's row is locked
-- for the statement: concurrent senders get disjoint, ordered slots. A slot that would come after
-- `not_after` (a run's last send time) is not taken: its wait_ms is null, and it costs the bot
-- nothing (a run used to take slots it could not use any more, a second of them at its end).
create function private.take_telegram_send_slots(
  chat_ids bigint[],
  paid boolean default false,
  not_after timestamp with time zone default null
)
returns table(slot integer, wait_ms integer, paused_ms integer, clock_ms double precision)
language plpgsql
volatile
set search_path = ''
as $$
declare
  lane_name text := case when paid then 'paid' else 'free' end;
  per_second numeric := private.telegram_send_setting(
    case when paid then 'telegram_paid_messages_per_second' else 'telegram_messages_per_second' end);
  spacing interval := make_interval(secs => private.telegram_send_setting('telegram_rate_window_ms') / 1000.0 / per_second);
  gap interval := make_interval(secs => private.telegram_send_setting('telegram_chat_interval_ms') / 1000.0);
  started timestamptz := clock_timestamp();
  frontier timestamptz;
  assigned timestamptz[] := array_fill(null::timestamptz, array[coalesce(cardinality(chat_ids), 0)]);
  item record;
  candidate timestamptz;
  pause_ms integer;
begin
  if coalesce(cardinality(chat_ids), 0) = 0 then
    return;
  end if;
  insert into private.telegram_send_budget (lane) values (lane_name) on conflict (lane) do nothing;
  select greatest(b.next_slot_at, b.paused_until, started) into frontier
  from private.telegram_send_budget b where b.lane = lane_name for update;
  -- Other lane's pause too (a retry_after pauses the bot as a whole).
  frontier := greatest(frontier, (select max(b.paused_until) from private.telegram_send_budget b));

  for item in
    select u.pos, u.chat,
      lag(u.pos) over (partition by u.chat order by u.pos) as previous_pos,
      row_number() over (partition by u.chat order by u.pos) as round,
      greatest(s.slot_at + gap, started) as chat_ready,
      first_value(u.pos) over (partition by u.chat order by u.pos) as first_pos
    from unnest(chat_ids) with ordinality u(chat, pos)
    left join private.telegram_chat_send_slots s on s.chat_id = u.chat
    order by round, chat_ready nulls first, first_pos
  loop
    -- A chat's later message gets no slot when its earlier one got none.
    continue when item.previous_pos is not null and assigned[item.previous_pos] is null;
    candidate := greatest(frontier,
      case when item.previous_pos is null then coalesce(item.chat_ready, started)
        else assigned[item.previous_pos] + gap end);
    continue when candidate > not_after;
    assigned[item.pos] := candidate;
    frontier := candidate + spacing;
  end loop;

  update private.telegram_send_budget b set next_slot_at = frontier where b.lane = lane_name;
  -- In chat order, so two statements of the other lane never wait on each other's chat rows.
  insert into private.telegram_chat_send_slots as s (chat_id, slot_at)
  select u.chat, max(u.at) from unnest(chat_ids, assigned) u(chat, at)
  where u.at is not null
  group by u.chat order by u.chat
  on conflict on constraint telegram_chat_send_slots_pkey do update
    set slot_at = greatest(s.slot_at, excluded.slot_at);

  -- One reference time for the whole set, so the waits keep the slots' spacing exactly.
  started := clock_timestamp();
  pause_ms := private.telegram_sends_paused_for();
  return query
  select u.pos::integer, ceil(extract(epoch from u.at - started) * 1000)::integer, pause_ms,
    extract(epoch from started)::double precision * 1000
  from unnest(assigned) with ordinality u(at, pos)
  order by u.pos;
end
$$;

-- Telegram answered 429 with `retry_after_seconds`: no slot of any lane is given before it has
-- passed, and senders holding an earlier slot see the pause (telegram_sends_paused_for) and take
-- a new one. Returns the milliseconds the bot is paused for.
create function private.pause_telegram_sends(retry_after_seconds numeric)
returns integer
language sql
volatile
set search_path = ''
as $$
  with paused as (
    update private.telegram_send_budget b
    set paused_until = greatest(b.paused_until, clock_timestamp() + make_interval(secs => retry_after_seconds))
    returning b.paused_until
  )
  select greatest(0, ceil(extract(epoch from max(p.paused_until) - clock_timestamp()) * 1000))::integer from paused p
$$;

-- How many milliseconds the bot is still paused by an announced retry_after (0: not paused).
create function private.telegram_sends_paused_for()
returns integer
language sql
stable
set search_path = ''
as $$
  -- -infinity (never paused) cannot be subtracted from; greatest() makes it now.
  select greatest(0, ceil(extract(epoch from greatest(max(b.paused_until), clock_timestamp()) - clock_timestamp()) * 1000))::integer
  from private.telegram_send_budget b
$$;

-- Send slots for claimed messages' chats, none after `not_after`, for the holder of generation
-- `lease_generation` only; the answer of private.take_telegram_send_slots.
create function private.take_notification_send_slots(
  lease_generation bigint,
  chat_ids bigint[],
  paid boolean default false,
  not_after timestamp with time zone default null
)
returns table(slot integer, wait_ms integer, paused_ms integer, clock_ms double precision)
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform private.check_dispatcher_generation(lease_generation);
  return query select * from private.take_telegram_send_slots(chat_ids, paid, not_after);
end
$$;

-- The requests for these claimed messages leave at `slots` (the holder of `lease_generation`
-- only): kept until their outcomes are recorded.
create function private.note_departing_sends(
  lease_generation bigint,
  notification_ids bigint[],
  slots timestamp with time zone[]
)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform private.check_dispatcher_generation(lease_generation);
  if cardinality(notification_ids) is distinct from cardinality(slots) then
    raise exception 'note_departing_sends: one slot per notification';
  end if;
  insert into private.notification_send_slots as k (notification_id, slot_at)
  select u.id, max(u.at) from unnest(notification_ids, slots) u(id, at) group by u.id order by u.id
  on conflict on constraint notification_send_slots_pkey do update set slot_at = excluded.slot_at;
end
$$;

create table public.notifications (
    id bigint not null,
    habit_id uuid,
    owner_id uuid not null,
    kind text not null,
    due_at timestamp with time zone not null,
    status text default 'pending'::text not null,
    attempts integer default 0 not null,
    next_attempt_at timestamp with time zone default now() not null,
    lease_until timestamp with time zone,
    telegram_message_id bigint,
    last_error text,
    sent_at timestamp with time zone,
    created_at timestamp with time zone default now() not null,
    updated_at timestamp with time zone default now() not null,
    occurrence_at timestamp with time zone,
    snoozed_from_id bigint,
    maybe_delivered_attempts integer default 0 not null,
    constraint notifications_attempts_non_negative check ((attempts >= 0)),
    constraint notifications_habit_unless_digest check (((kind = any (array['weekly_digest'::text, 'reply'::text])) = (habit_id is null))),
    constraint notifications_kind_known check ((kind = any (array['habit_created'::text, 'reminder'::text, 'snoozed_reminder'::text, 'weekly_digest'::text, 'reply'::text]))),
    constraint notifications_status_known check ((status = any (array['pending'::text, 'sending'::text, 'sent'::text, 'retry'::text, 'dead'::text, 'skipped'::text, 'unconfirmed'::text])))
);

-- Each holder of the dispatcher lease gets the next number: the fencing token of its claims and records.
create sequence private.reminder_dispatcher_generation;

-- The send slot a run took for a claimed message, right before its request may leave: kept until
-- the outcome is recorded, so a takeover knows which claims of a dead run could have reached
-- their chat (and no other sender's slot for the same chat is mistaken for one).
create table private.notification_send_slots (
    notification_id bigint not null,
    slot_at timestamp with time zone not null
);

-- At most one reminders run sends at a time. The holder renews its lease every few seconds;
-- a run that dies leaves a lease that runs out within `lease` (seconds, not minutes).
create table private.reminder_dispatcher (
    singleton boolean default true not null,
    holder uuid not null,
    lease_until timestamp with time zone not null,
    acquired_at timestamp with time zone default now() not null,
    generation bigint default nextval('private.reminder_dispatcher_generation'::regclass) not null,
    constraint reminder_dispatcher_singleton check (singleton)
);

-- The bot's send budget, one row per lane: `free` for ordinary sends, `paid` for sends with
-- allow_paid_broadcast (Telegram counts those apart, up to 1,000 a second). A retry_after pauses
-- both lanes.
create table private.telegram_send_budget (
  lane text primary key,
  -- The earliest time the next slot may have (the last slot taken plus the spacing).
  next_slot_at timestamptz not null default '-infinity',
  -- No slot before this: the end of the latest retry_after Telegram announced to any sender.
  paused_until timestamptz not null default '-infinity',
  constraint telegram_send_budget_lane_known check (lane in ('free', 'paid'))
);

create table private.telegram_chat_send_slots (
    chat_id bigint not null,
    slot_at timestamp with time zone not null
);

alter table public.notifications alter column id add generated always as identity (
    sequence name public.notifications_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

comment on table public.notifications is 'Outbox of Telegram messages: one row per message, with its delivery state.';

comment on column public.notifications.maybe_delivered_attempts is 'Attempts that may have reached the chat (a timeout or a connection lost after the request left, or the claim of a run that died after taking its send slot): an upper bound on the copies beyond the first.';

comment on table private.notification_send_slots is 'The chat send slot taken for a claimed message, until its outcome is recorded: a dead run''s claim with one may have been delivered.';

alter table only private.notification_send_slots
    add constraint notification_send_slots_pkey primary key (notification_id);

alter table only private.reminder_dispatcher
    add constraint reminder_dispatcher_pkey primary key (singleton);

alter table only private.telegram_chat_send_slots
    add constraint telegram_chat_send_slots_pkey primary key (chat_id);

alter table only public.notifications
    add constraint notifications_once_per_occurrence unique nulls not distinct (habit_id, kind, due_at, snoozed_from_id, owner_id);

alter table only public.notifications
    add constraint notifications_pkey primary key (id);

alter table only public.notifications
    add constraint notifications_snoozed_once unique (snoozed_from_id);

alter table only private.notification_send_slots
    add constraint notification_send_slots_notification_id_fkey foreign key (notification_id) references public.notifications(id) on delete cascade;

alter table only public.notifications
    add constraint notifications_habit_id_fkey foreign key (habit_id) references public.habits(id) on delete cascade;

alter table only public.notifications
    add constraint notifications_owner_id_fkey foreign key (owner_id) references public.profiles(id) on delete cascade;

alter table only public.notifications
    add constraint notifications_snoozed_from_id_fkey foreign key (snoozed_from_id) references public.notifications(id) on delete cascade;

-- The dispatcher's queue: only rows still to send are indexed, in the claim's order (with the
-- id: a burst due at one instant is no tie to sort whole).
create index notifications_deliverable_idx on public.notifications using btree (next_attempt_at, id) where (status = any (array['pending'::text, 'retry'::text, 'sending'::text]));

-- "Habit created" messages go first, however late they were queued.
create index notifications_deliverable_habit_created_idx on public.notifications using btree (next_attempt_at, id) where (status = any (array['pending'::text, 'retry'::text, 'sending'::text]) and kind = 'habit_created'::text);

-- One person's queued messages. Not for the claim (private.choose_claimable ranks a window of
-- notifications_deliverable_idx and locks what it chose by id), but for withdrawing a person's
-- reminders queued ahead when their time zone changes (private.withdraw_reminders_queued_ahead
-- ('owner_id')) and stopping their queue when their chat blocks the bot. Without it, for a person
-- with thousands of rows the withdrawal ANDed the owner's rows with every deliverable row due
-- later: a burst of 100,000 queued ahead was read whole (3-5 ms instead of 0.02 ms). Its cost: about
-- 2-4 % of queueing 100,000 reminders at once (within the noise of a loaded machine).
create index notifications_deliverable_owner_idx on public.notifications using btree (owner_id, next_attempt_at) where (status = any (array['pending'::text, 'retry'::text, 'sending'::text]));

-- The claim's view of each chat's queue read every pending row (`next_attempt_at <= now() or
-- status = 'sending'` is no index range), so with 100,000 reminders queued ahead of a burst each
-- claim in the half hour before it scanned them all (40 ms). It now reads the due rows and the
-- rows in flight through two partial indexes, and locks what it chose by id; what it returns is
-- unchanged.
create index notifications_in_flight_idx on public.notifications using btree (next_attempt_at) where (status = 'sending'::text);

create index notifications_owner_id_created_at_idx on public.notifications using btree (owner_id, created_at desc);

create trigger notifications_set_updated_at before update on public.notifications for each row execute function private.set_updated_at();

alter table public.notifications enable row level security;

create policy "Notifications are viewable by their owner" on public.notifications for select to authenticated using ((owner_id = ( select auth.uid() as uid)));
