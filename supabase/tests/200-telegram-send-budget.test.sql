-- The bot's one send budget (issue 27, items 1 and 5): every sender takes its slots from
-- private.take_telegram_send_slots, for a whole set of messages in one statement. Slots are spaced
-- on a sliding window (at most 28 in any 1,030 ms, not per calendar second), after the chat's gap
-- (shared by every lane and sender) and after any retry_after announced to any sender.
-- Waits are milliseconds from the statement's end, so comparisons allow a millisecond of rounding.
begin;
set local search_path = public, extensions;
select * from no_plan();

update private.telegram_send_budget set next_slot_at = '-infinity', paused_until = '-infinity';
delete from private.telegram_chat_send_slots where chat_id between -9999 and -9000;

create temporary table taken (call text primary key, waits integer[]);
create function pg_temp.take(call text, chats bigint[], paid boolean default false) returns integer[]
language sql as $$
  insert into taken
  select call, array_agg(t.wait_ms order by t.slot)
  from private.take_telegram_send_slots(chats, paid) t
  returning waits
$$;

-- ---------------------------------------------------------------- the bot's rate, on a sliding window
select pg_temp.take('burst', array(select -9000 - i from generate_series(1, 57) i)::bigint[]);
select is(cardinality(waits), 57, 'one slot per message of the set') from taken where call = 'burst';
select ok(waits[1] <= 1, 'the first slot of an idle bot is now (or passed while the set was computed)') from taken where call = 'burst';
select ok(
  (select bool_and(waits[i + 28] - waits[i] >= 1030) from generate_series(1, 29) i),
  'any 28 consecutive slots span at least 1,030 ms: never 29 in one second, whichever second'
) from taken where call = 'burst';
select ok(
  (select bool_and(waits[i + 1] - waits[i] between 35 and 38) from generate_series(1, 56) i),
  'slots are spread evenly (1,030 / 28 = 36.8 ms apart), not bunched at the start of a second'
) from taken where call = 'burst';

select pg_temp.take('next sender', array[-9100]::bigint[]);
select ok(
  (select n.slot_at - b.last >= interval '36 milliseconds'
   from private.telegram_chat_send_slots n,
     (select max(slot_at) as last from private.telegram_chat_send_slots where chat_id between -9057 and -9001) b
   where n.chat_id = -9100),
  'another sender (the webhook, another instance) queues behind every slot already taken'
);

-- ---------------------------------------------------------------- the chat's gap
update private.telegram_send_budget set next_slot_at = '-infinity';
select pg_temp.take('two to one chat', array[-9200, -9201, -9200]::bigint[]);
select ok(waits[3] - waits[1] >= 1099, 'a chat''s second message in one set waits out the 1.1 s gap')
from taken where call = 'two to one chat';
select ok(waits[2] < waits[3], 'another chat''s message does not wait behind it') from taken where call = 'two to one chat';
select pg_temp.take('same chat later', array[-9201]::bigint[]);
select ok(
  (select l.waits[1] >= t.waits[2] + 1099 - 50 from taken l, taken t where l.call = 'same chat later' and t.call = 'two to one chat'),
  'the gap holds across statements and senders'
);
select pg_temp.take('paid to the same chat', array[-9200]::bigint[], true);
select ok(
  (select p.waits[1] >= t.waits[3] + 1099 - 50 from taken p, taken t where p.call = 'paid to the same chat' and t.call = 'two to one chat'),
  'the gap holds across lanes: a paid send to a chat waits for its free reply'
);

-- ---------------------------------------------------------------- lanes
update private.telegram_send_budget set next_slot_at = '-infinity' where lane = 'paid';
update private.telegram_send_budget set next_slot_at = clock_timestamp() + interval '10 seconds' where lane = 'free';
select pg_temp.take('paid', array[-9300]::bigint[], true);
select ok(waits[1] <= 1, 'paid sends (allow_paid_broadcast) have their own rate: a busy free lane holds none up')
from taken where call = 'paid';
select pg_temp.take('paid set', array(select -9300 - i from generate_series(1, 20) i)::bigint[], true);
select ok(
  (select bool_and(waits[i + 1] - waits[i] between 0 and 2) from generate_series(1, 19) i),
  'the paid lane spaces slots by 1,030 / 950 ms'
) from taken where call = 'paid set';

-- ---------------------------------------------------------------- a retry_after is every sender's
update private.telegram_send_budget set next_slot_at = '-infinity';
select ok(private.pause_telegram_sends(10) between 9990 and 10000, 'a 429''s retry_after pauses the bot');
select ok(private.telegram_sends_paused_for() between 9000 and 10000, 'every sender can see how long the pause lasts');
select pg_temp.take('paused free', array[-9400]::bigint[]);
select pg_temp.take('paused paid', array[-9401]::bigint[], true);
select ok(waits[1] >= 9000, 'no free slot inside the pause') from taken where call = 'paused free';
select ok(
  (select bool_and(t.paused_ms between 9000 and 10000) from private.take_telegram_send_slots(array[-9402]::bigint[]) t),
  'a take says how long the pause lasts, so a sender holding an older slot learns of it'
);
select ok(
  (select bool_and(abs(t.clock_ms - extract(epoch from clock_timestamp()) * 1000) < 1000)
   from private.take_telegram_send_slots(array[-9403]::bigint[]) t),
  'and the database clock its waits count from (epoch milliseconds)'
);
select ok(waits[1] >= 9000, 'no paid slot inside the pause either') from taken where call = 'paused paid';
select ok(private.pause_telegram_sends(1) >= 9000, 'a shorter retry_after does not shorten the pause');
update private.telegram_send_budget set paused_until = '-infinity', next_slot_at = '-infinity';
select is(private.telegram_sends_paused_for(), 0, 'no pause: 0');

-- ---------------------------------------------------------------- one home for the settings
select is(
  (select array_agg(name || '=' || value order by name) from private.settings where name like 'telegram_%'),
  array['telegram_chat_interval_ms=1100', 'telegram_messages_per_second=28',
    'telegram_paid_messages_per_second=950', 'telegram_rate_window_ms=1030'],
  'the rate, the paid rate, the window and the chat gap are settings'
);
update private.settings set value = 10 where name = 'telegram_messages_per_second';
select pg_temp.take('ten a second', array[-9500, -9501]::bigint[]);
select ok(waits[2] - waits[1] between 102 and 104, 'a changed setting changes every sender''s spacing')
from taken where call = 'ten a second';
update private.settings set value = 2000 where name = 'telegram_chat_interval_ms';
select pg_temp.take('slow chat', array[-9502, -9502]::bigint[]);
select ok(waits[2] - waits[1] between 1999 and 2001, 'and the chat gap') from taken where call = 'slow chat';
update private.telegram_send_budget set next_slot_at = '-infinity';
select throws_ok(
  $$select * from private.take_telegram_send_slots(array[-9503]::bigint[], false, 1000000, 0)$$,
  '42883', null, 'no sender brings a rate or gap of its own: the settings are the one home'
);
delete from private.settings where name = 'telegram_chat_interval_ms';
select throws_ok(
  $$select * from private.take_telegram_send_slots(array[-9504]::bigint[])$$,
  'P0002', 'the send budget setting "telegram_chat_interval_ms" is missing from private.settings',
  'a missing setting is refused by name, never replaced by a default'
);
insert into private.settings (name, value) values ('telegram_chat_interval_ms', 1100);
select is(
  (select array_agg(c.conname::text order by c.conname) from pg_constraint c
   where c.conrelid = 'private.settings'::regclass and c.contype = 'c' and c.conname like 'settings\_telegram\_%'),
  array['settings_telegram_chat_interval_ms_range', 'settings_telegram_messages_per_second_range',
    'settings_telegram_paid_messages_per_second_range', 'settings_telegram_rate_window_ms_range'],
  'each send budget setting''s range is a CHECK named after it'
);

-- ---------------------------------------------------------------- a run's last send time
update private.settings set value = 28 where name = 'telegram_messages_per_second';
update private.telegram_send_budget set next_slot_at = '-infinity';
select pg_temp.take('warm', array[-9700]::bigint[]);
create temporary table bounded as
select * from private.take_telegram_send_slots(array(select -9700 - i from generate_series(1, 40) i)::bigint[],
  false, clock_timestamp() + interval '500 milliseconds');
select ok((select count(*) between 11 and 15 from bounded where wait_ms is not null),
  'slots after not_after are not given: about 14 fit in 500 ms at 28 per 1,030 ms');
select ok((select bool_and(wait_ms is null) from bounded where slot > 16),
  'the rest have none (wait_ms null)');
select ok(
  (select b.next_slot_at <= clock_timestamp() + interval '600 milliseconds' from private.telegram_send_budget b where b.lane = 'free'),
  'and cost the bot nothing: the next sender''s slot follows the last one given'
);
select is((select count(*) from private.telegram_chat_send_slots where chat_id between -9740 and -9717), 0::bigint,
  'nor their chats'' gaps');

-- ---------------------------------------------------------------- edges
select is((select count(*) from private.take_telegram_send_slots(array[]::bigint[])), 0::bigint, 'an empty set takes nothing');
select throws_ok(
  $$update private.settings set value = 0 where name = 'telegram_messages_per_second'$$,
  '23514', 'new row for relation "settings" violates check constraint "settings_telegram_messages_per_second_range"',
  'a rate of 0 is refused by its rule'
);
select throws_ok(
  $$update private.settings set value = 999 where name = 'telegram_rate_window_ms'$$,
  '23514', 'new row for relation "settings" violates check constraint "settings_telegram_rate_window_ms_range"',
  'a window under a second is refused: "at most 28 in any second" could not hold'
);
select throws_ok(
  $$insert into private.telegram_send_budget (lane) values ('express')$$,
  '23514', null, 'only the free and paid lanes exist'
);

-- ---------------------------------------------------------------- privileges
select ok(
  not has_function_privilege('anon', 'private.take_telegram_send_slots(bigint[], boolean, timestamp with time zone)', 'execute')
  and not has_function_privilege('authenticated', 'private.take_telegram_send_slots(bigint[], boolean, timestamp with time zone)', 'execute')
  and not has_function_privilege('authenticated', 'private.pause_telegram_sends(numeric)', 'execute'),
  'only the service role takes slots or pauses the bot'
);
select ok(
  has_function_privilege('service_role', 'private.take_telegram_send_slots(bigint[], boolean, timestamp with time zone)', 'execute')
  and has_function_privilege('service_role', 'private.pause_telegram_sends(numeric)', 'execute')
  and has_function_privilege('service_role', 'private.telegram_sends_paused_for()', 'execute'),
  'the functions (service role) take slots, pause and read the pause'
);

select * from finish();
rollback;
