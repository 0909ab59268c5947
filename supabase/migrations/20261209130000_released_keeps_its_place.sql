-- A message a run hands back unsent (its working time was used up, or its lease lost) keeps its
-- place in the queue: next_attempt_at goes back to its due time instead of the moment it was
-- handed back, which put it behind every message of the same burst. In a burst of three
-- reminders per chat, the chats whose second message was handed back got it sent last, right
-- before their third, and the bot sat idle for most of a chat's 1.1 s gap (issue 27,
-- bench/dispatch.ts phase C). A handed-back message waiting out a retry_after is unchanged.
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

