-- =====================================================================================
-- One send budget for the whole bot, shared by every sender (issue 27, items 1 and 5)
-- Telegram limits the bot as a whole (about 30 messages a second, 1,000 with paid broadcasts)
-- and each chat (about one a second). The per-chat gap was already kept here; the bot's rate was
-- kept inside the reminders process, which the webhook's replies (and any other process) did not
-- share, and a retry_after Telegram announced to one sender held back only that one.
-- Now every sender takes its send times here, for a whole set of messages in one statement:
--   * the bot's rate: at most `per second` sends in any window of `telegram_rate_window_ms`
--     (1,030 ms: the 30 ms beyond the second absorb network jitter, so Telegram never sees more
--     than 28 in one second). Slots are spaced evenly on the database's clock, so the promise
--     holds for any window, not per calendar second;
--   * the chat's gap (telegram_chat_send_slots, as before);
--   * a pause: every slot is after any retry_after announced to any sender.
-- The settings live in private.settings, their one home, read by every sender through this
-- function and by the benchmarks; no environment variable overrides them (issue 25, section 3:
-- REMINDERS_CHAT_INTERVAL_MS claimed to set the chat's gap, which the webhook's replies never read).
-- =====================================================================================

insert into private.settings (name, value) values
  ('telegram_messages_per_second', 28),
  ('telegram_paid_messages_per_second', 950),
  ('telegram_rate_window_ms', 1030),
  ('telegram_chat_interval_ms', 1100)
on conflict (name) do nothing;

alter table private.settings
  add constraint settings_telegram_messages_per_second_range
    check (name <> 'telegram_messages_per_second' or value between 1 and 1000000),
  add constraint settings_telegram_paid_messages_per_second_range
    check (name <> 'telegram_paid_messages_per_second' or value between 1 and 1000000),
  -- Under a second, "at most N in any second" could not hold.
  add constraint settings_telegram_rate_window_ms_range
    check (name <> 'telegram_rate_window_ms' or value between 1000 and 60000),
  add constraint settings_telegram_chat_interval_ms_range
    check (name <> 'telegram_chat_interval_ms' or value between 0 and 60000);

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

insert into private.telegram_send_budget (lane) values ('free'), ('paid');

-- A send budget setting by name; a missing row is an error that names it, never a silent default.
create function private.telegram_send_setting(setting text)
returns integer
language plpgsql
stable
set search_path = ''
as $$
declare
  found_value integer;
begin
  select s.value into found_value from private.settings s where s.name = setting;
  if found_value is null then
    raise exception 'the send budget setting "%" is missing from private.settings', setting
      using errcode = 'no_data_found';
  end if;
  return found_value;
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

revoke all on function private.telegram_send_setting(text) from public;
grant all on function private.telegram_send_setting(text) to service_role;
revoke all on function private.take_telegram_send_slots(bigint[], boolean, timestamp with time zone) from public;
grant all on function private.take_telegram_send_slots(bigint[], boolean, timestamp with time zone) to service_role;
revoke all on function private.pause_telegram_sends(numeric) from public;
grant all on function private.pause_telegram_sends(numeric) to service_role;
revoke all on function private.telegram_sends_paused_for() from public;
grant all on function private.telegram_sends_paused_for() to service_role;
grant select, insert, update on table private.telegram_send_budget to service_role;
