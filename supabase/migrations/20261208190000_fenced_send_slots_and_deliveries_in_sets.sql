-- =====================================================================================
-- The dispatcher lease's fence (20261208180000) over the bot's send budget and the sets
-- (20261208100000, 20261208100100): the dispatcher takes the send slots of a whole claim in one
-- statement and records outcomes in sets, and both carry its lease generation.
--   * private.take_notification_send_slots: private.take_telegram_send_slots (the bot's rate, the
--     chat's gap, any retry_after: one budget for every sender) for the holder of the generation
--     only. It replaces private.take_notification_send_slot, which took only the chat's gap, with
--     a gap of its own: the budget's settings have one home, private.settings.
--   * private.note_departing_sends: a claim's slots are taken ahead (a second of them in normal
--     mode), so a slot alone does not say the request could have left. Just before its slot (40
--     ms, with the bot's pause check) the sender notes it here, for the holder only, in
--     private.notification_send_slots until its outcome is recorded: a takeover counts as maybe
--     delivered only claims noted by the dead run's lease end.
--   * private.record_deliveries_fenced: private.record_deliveries for the holder only.
--   * take_telegram_chat_slot and recent_sends go: nothing calls them.
-- =====================================================================================

drop function private.take_notification_send_slot(bigint, bigint, bigint, interval);
-- No sender takes a chat's gap alone (take_telegram_chat_slot had a gap of its own, a second home
-- for the setting), nor starts a rate limiter of its own from the last sends (recent_sends): every
-- sender takes its slots from the bot's one budget.
drop function private.take_telegram_chat_slot(bigint, interval);
drop function private.recent_sends(interval);

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

revoke all on function private.take_notification_send_slots(bigint, bigint[], boolean, timestamp with time zone) from public;
grant all on function private.take_notification_send_slots(bigint, bigint[], boolean, timestamp with time zone) to service_role;
revoke all on function private.note_departing_sends(bigint, bigint[], timestamp with time zone[]) from public;
grant all on function private.note_departing_sends(bigint, bigint[], timestamp with time zone[]) to service_role;
revoke all on function private.record_deliveries_fenced(bigint, bigint[], text[], bigint[], text[], integer[], integer) from public;
grant all on function private.record_deliveries_fenced(bigint, bigint[], text[], bigint[], text[], integer[], integer) to service_role;
