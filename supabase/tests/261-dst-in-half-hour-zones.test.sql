-- "A time that does not exist on a spring-forward day moves forward by the gap; a time that
-- happens twice on a fall-back day is reminded once" (README, The habit rules), in the zones where
-- that is least like Berlin: Lord Howe's clocks move by 30 minutes, Santiago's and Havana's at
-- midnight, St John's is 3:30 behind UTC, Kathmandu and Kolkata are 5:45 and 5:30 ahead (no DST).
-- The tick (due path and queued ahead, every 10 minutes) over three days around each change
-- queues exactly one reminder per grid day, at the instant the local date and time give, on time.
begin;
set local search_path = public, extensions;
select * from no_plan();

create temp table cases (zone text, local_time time, change date) on commit drop;
insert into cases values
  ('Australia/Lord_Howe', '01:45', '2026-04-05'),  -- 02:00 → 01:30: 01:45 happens twice
  ('Australia/Lord_Howe', '01:30', '2026-04-05'),
  ('Australia/Lord_Howe', '02:15', '2026-10-04'),  -- 02:00 → 02:30: 02:15 does not exist
  ('Australia/Lord_Howe', '02:30', '2026-10-04'),
  ('Australia/Lord_Howe', '23:59', '2026-10-03'),
  ('America/Santiago', '23:30', '2026-04-04'),     -- 24:00 → 23:00: 23:30 happens twice
  ('America/Santiago', '00:00', '2026-09-06'),     -- 00:00 → 01:00: midnight does not exist
  ('America/Santiago', '00:30', '2026-09-06'),
  ('America/Havana', '00:30', '2026-03-08'),
  ('America/Havana', '00:30', '2026-11-01'),
  ('America/St_Johns', '01:30', '2026-11-01'),
  ('Asia/Kathmandu', '07:00', '2026-10-04'),
  ('Asia/Kolkata', '00:00', '2026-10-04');

do $$
declare
  c record;
  n integer := 0;
  person uuid;
begin
  for c in select * from cases loop
    n := n + 1;
    person := tests.create_supabase_user('dst-' || n, c.zone);
    perform tests.link_telegram('dst-' || n, 26100 + n);
    insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds)
    select person, format('%s %s %s every %s', c.zone, c.local_time, c.change, every), 'here', c.local_time, every, 60
    from generate_series(1, 2) every;
    update public.habits set starts_on = c.change - 4 where owner_id = person;
    update public.habits h
    set next_reminder_at = private.next_occurrence(h.time, h.interval_days, h.starts_on, c.zone,
      ((c.change - 1)::timestamp at time zone c.zone) - interval '1 minute')
    where h.owner_id = person;
  end loop;
end
$$;
delete from public.notifications;

-- The ticks: every 10 minutes over each change's three days, earliest change first.
do $$
declare
  t timestamptz;
begin
  for t in
    select distinct g from cases c
    cross join lateral generate_series(((c.change - 1)::timestamp at time zone c.zone) - interval '30 minutes',
      ((c.change + 2)::timestamp at time zone c.zone), interval '10 minutes') g
    order by g
  loop
    perform private.enqueue_due_reminders(t);
    perform private.queue_upcoming_reminders(t);
  end loop;
end
$$;

create temp table expected on commit drop as
select h.id, h.action, d::date as day, (d::date + h.time) at time zone c.zone as at
from cases c
join public.habits h on h.action like format('%s %s %s every %%', c.zone, c.local_time, c.change)
cross join generate_series(c.change - 1, c.change + 1, interval '1 day') d
where (d::date - h.starts_on) % h.interval_days = 0;

select ok((select count(*) from expected) > 30, 'the cases have occurrences on, before and after each change');
select is_empty(
  $$ select e.action, e.day, e.at from expected e
     where (select count(*) from public.notifications n where n.habit_id = e.id and n.due_at = e.at) <> 1 $$,
  'every occurrence around a change is reminded exactly once, at the local date and time in its zone');
select is_empty(
  $$ select h.action, n.due_at from public.notifications n join public.habits h on h.id = n.habit_id
     where n.due_at between (select min(e.at) from expected e where e.id = h.id) and (select max(e.at) from expected e where e.id = h.id)
       and not exists (select from expected e where e.id = n.habit_id and e.at = n.due_at) $$,
  'and nothing else is reminded between them');
select is_empty(
  $$ select h.action, n.due_at, n.status, n.next_attempt_at from expected e
     join public.notifications n on n.habit_id = e.id and n.due_at = e.at
     join public.habits h on h.id = e.id
     where n.status <> 'pending' or n.next_attempt_at <> n.due_at $$,
  'each queued ahead, to be sent at its second');
select is(
  (select at from expected where action = 'Australia/Lord_Howe 02:15:00 2026-10-04 every 1' and day = '2026-10-04'),
  '2026-10-04 02:45:00+11'::timestamptz,
  'a time in Lord Howe''s half-hour gap moves forward by the half hour');
select is(
  (select at from expected where action = 'America/Santiago 00:00:00 2026-09-06 every 1' and day = '2026-09-06'),
  '2026-09-06 01:00:00-03'::timestamptz,
  'midnight on Santiago''s spring-forward day is 01:00');

select * from finish();
rollback;
