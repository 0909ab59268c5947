-- =====================================================================================
-- The outbox under Telegram's real behaviour (issue 11)
--  * one active dispatcher at a time (a lease in the database), so Telegram's per-bot and
--    per-chat limits hold however many reminders runs overlap;
--  * fair claims: round-robin across chats, at most two messages of one chat in flight,
--    "habit created" messages ahead of reminders;
--  * a 429 is not a failed attempt; a timed-out send is counted as "maybe delivered";
--  * a 403 (bot blocked) stops everything queued for that chat;
--  * an operator can requeue dead messages.
-- =====================================================================================

-- Sends that timed out: Telegram may have delivered them, so a later success may be a duplicate.
alter table public.notifications
  add column maybe_delivered_attempts integer not null default 0;

-- Per-chat ranking of the queue reads every deliverable row of an owner together.
create index notifications_deliverable_owner_idx on public.notifications (owner_id, next_attempt_at)
  where status in ('pending', 'retry', 'sending');

-- ------------------------------------------------------------------ the single active dispatcher

-- At most one reminders run sends at a time. The holder renews its lease every few seconds;
-- a run that dies leaves a lease that runs out within `lease` (seconds, not minutes).
create table private.reminder_dispatcher (
  singleton boolean primary key default true constraint reminder_dispatcher_singleton check (singleton),
  holder uuid not null,
  lease_until timestamptz not null,
  acquired_at timestamptz not null default now()
);

-- Takes or renews the dispatcher lease for `holder`. False while another run holds it.
-- Taking over from a run whose lease ran out (it died), its claimed messages are claimable at
-- once: no other dispatcher is alive to send them, so they need not wait out their own lease.
create function private.acquire_dispatcher_lease(holder uuid, lease interval default '15 seconds')
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
declare
  previous uuid;
  taken uuid;
begin
  select d.holder into previous from private.reminder_dispatcher d;
  insert into private.reminder_dispatcher as d (holder, lease_until)
  values (acquire_dispatcher_lease.holder, now() + lease)
  on conflict (singleton) do update
    set holder = excluded.holder,
        lease_until = excluded.lease_until,
        acquired_at = case when d.holder = excluded.holder then d.acquired_at else now() end
    where d.holder = excluded.holder or d.lease_until <= now()
  returning d.holder into taken;
  if taken is null then
    return false;
  end if;
  if previous is not null and previous <> acquire_dispatcher_lease.holder then
    update public.notifications n
    set next_attempt_at = now()
    where n.status = 'sending' and n.next_attempt_at > now();
  end if;
  return true;
end
$$;

-- Gives the lease up. Unless `force`, only when nothing is left to send: a kick refused while
-- this run held the lease must not leave its message waiting for the next cron tick, so the
-- run goes on instead (returns false). Taking the row lock orders this against a waiting acquire.
create function private.release_dispatcher_lease(holder uuid, force boolean default false)
returns boolean
language plpgsql
volatile
set search_path = ''
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

-- Messages sent in the last `window`, per chat: a new dispatcher starts its rate limiter from
-- them, so a run that follows another right away keeps the per-chat gap and the per-bot rate.
create function private.recent_sends(window_length interval default '2 seconds')
returns table (chat_id bigint, sent_at timestamptz)
language sql
stable
set search_path = ''
as $$
  select p.telegram_chat_id, n.sent_at
  from public.notifications n
  join public.profiles p on p.id = n.owner_id
  where n.sent_at > now() - window_length and p.telegram_chat_id is not null
  order by n.sent_at
$$;

-- ------------------------------------------------------------------ fair claims

-- Claims up to `batch_size` deliverable messages, round-robin across chats (owners): every chat's
-- first waiting message comes before any chat's second, and a chat never has more than two
-- messages in flight (one being sent, one waiting out the chat's one-second gap), so one account
-- with hundreds of messages cannot fill a batch. Within a round, "habit created" (someone is
-- looking at the web app) goes before reminders. Leases as before: status 'sending',
-- next_attempt_at = end of lease, claimed again when the lease runs out; such a message may have
-- been sent by the run that died, so it is counted as maybe delivered.
create or replace function private.claim_notifications(batch_size integer default 50, lease interval default '2 minutes')
returns table (
  id bigint,
  kind text,
  attempts integer,
  due_at timestamptz,
  occurrence_at timestamptz,
  habit_id uuid,
  chat_id bigint,
  timezone text,
  action text,
  place text,
  local_time time,
  interval_days smallint,
  duration_seconds smallint,
  reward text,
  is_pleasant boolean,
  is_paused boolean,
  pleasant_action text,
  pleasant_place text
)
language sql
volatile
set search_path = ''
as $$
  with queue as (
    select n.id, n.next_attempt_at, n.kind,
      n.status = 'sending' and n.next_attempt_at > now() as in_flight,
      row_number() over (
        partition by n.owner_id
        order by n.status = 'sending' and n.next_attempt_at > now() desc,
          n.kind <> 'habit_created', n.next_attempt_at, n.id
      ) as place_in_chat
    from public.notifications n
    where n.status in ('pending', 'retry', 'sending')
      and (n.next_attempt_at <= now() or n.status = 'sending')
  ),
  claimable as (
    select n.id from public.notifications n
    join queue q on q.id = n.id
    where not q.in_flight and q.place_in_chat <= 2
      and n.status in ('pending', 'retry', 'sending') and n.next_attempt_at <= now()
    order by q.place_in_chat, n.kind <> 'habit_created', n.next_attempt_at, n.id
    limit batch_size
    for update of n skip locked
  ),
  claimed as (
    update public.notifications n
    set status = 'sending', attempts = n.attempts + 1, next_attempt_at = now() + lease, lease_until = now() + lease,
      -- Still 'sending': the run that claimed it died, perhaps after sending it.
      maybe_delivered_attempts = n.maybe_delivered_attempts + case when n.status = 'sending' then 1 else 0 end
    from claimable
    where n.id = claimable.id
    returning n.*
  )
  select c.id, c.kind, c.attempts, c.due_at, c.occurrence_at, c.habit_id, p.telegram_chat_id, p.timezone,
    h.action, h.place, h.time, h.interval_days, h.duration_seconds, h.reward, h.is_pleasant, h.is_paused,
    pleasant.action, pleasant.place
  from claimed c
  join public.habits h on h.id = c.habit_id
  join public.profiles p on p.id = c.owner_id
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  order by c.kind <> 'habit_created', c.due_at
$$;

-- ------------------------------------------------------------------ recording outcomes

-- Records what happened to a claimed message.
-- outcome:
--   sent          delivered (Telegram's message id kept)
--   retry         5xx or network error: exponential backoff (30 s, 1, 2, 4 min ...), or
--                 `retry_after_seconds`; dead after `max_attempts`
--   uncertain     the send timed out: Telegram may have delivered it. Retried like `retry`
--                 (at-least-once) and counted in maybe_delivered_attempts
--   rate_limited  Telegram's 429: not an attempt; tried again exactly `retry_after_seconds` later
--   released      the run had no time left: not an attempt; back in the queue after `retry_after_seconds`
--   dead, skipped final
create or replace function private.record_delivery(
  notification_id bigint,
  outcome text,
  telegram_message_id bigint default null,
  error text default null,
  retry_after_seconds integer default null,
  max_attempts integer default 5
)
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
  current_attempts integer;
  final_status text;
  delay interval;
begin
  if outcome not in ('sent', 'retry', 'uncertain', 'rate_limited', 'dead', 'skipped', 'released') then
    raise exception 'unknown delivery outcome %', outcome;
  end if;
  select n.attempts into current_attempts from public.notifications n where n.id = notification_id for update;
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
  elsif final_status = 'retry' then
    if current_attempts >= max_attempts then
      final_status := 'dead';
    end if;
    delay := coalesce(make_interval(secs => retry_after_seconds),
                     least(interval '1 hour', interval '30 seconds' * power(2, greatest(current_attempts - 1, 0))));
  end if;
  update public.notifications n
  set status = final_status,
      attempts = current_attempts,
      maybe_delivered_attempts = n.maybe_delivered_attempts + case when outcome = 'uncertain' then 1 else 0 end,
      telegram_message_id = coalesce(record_delivery.telegram_message_id, n.telegram_message_id),
      sent_at = case when final_status = 'sent' then now() else n.sent_at end,
      last_error = case when final_status = 'sent' then null else left(error, 1000) end,
      lease_until = null,
      next_attempt_at = case when delay is not null and final_status <> 'dead' then now() + delay else n.next_attempt_at end
  where n.id = notification_id;
  return final_status;
end
$$;

-- Telegram answered 403 (the user blocked the bot): unlink, remember why (the SPA says so), and
-- stop everything still queued for that chat.
create or replace function private.mark_telegram_chat_blocked(chat_id bigint)
returns uuid
language sql
volatile
set search_path = ''
as $$
  with unlinked as (
    update public.profiles p
    set telegram_chat_id = null, telegram_linked_at = null, telegram_blocked_at = now()
    where p.telegram_chat_id = mark_telegram_chat_blocked.chat_id
    returning p.id
  ),
  stopped as (
    update public.notifications n
    set status = 'skipped', last_error = 'the chat blocked the bot (403)', lease_until = null
    from unlinked
    where n.owner_id = unlinked.id and n.status in ('pending', 'retry', 'sending')
    returning 1
  )
  select id from unlinked
$$;

-- ------------------------------------------------------------------ the operator's requeue

-- Puts dead messages back in the queue with fresh attempts (after fixing what killed them):
--   select private.requeue_dead_notifications(array[123, 124]);       -- these messages
--   select private.requeue_dead_notifications(null, now() - interval '1 day');  -- all dead since
-- The cause stays readable in last_error ("requeued; was: ..."). Returns how many were requeued.
create function private.requeue_dead_notifications(ids bigint[] default null, died_since timestamptz default null)
returns integer
language plpgsql
volatile
set search_path = ''
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

-- ------------------------------------------------------------------ privileges

alter table private.reminder_dispatcher enable row level security;
revoke all on private.reminder_dispatcher from public, anon, authenticated;
grant select, insert, update, delete on private.reminder_dispatcher to service_role;

revoke all on function private.acquire_dispatcher_lease(uuid, interval) from public, anon, authenticated;
revoke all on function private.release_dispatcher_lease(uuid, boolean) from public, anon, authenticated;
revoke all on function private.recent_sends(interval) from public, anon, authenticated;
revoke all on function private.claim_notifications(integer, interval) from public, anon, authenticated;
revoke all on function private.record_delivery(bigint, text, bigint, text, integer, integer) from public, anon, authenticated;
revoke all on function private.mark_telegram_chat_blocked(bigint) from public, anon, authenticated;
revoke all on function private.requeue_dead_notifications(bigint[], timestamptz) from public, anon, authenticated;
grant execute on function private.acquire_dispatcher_lease(uuid, interval) to service_role;
grant execute on function private.release_dispatcher_lease(uuid, boolean) to service_role;
grant execute on function private.recent_sends(interval) to service_role;
grant execute on function private.claim_notifications(integer, interval) to service_role;
grant execute on function private.record_delivery(bigint, text, bigint, text, integer, integer) to service_role;
grant execute on function private.mark_telegram_chat_blocked(bigint) to service_role;
grant execute on function private.requeue_dead_notifications(bigint[], timestamptz) to service_role;
