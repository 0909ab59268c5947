-- Reminders queued ahead of their time (private.queue_upcoming_reminders): each waits in the
-- outbox until its second, earliest first and a batch at a time; the habit moves on to the
-- occurrence after it exactly as private.next_occurrence says (a random sample around DST changes);
-- changing the schedule, pausing or moving to another zone withdraws what was queued ahead.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('quinn', 'Europe/Berlin');
select tests.link_telegram('quinn', 770001);
create temp table clock as
select now() as now_, date_trunc('minute', now() + interval '10 minutes') as soon,
  date_trunc('minute', now() + interval '50 minutes') as later;
grant select on clock to authenticated;

-- ---------------------------------------------------------------- queued ahead, not sent early
insert into public.habits (id, owner_id, action, place, time, duration_seconds) values
  ('f7700000-0000-0000-0000-000000000001', tests.get_supabase_uid('quinn'), 'soon', 'here',
    ((select soon from clock) at time zone 'Europe/Berlin')::time, 60),
  ('f7700000-0000-0000-0000-000000000002', tests.get_supabase_uid('quinn'), 'later', 'here',
    ((select later from clock) at time zone 'Europe/Berlin')::time, 60);
-- The "habit created" messages are deliverable at once; they are not what this file is about.
delete from public.notifications where kind = 'habit_created';
select is((select next_reminder_at from public.habits where action = 'soon'), (select soon from clock),
  'a habit due in ten minutes has that as its next reminder');

select is(private.queue_upcoming_reminders(now()), 1, 'the tick queues the one reminder due within the horizon');
select results_eq(
  $$ select kind, status, due_at, occurrence_at, next_attempt_at, attempts from public.notifications
     where habit_id = 'f7700000-0000-0000-0000-000000000001' $$,
  $$ select 'reminder', 'pending', soon, soon, soon, 0 from clock $$,
  'it waits in the outbox as pending, due and attempted no earlier than its occurrence');
select is((select next_reminder_at from public.habits where action = 'soon'), (select soon + interval '1 day' from clock),
  'the habit moves on to the occurrence after it');
select is((select count(*) from public.notifications where habit_id = 'f7700000-0000-0000-0000-000000000002'), 0::bigint,
  'a reminder beyond the horizon is not queued yet');
select is((select next_reminder_at from public.habits where action = 'later'), (select later from clock),
  'and its habit is left as it was');

select is(private.has_deliverable_notifications(now()), false, 'nothing queued ahead is deliverable before its time');
select is((select count(*) from private.claim_notifications(50)), 0::bigint, 'and the dispatcher claims nothing early');
select is(private.has_deliverable_notifications((select soon from clock)), true, 'at its second it is deliverable');

select is(private.queue_upcoming_reminders(now()), 0, 'a second tick in the same minute queues nothing more');
select is(private.enqueue_due_reminders((select soon from clock)), 0,
  'the tick at the occurrence finds nothing left to queue (no second reminder)');
select is((select count(*) from public.notifications where habit_id = 'f7700000-0000-0000-0000-000000000001'), 1::bigint,
  'one reminder for the occurrence');

-- ---------------------------------------------------------------- withdrawn when the schedule changes
select tests.authenticate_as('quinn');
update public.habits set time = ((select soon + interval '5 minutes' from clock) at time zone 'Europe/Berlin')::time
where action = 'soon';
select tests.as_postgres();
select is((select count(*) from public.notifications where habit_id = 'f7700000-0000-0000-0000-000000000001'), 0::bigint,
  'moving the habit''s time withdraws the reminder queued ahead for the old time');
select is((select next_reminder_at from public.habits where action = 'soon'), (select soon + interval '5 minutes' from clock),
  'the next reminder is the new time today');
select is(private.queue_upcoming_reminders(now()), 1, 'and the next tick queues it');
select is((select due_at from public.notifications where habit_id = 'f7700000-0000-0000-0000-000000000001'),
  (select soon + interval '5 minutes' from clock), 'for the new time');

select tests.authenticate_as('quinn');
update public.habits set action = 'soon, renamed' where action = 'soon';
select tests.as_postgres();
select is((select count(*) from public.notifications where habit_id = 'f7700000-0000-0000-0000-000000000001'), 1::bigint,
  'renaming the habit keeps its queued reminder (the message is written when it is sent)');

select tests.authenticate_as('quinn');
update public.habits set is_paused = true where action = 'soon, renamed';
select tests.as_postgres();
select is((select count(*) from public.notifications where habit_id = 'f7700000-0000-0000-0000-000000000001'), 0::bigint,
  'pausing withdraws it');
select is(private.queue_upcoming_reminders(now()), 0, 'and a paused habit is not queued again');

select tests.authenticate_as('quinn');
update public.habits set is_paused = false where action = 'soon, renamed';
select tests.as_postgres();
select is(private.queue_upcoming_reminders(now()), 1, 'resuming queues it again');
-- A reminder already due (here: one the dispatcher could take now) is sent as it is.
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at)
values ('f7700000-0000-0000-0000-000000000001', tests.get_supabase_uid('quinn'), 'reminder',
  now() - interval '1 day', now() - interval '1 day', now());
update public.profiles set timezone = 'Asia/Tokyo' where id = tests.get_supabase_uid('quinn');
select is((select array_agg(due_at) from public.notifications where habit_id = 'f7700000-0000-0000-0000-000000000001'),
  (select array[now() - interval '1 day'] from clock),
  'moving to another zone withdraws what was queued ahead, and leaves what is already due');
-- One the dispatcher claimed at its time and handed back to wait out a pause of sends
-- (record_delivery 'released': pending, untried, next attempt after now) is already due too.
insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at, status, attempts, next_attempt_at)
overriding system value
values (770901, 'f7700000-0000-0000-0000-000000000001', tests.get_supabase_uid('quinn'), 'reminder',
  now() - interval '1 minute', now() - interval '1 minute', 'sending', 1, now() + interval '2 minutes');
select is(private.record_delivery(770901, 'released', error => 'sends paused', retry_after_seconds => 30), 'pending',
  'a reminder handed back during a pause of sends waits, untried, past its due time');
select tests.authenticate_as('quinn');
update public.habits set time = '05:55' where id = 'f7700000-0000-0000-0000-000000000001';
select tests.as_postgres();
select results_eq($$ select status, attempts from public.notifications where id = 770901 $$, $$ values ('pending', 0) $$,
  'an edit does not withdraw it: a reminder already due is sent as it is');

-- ---------------------------------------------------------------- earliest first, a batch at a time
select tests.create_supabase_user('rita', 'UTC');
select tests.link_telegram('rita', 770002);
update public.habits set is_paused = true where owner_id = tests.get_supabase_uid('quinn');
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('rita'), 'batch-' || m, 'here', (date_trunc('minute', now() + m * interval '1 minute') at time zone 'UTC')::time, 60
from generate_series(5, 7) m;
delete from public.notifications where kind = 'habit_created';
update private.settings set value = 2 where name = 'reminder_tick_batch';
select is(private.queue_upcoming_reminders(now()), 2, 'a tick queues at most its batch (reminder_tick_batch)');
select is((select array_agg(h.action order by h.action) from public.notifications n join public.habits h on h.id = n.habit_id
           where h.owner_id = tests.get_supabase_uid('rita')), array['batch-5', 'batch-6'], 'the earliest due first');
select is(private.queue_upcoming_reminders(now()), 1, 'the next tick queues the rest');
update private.settings set value = 5000 where name = 'reminder_tick_batch';

-- ---------------------------------------------------------------- only on-grid reminders ahead
update public.habits set is_paused = false, time = '04:00', interval_days = 1 where action = 'later';
update public.habits set next_reminder_at = date_trunc('minute', now()) + interval '3 minutes 17 seconds'
where action = 'later';
select is(private.queue_upcoming_reminders(now()), 0,
  'a next reminder set off the schedule (by hand) is not queued ahead');
select is((select next_reminder_at from public.habits where action = 'later'),
  date_trunc('minute', now()) + interval '3 minutes 17 seconds', 'it is left for the tick at its time');

-- ---------------------------------------------------------------- queued ahead, then the database was down
-- Three reminders queued ahead: one fell due 3 hours ago, one 20 minutes ago, one is still ahead.
delete from public.notifications;
delete from private.reminder_tick_clock;
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at, created_at)
select h.id, h.owner_id, 'reminder', now() + d, now() + d, now() + d, now() - interval '4 hours'
from public.habits h
cross join (values (interval '-3 hours'), (interval '-20 minutes'), (interval '10 minutes')) due(d)
where h.action = 'batch-5';
select is(private.skip_reminders_missed_while_down(now() - interval '4 hours'), 0, 'the first tick only starts the clock');
select is(private.skip_reminders_missed_while_down(now()), 1,
  'after four hours without a tick, the reminder that fell due more than an hour ago is skipped');
select results_eq(
  $$ select status, last_error from public.notifications where kind = 'reminder' order by due_at $$,
  $$ values ('skipped', 'missed while the service was down'), ('pending', null), ('pending', null) $$,
  'it is recorded as missed while the service was down; the one 20 minutes late is sent, the one ahead waits');
update public.notifications set status = 'pending', last_error = null where kind = 'reminder';
select is(private.skip_reminders_missed_while_down(now()), 0,
  'with the ticks running, a backlog older than an hour (a burst at Telegram''s rate) is sent, not skipped');
select is(private.skip_reminders_missed_while_down(now() - interval '2 hours'), 0, 'a clock that goes back changes nothing');
select is((select last_tick_at from private.reminder_tick_clock), now(), 'and does not move the tick''s clock back');

-- ---------------------------------------------------------------- a random sample around DST changes
create temp table sample_seed as select random() * 2 - 1 as seed;
select setseed((select seed from sample_seed));
select diag('random sample seed: ' || (select seed from sample_seed));

create temp table zones (zone text primary key, owner_id uuid);
insert into zones (zone) values
  ('UTC'), ('Europe/Berlin'), ('America/New_York'), ('America/St_Johns'), ('America/Havana'),
  ('America/Santiago'), ('Australia/Lord_Howe'), ('Pacific/Chatham'), ('Asia/Beirut'), ('Antarctica/Troll');
select tests.create_supabase_user('ahead-' || zone, zone) from zones;
update zones set owner_id = tests.get_supabase_uid('ahead-' || zone);

create temp table transitions as
select z.zone, h as instant
from zones z
cross join generate_series('2026-01-01 01:00Z'::timestamptz, '2028-01-01 00:00Z', interval '1 hour') h
where (h at time zone z.zone) - ((h - interval '1 hour') at time zone z.zone) <> interval '1 hour';

-- 400 habits near a random transition of their zone: local time within 90 minutes of it, every
-- interval 1-7, anchors up to two weeks back or a few days ahead; next_reminder_at is the first
-- occurrence after a random instant within 36 hours of the transition.
create temp table cases as
select row_number() over () as case_id, t.zone, z.owner_id, 1 + floor(random() * 7)::int as interval_days,
  date_trunc('minute', (t.instant at time zone t.zone)::time + (random() * 180 - 90) * interval '1 minute')::time as local_time,
  (t.instant at time zone t.zone)::date - floor(random() * 18)::int + 3 as anchor,
  t.instant + (random() * 72 - 36) * interval '1 hour' as after,
  null::uuid as habit_id, null::timestamptz as occurrence
from generate_series(1, 400) n
cross join lateral (select * from transitions where n > 0 order by random() limit 1) t
join zones z on z.zone = t.zone;
update cases set occurrence = private.next_occurrence(local_time, interval_days, anchor, zone, after);

set local session_replication_role = replica;
with created as (
  insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, starts_on, next_reminder_at)
  select c.owner_id, 'ahead-' || c.case_id, 'anywhere', c.local_time, c.interval_days, 60, c.anchor, c.occurrence from cases c
  returning id, action
)
update cases c set habit_id = created.id from created where created.action = 'ahead-' || c.case_id;
set local session_replication_role = origin;

-- One tick with a horizon of three years (past the setting's CHECK, dropped in this rolled-back
-- transaction) and a batch of the whole sample.
alter table private.settings drop constraint settings_reminder_queue_ahead_minutes_range;
update private.settings set value = 3 * 366 * 1440 where name = 'reminder_queue_ahead_minutes';
update private.settings set value = 100000 where name = 'reminder_tick_batch';
select lives_ok($$ select private.queue_upcoming_reminders((select min(occurrence) - interval '1 second' from cases)) $$,
  'the whole sample is queued ahead in one tick');
select is_empty($$
  select c.case_id, c.zone, c.local_time, c.interval_days, c.anchor, c.occurrence, n.due_at, h.next_reminder_at,
    private.next_occurrence(c.local_time, c.interval_days, c.anchor, c.zone, c.occurrence) as expected_next
  from cases c
  join public.habits h on h.id = c.habit_id
  left join public.notifications n on n.habit_id = c.habit_id and n.kind = 'reminder'
  where n.due_at is distinct from c.occurrence or n.next_attempt_at is distinct from c.occurrence
    or h.next_reminder_at is distinct from private.next_occurrence(c.local_time, c.interval_days, c.anchor, c.zone, c.occurrence) $$,
  'every habit of the sample is queued for its occurrence and moves on exactly as private.next_occurrence says');
select ok(exists (
  select from cases c where (c.occurrence at time zone c.zone)::time <> c.local_time),
  'the sample includes an occurrence whose local time fell in a spring-forward gap');
select ok(exists (
  select from cases c where ((c.occurrence - interval '1 hour') at time zone c.zone)::time = c.local_time),
  'the sample includes an occurrence whose local time happened twice at fall-back');

select * from finish();
rollback;
