-- The dispatcher lease becomes a fence (issue 27, items 3, 4 and 9b).
--
-- Numbered after 20261208120000 (a maybe-delivered message is resent once): the takeover below
-- records a dead run's claims through that migration's private.record_delivery, so a claim that
-- reaches its second maybe-delivered attempt ends `unconfirmed`, never sent a third time.
--
-- Each time the lease passes to another run it gets a new generation (a sequence, so a number is
-- never handed out twice, even after the row is deleted). The holder passes its generation with
-- every claim, every chat send slot and every delivery record, and those refuse to run unless it
-- is still the current one: a run that froze past its lease and woke after another took over
-- claims nothing, takes no chat's slot and records nothing (its local check, in the function,
-- stops it from sending too). The check takes the lease
-- row FOR SHARE, so a takeover waits for a claim or record in progress and then sees its result.
--
-- A takeover also hands the old generation's claims to the new holder: one whose request could
-- have left (its own send slot was taken after the claim, for a moment before the old lease
-- ended; private.notification_send_slots keeps it until the outcome is recorded) is recorded
-- as maybe delivered, as a send that timed out would be; any other was never sent, is
-- not counted as an attempt, and is due at once. And the tick sees such claims as deliverable as
-- soon as the dead run's lease has passed, instead of after their own two-minute claim lease.

create sequence private.reminder_dispatcher_generation;

alter table private.reminder_dispatcher
  add column generation bigint not null default nextval('private.reminder_dispatcher_generation');

grant usage on sequence private.reminder_dispatcher_generation to service_role;

comment on column public.notifications.maybe_delivered_attempts is
  'Attempts that may have reached the chat (a timeout or a connection lost after the request left, or the claim of a run that died after taking its send slot): an upper bound on the copies beyond the first.';

-- The send slot a run took for a claimed message, right before its request may leave: kept until
-- the outcome is recorded, so a takeover knows which claims of a dead run could have reached
-- their chat (and no other sender's slot for the same chat is mistaken for one).
create table private.notification_send_slots (
  notification_id bigint primary key references public.notifications (id) on delete cascade,
  slot_at timestamp with time zone not null
);

comment on table private.notification_send_slots is 'The chat send slot taken for a claimed message, until its outcome is recorded: a dead run''s claim with one may have been delivered.';

revoke all on private.notification_send_slots from public, anon, authenticated;
grant select, insert, update, delete on private.notification_send_slots to service_role;

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

-- Takes or renews the dispatcher lease for `holder`. False while another run holds it.
create or replace function private.acquire_dispatcher_lease(holder uuid, lease interval default '00:00:15'::interval) returns boolean
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

-- The chat's next send slot (private.take_telegram_chat_slot, shared with the webhook's replies)
-- for a message claimed by the holder of generation `lease_generation` only: how many ms to wait.
-- The slot is kept with the message until its outcome is recorded.
create function private.take_notification_send_slot(lease_generation bigint, notification_id bigint, chat_id bigint, gap interval default '00:00:01.1'::interval) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  wait_ms integer;
begin
  perform private.check_dispatcher_generation(lease_generation);
  wait_ms := private.take_telegram_chat_slot(chat_id, gap);
  insert into private.notification_send_slots as k (notification_id, slot_at)
  select take_notification_send_slot.notification_id, s.slot_at
  from private.telegram_chat_send_slots s where s.chat_id = take_notification_send_slot.chat_id
  on conflict on constraint notification_send_slots_pkey do update set slot_at = excluded.slot_at;
  return wait_ms;
end
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

-- True when something is ready to be sent, or when claims wait whose run no longer holds the
-- lease (it died: the next holder takes them over at once, so the tick must start one).
create or replace function private.has_deliverable_notifications(at timestamp with time zone default now()) returns boolean
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

revoke all on function private.recover_claims_of_stopped_runs(stopped_by timestamp with time zone) from public;
grant all on function private.recover_claims_of_stopped_runs(stopped_by timestamp with time zone) to service_role;
revoke all on function private.hold_dispatcher_lease(holder uuid, lease interval) from public;
grant all on function private.hold_dispatcher_lease(holder uuid, lease interval) to service_role;
revoke all on function private.take_notification_send_slot(lease_generation bigint, notification_id bigint, chat_id bigint, gap interval) from public;
grant all on function private.take_notification_send_slot(lease_generation bigint, notification_id bigint, chat_id bigint, gap interval) to service_role;
revoke all on function private.check_dispatcher_generation(lease_generation bigint) from public;
grant all on function private.check_dispatcher_generation(lease_generation bigint) to service_role;
revoke all on function private.claim_messages_fenced(lease_generation bigint, batch_size integer, lease interval) from public;
grant all on function private.claim_messages_fenced(lease_generation bigint, batch_size integer, lease interval) to service_role;
revoke all on function private.record_delivery_fenced(lease_generation bigint, notification_id bigint, outcome text, telegram_message_id bigint, error text, retry_after_seconds integer, max_attempts integer) from public;
grant all on function private.record_delivery_fenced(lease_generation bigint, notification_id bigint, outcome text, telegram_message_id bigint, error text, retry_after_seconds integer, max_attempts integer) to service_role;
