-- =====================================================================================
-- Telegram updates: at-least-once handling
-- An update id used to be recorded before its update was handled, so a function killed in the
-- middle lost the update: Telegram's redeliveries were answered "duplicate". Now an update is
-- taken with a short lease and marked handled only after its handling succeeded. A redelivery
-- of an update whose handler died is handled again once the lease is over; the handlers are
-- idempotent (Done once per occurrence, Snooze once per message).
-- =====================================================================================

alter table private.telegram_updates
  add column handled_at timestamptz,
  add column lease_until timestamptz;
-- Every id recorded so far was recorded by the old code, which handled it at once.
update private.telegram_updates set handled_at = received_at;

-- Takes update `id` for handling.
-- outcome: handle (go ahead, within `lease`) | handled (done before: a redelivery) |
-- in_progress (another request is handling it right now: ask Telegram to come back later).
create function private.begin_telegram_update(id bigint, lease interval default '30 seconds')
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
  taken bigint;
  done_at timestamptz;
begin
  insert into private.telegram_updates as u (update_id, lease_until)
  values (begin_telegram_update.id, now() + lease)
  on conflict (update_id) do update
    set lease_until = now() + lease
    where u.handled_at is null and u.lease_until <= now()
  returning u.update_id into taken;
  if taken is not null then
    return 'handle';
  end if;
  select u.handled_at into done_at from private.telegram_updates u where u.update_id = begin_telegram_update.id;
  return case when done_at is not null then 'handled' else 'in_progress' end;
end
$$;

-- The update's handling succeeded: its redeliveries are answered without acting again.
create function private.finish_telegram_update(id bigint)
returns void
language sql
volatile
set search_path = ''
as $$
  update private.telegram_updates u
  set handled_at = now(), lease_until = null
  where u.update_id = finish_telegram_update.id
$$;

-- The update's handling failed: its redelivery may be handled at once.
create function private.release_telegram_update(id bigint)
returns void
language sql
volatile
set search_path = ''
as $$
  update private.telegram_updates u
  set lease_until = now()
  where u.update_id = release_telegram_update.id and u.handled_at is null
$$;

revoke all on function private.begin_telegram_update(bigint, interval) from public, anon, authenticated;
revoke all on function private.finish_telegram_update(bigint) from public, anon, authenticated;
revoke all on function private.release_telegram_update(bigint) from public, anon, authenticated;
grant execute on function private.begin_telegram_update(bigint, interval) to service_role;
grant execute on function private.finish_telegram_update(bigint) to service_role;
grant execute on function private.release_telegram_update(bigint) to service_role;
