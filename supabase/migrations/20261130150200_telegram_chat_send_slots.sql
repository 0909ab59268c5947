-- =====================================================================================
-- One per-chat send limit for every sender (issue 11, follow-up)
-- The reminders dispatcher and the webhook's replies both message a chat; Telegram allows about
-- one message a second per chat from the bot as a whole. Each sender takes the chat's next slot
-- here, atomically, before it sends, so a Done reply right after a reminder (or a reminder right
-- after any reply) waits out the chat's gap instead of getting a 429.
-- =====================================================================================

create table private.telegram_chat_send_slots (
  chat_id bigint primary key,
  -- The latest slot taken for this chat (may be slightly in the future: a sender is waiting for it).
  -- One small row per chat ever messaged, like profiles.telegram_chat_id; nothing to prune.
  slot_at timestamptz not null
);

-- Takes the chat's next send slot: now, or `gap` after the slot taken last, whichever is later.
-- Returns how many milliseconds the caller must wait before sending (0: send now). The database's
-- clock decides, so senders on other machines need not agree on the time.
create function private.take_telegram_chat_slot(chat_id bigint, gap interval default '1.1 seconds')
returns integer
language sql
volatile
set search_path = ''
as $$
  with taken as (
    insert into private.telegram_chat_send_slots as s (chat_id, slot_at)
    values (take_telegram_chat_slot.chat_id, clock_timestamp())
    on conflict on constraint telegram_chat_send_slots_pkey do update
      set slot_at = greatest(clock_timestamp(), s.slot_at + gap)
    returning s.slot_at
  )
  select greatest(0, ceil(extract(epoch from taken.slot_at - clock_timestamp()) * 1000))::integer from taken
$$;

-- How long until the earliest queued message may be sent (milliseconds, 0 if one may go now;
-- null when nothing waits). A run that has nothing to send right now but will within its working
-- time (a 429's retry_after, a backoff) stays and sends it instead of leaving it to the next tick.
create function private.next_deliverable_in()
returns integer
language sql
stable
set search_path = ''
as $$
  -- greatest() skips nulls, so an empty queue is tested for apart.
  select case when min(n.next_attempt_at) is not null
    then greatest(0, ceil(extract(epoch from min(n.next_attempt_at) - clock_timestamp()) * 1000))::integer
  end
  from public.notifications n
  where n.status in ('pending', 'retry')
$$;

alter table private.telegram_chat_send_slots enable row level security;
revoke all on private.telegram_chat_send_slots from public, anon, authenticated;
grant select, insert, update, delete on private.telegram_chat_send_slots to service_role;

revoke all on function private.take_telegram_chat_slot(bigint, interval) from public, anon, authenticated;
revoke all on function private.next_deliverable_in() from public, anon, authenticated;
grant execute on function private.take_telegram_chat_slot(bigint, interval) to service_role;
grant execute on function private.next_deliverable_in() to service_role;
