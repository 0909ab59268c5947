-- Issue 27, item 6: a slow Telegram must not multiply reminders. A send that timed out or lost
-- its connection after the request left ("maybe delivered") is resent once, after a wait that
-- grows with its attempts (1, 2, 4 min ... against a plain retry's 30 s, 1, 2 min ...). A second
-- maybe-delivered attempt is recorded, not resent: the message ends `unconfirmed`, with what
-- happened in last_error. A message that was maybe delivered never ends `dead` as if it had
-- never arrived: when it gives up (attempts used up, or a 4xx) it is `unconfirmed` too.

-- ---------------------------------------------------------------- the status

alter table public.notifications drop constraint notifications_status_known;
alter table public.notifications add constraint notifications_status_known
  check (status in ('pending', 'sending', 'sent', 'retry', 'dead', 'skipped', 'unconfirmed'));

comment on column public.notifications.maybe_delivered_attempts is
  'Attempts that may have reached the chat (a timeout or a connection lost after the request left, or a claim of a run that died): an upper bound on the copies beyond the first.';

-- ---------------------------------------------------------------- recording an outcome

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
--   released      the run had no time left: not an attempt; back in the queue after `retry_after_seconds`
--   dead, skipped final
-- A message that gives up (dead) after an attempt that was maybe delivered ends `unconfirmed`.
create or replace function private.record_delivery(notification_id bigint, outcome text, telegram_message_id bigint default null::bigint, error text default null::text, retry_after_seconds integer default null::integer, max_attempts integer default 5) returns text
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
      next_attempt_at = case when delay is not null and final_status in ('retry', 'pending') then now() + delay
        else n.next_attempt_at end
  where n.id = notification_id;
  return final_status;
end
$$;

-- ---------------------------------------------------------------- settled like sent, dead and skipped

create or replace function private.prune_housekeeping() returns void
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  delete from cron.job_run_details where end_time < now() - interval '7 days';
  delete from net._http_response where created < now() - interval '1 day';
  delete from public.notifications
  where status in ('sent', 'skipped', 'dead', 'unconfirmed') and created_at < now() - interval '90 days';
  delete from private.telegram_updates where received_at < now() - interval '7 days';
  delete from public.telegram_link_codes where expires_at < now() - interval '1 day';
end
$$;

drop trigger notifications_broadcast_settled_insert on public.notifications;
drop trigger notifications_broadcast_settled_status on public.notifications;

create trigger notifications_broadcast_settled_insert
after insert on public.notifications
for each row when (new.status in ('sent', 'dead', 'skipped', 'unconfirmed'))
execute function private.broadcast_owner_row_change();

create trigger notifications_broadcast_settled_status
after update of status on public.notifications
for each row when (old.status is distinct from new.status and new.status in ('sent', 'dead', 'skipped', 'unconfirmed'))
execute function private.broadcast_owner_row_change();
