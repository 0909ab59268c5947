-- The dispatcher lease becomes a fence (issue 27, items 3, 4 and 9b).
--
-- Numbered after 20261208120000 (a maybe-delivered message is resent once): the takeover below
-- records a dead run's claims through that migration's private.record_delivery, so a claim that
-- reaches its second maybe-delivered attempt ends `unconfirmed`, never sent a third time.
--
-- Each time the lease passes to another run it gets a new generation (a sequence, so a number is
-- never handed out twice, even after the row is deleted). The holder passes its generation with
-- every claim and every delivery record, and those refuse to run unless it is still the current
-- one: a run that froze past its lease and woke after another took over claims nothing and records
-- nothing (its local check, in the function, stops it from sending too). The check takes the lease
-- row FOR SHARE, so a takeover waits for a claim or record in progress and then sees its result.
--
-- A takeover also hands the old generation's claims to the new holder: one whose request could
-- have left (its chat's send slot was taken after the claim and before the old lease ended) is
-- recorded as maybe delivered, as a send that timed out would be; any other was never sent, is
-- not counted as an attempt, and is due at once. And the tick sees such claims as deliverable as
-- soon as the dead run's lease has passed, instead of after their own two-minute claim lease.

create sequence private.reminder_dispatcher_generation;

alter table private.reminder_dispatcher
  add column generation bigint not null default nextval('private.reminder_dispatcher_generation');

grant usage on sequence private.reminder_dispatcher_generation to service_role;

comment on column public.notifications.maybe_delivered_attempts is
  'Attempts that may have reached the chat (a timeout or a connection lost after the request left, or the claim of a run that died after taking its chat''s send slot for it): an upper bound on the copies beyond the first.';

-- Claims left 'sending' by runs that no longer hold the lease become the new holder's, through
-- the same state machine as every outcome (private.record_delivery): a claim whose request could
-- have left (the first of its chat's claims, whose send slot was taken after the claim, after the
-- chat's last recorded send, and by `stopped_by`, when the old lease ended) is "uncertain", maybe
-- delivered; any other was never sent, is not an attempt, and is due now.
create function private.recover_claims_of_stopped_runs(stopped_by timestamp with time zone) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  orphan record;
  recovered integer := 0;
begin
  perform from public.notifications o where o.status = 'sending' for update;
  for orphan in
    with orphaned as (
      select o.id, o.owner_id, o.updated_at,
        row_number() over (partition by o.owner_id order by o.kind <> 'habit_created', o.due_at, o.id) as place
      from public.notifications o
      where o.status = 'sending'
    )
    select c.id,
      -- A run sends a chat's messages in this order, taking the chat's slot right before each;
      -- a slot older than the chat's last recorded send was that send's.
      c.place = 1 and exists (
        select from public.profiles p
        join private.telegram_chat_send_slots s on s.chat_id = p.telegram_chat_id
        where p.id = c.owner_id and s.slot_at >= c.updated_at and s.slot_at <= stopped_by
          and s.slot_at > coalesce((select max(x.sent_at) from public.notifications x
                                    where x.owner_id = c.owner_id and x.status = 'sent'), '-infinity')
      ) as could_have_left
    from orphaned c
  loop
    if orphan.could_have_left then
      perform private.record_delivery(orphan.id, 'uncertain',
        error => 'its run stopped (the dispatcher lease passed) after the request could have left');
    else
      perform private.record_delivery(orphan.id, 'released',
        error => 'its run stopped (the dispatcher lease passed) before sending it', retry_after_seconds => 0);
    end if;
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
begin
  perform private.check_dispatcher_generation(lease_generation);
  return private.record_delivery(notification_id, outcome, telegram_message_id, error, retry_after_seconds, max_attempts);
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
revoke all on function private.check_dispatcher_generation(lease_generation bigint) from public;
grant all on function private.check_dispatcher_generation(lease_generation bigint) to service_role;
revoke all on function private.claim_messages_fenced(lease_generation bigint, batch_size integer, lease interval) from public;
grant all on function private.claim_messages_fenced(lease_generation bigint, batch_size integer, lease interval) to service_role;
revoke all on function private.record_delivery_fenced(lease_generation bigint, notification_id bigint, outcome text, telegram_message_id bigint, error text, retry_after_seconds integer, max_attempts integer) from public;
grant all on function private.record_delivery_fenced(lease_generation bigint, notification_id bigint, outcome text, telegram_message_id bigint, error text, retry_after_seconds integer, max_attempts integer) to service_role;
