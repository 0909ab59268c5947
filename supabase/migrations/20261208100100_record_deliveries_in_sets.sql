-- =====================================================================================
-- Deliveries recorded in sets (issue 27, the ceiling)
-- The dispatcher recorded each message's outcome with its own statement: at thousands of
-- messages a second the statements, not the work, were the cost. Outcomes that arrive while one
-- set is being recorded now go together in the next: one statement for all of them. The
-- delivered ones (nearly all) in one UPDATE; every other outcome by private.record_delivery.
-- =====================================================================================

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

revoke all on function private.record_deliveries(bigint[], text[], bigint[], text[], integer[], integer) from public;
grant all on function private.record_deliveries(bigint[], text[], bigint[], text[], integer[], integer) to service_role;
