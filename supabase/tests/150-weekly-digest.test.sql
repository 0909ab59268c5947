-- The weekly digest's schedule: the local day and time in the person's zone across DST, once per
-- week, opt-in only, and skipped rather than late after downtime.
begin;
set local search_path = public, extensions;
select * from no_plan();

-- digest_due_at: the latest Sunday 19:00 Europe/Berlin at or before the moment.
select is(private.digest_due_at(0, '19:00', 'Europe/Berlin', '2026-10-21 12:00Z'), '2026-10-18 17:00Z'::timestamptz,
  'summer time: Sunday 19:00 CEST is 17:00 UTC');
select is(private.digest_due_at(0, '19:00', 'Europe/Berlin', '2026-10-25 17:59Z'), '2026-10-18 17:00Z'::timestamptz,
  'the DST Sunday before its local 19:00: the previous week''s');
select is(private.digest_due_at(0, '19:00', 'Europe/Berlin', '2026-10-25 18:00Z'), '2026-10-25 18:00Z'::timestamptz,
  'the Sunday summer time ends: 19:00 CET is 18:00 UTC, not 17:00');
select is(private.digest_due_at(0, '19:00', 'Europe/Berlin', '2026-03-29 16:59Z'), '2026-03-22 18:00Z'::timestamptz,
  'the Sunday summer time starts, before 19:00 local');
select is(private.digest_due_at(0, '19:00', 'Europe/Berlin', '2026-03-29 17:00Z'), '2026-03-29 17:00Z'::timestamptz,
  'the Sunday summer time starts: 19:00 CEST is 17:00 UTC');
select is(private.digest_due_at(0, '02:30', 'Europe/Berlin', '2026-03-29 12:00Z'), '2026-03-29 01:30Z'::timestamptz,
  'a local time the DST change skips resolves an hour later (03:30 CEST)');
select is(private.digest_due_at(3, '08:00', 'America/New_York', '2026-11-04 13:00Z'), '2026-11-04 13:00Z'::timestamptz,
  'Wednesday 08:00 in New York after its DST change is 13:00 UTC');
select is(private.digest_due_at(6, '23:30', 'Pacific/Auckland', '2026-11-28 10:30Z'), '2026-11-28 10:30Z'::timestamptz,
  'Saturday 23:30 in Auckland is Saturday 10:30 UTC');

-- enqueue_weekly_digests.
select tests.create_supabase_user('dora', 'Europe/Berlin');
select tests.link_telegram('dora', 15001);
select tests.create_supabase_user('emil', 'Europe/Berlin');
select tests.link_telegram('emil', 15002);
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('dora'), 'read', 'bed', '08:00', 30),
       (tests.get_supabase_uid('emil'), 'run', 'park', '08:00', 30);
update public.profiles set weekly_digest = true where id = tests.get_supabase_uid('dora');
-- Only these two people's digests are counted below.
create temporary view digests as
  select p.telegram_chat_id as chat, n.due_at from public.notifications n join public.profiles p on p.id = n.owner_id
  where n.kind = 'weekly_digest' and p.telegram_chat_id in (15001, 15002);

select is(private.enqueue_weekly_digests('2026-10-25 17:30Z'), 0, 'nothing before the local time');
select is(private.enqueue_weekly_digests('2026-10-25 18:00Z'), 1, 'the opted-in person''s digest at 19:00 CET');
select results_eq($$ select chat, due_at from digests $$, $$ values (15001::bigint, '2026-10-25 18:00Z'::timestamptz) $$,
  'one digest, for the person who opted in, at the local time after the DST change');
select is(private.enqueue_weekly_digests('2026-10-25 18:01Z'), 0, 'a later tick queues nothing again');
select is(private.enqueue_weekly_digests('2026-10-26 09:00Z'), 0, 'nor does one the next day (too late anyway)');
update public.profiles set digest_weekday = 1, digest_time = '08:00' where id = tests.get_supabase_uid('dora');
select is(private.enqueue_weekly_digests('2026-10-26 07:30Z'), 0,
  'moving the digest to Monday does not send a second one in the same week');

-- Downtime: the tick was down from Saturday to Monday; the missed Sunday digest is skipped.
update public.profiles set digest_weekday = 0, digest_time = '19:00' where id = tests.get_supabase_uid('dora');
select is(private.enqueue_weekly_digests('2026-11-01 18:59Z'), 1, 'within the grace hour: queued, a minute late');
select is(private.enqueue_weekly_digests('2026-11-09 18:01Z'), 0, 'a tick a day after the digest time skips it');
select is(private.enqueue_weekly_digests('2026-11-15 18:30Z'), 1, 'the next week''s is queued on time');
select is((select count(*)::int from digests), 3, 'three digests in three weeks, the skipped one never sent');

-- Opting out, or no linked chat, or no habits: nothing.
update public.profiles set weekly_digest = false where id = tests.get_supabase_uid('dora');
select is(private.enqueue_weekly_digests('2026-11-22 18:00Z'), 0, 'opted out: no digest');

-- The outbox's rules for digests.
select throws_ok($$ insert into public.notifications (habit_id, owner_id, kind, due_at)
  select h.id, h.owner_id, 'weekly_digest', now() from public.habits h where h.action = 'run' $$,
  '23514', null, 'a digest names no habit');
select throws_ok($$ insert into public.notifications (owner_id, kind, due_at)
  values (tests.get_supabase_uid('emil'), 'reminder', now()) $$, '23514', null, 'a reminder names its habit');
select throws_ok($$ update public.profiles set digest_weekday = 7 where id = tests.get_supabase_uid('emil') $$,
  '23514', null, 'the digest day is 0 (Sunday) to 6');

-- The tick calls the digest step.
select ok(pg_get_functiondef('private.run_reminder_tick()'::regprocedure) like '%private.enqueue_weekly_digests(now())%',
  'run_reminder_tick queues digests');
select ok(not has_function_privilege('authenticated', 'private.enqueue_weekly_digests(timestamptz)', 'execute'),
  'only the service queues digests');

select * from finish();
rollback;
