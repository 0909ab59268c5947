-- Shrunk from tests/properties/tick_and_claim_test.ts: a digest subscriber whose zone stops
-- resolving (as a legacy name does when tzdata-legacy leaves the server). Neither the tick nor
-- the dispatcher's claim fails for anyone else; that person is paused with a reason they see.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('zelda', 'Europe/Berlin');
select tests.create_supabase_user('zeno', 'Europe/Berlin');
select tests.link_telegram('zelda', 16201);
select tests.link_telegram('zeno', 16202);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('16100000-0000-0000-0000-000000000001', tests.get_supabase_uid('zelda'), 'read', 'bed', '07:00', 30),
       ('16100000-0000-0000-0000-000000000002', tests.get_supabase_uid('zeno'), 'run', 'park', '07:00', 30);
update public.profiles set weekly_digest = true
where id in (tests.get_supabase_uid('zelda'), tests.get_supabase_uid('zeno'));
-- Nothing else in the outbox is claimable in this transaction: only these rows are looked at.
update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending');

-- A reminder of Zelda's went out, and she snoozed it; then her zone stopped resolving.
insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at, status, next_attempt_at) overriding system value
values (1610001, '16100000-0000-0000-0000-000000000001', tests.get_supabase_uid('zelda'), 'reminder',
  now() - interval '20 minutes', now() - interval '20 minutes', 'sent', now() - interval '20 minutes');
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at, snoozed_from_id)
values ('16100000-0000-0000-0000-000000000001', tests.get_supabase_uid('zelda'), 'snoozed_reminder',
  now() - interval '5 minutes', now() - interval '20 minutes', now() - interval '5 minutes', 1610001);
alter table public.profiles drop constraint if exists profiles_timezone_is_known;
alter table public.profiles disable trigger profiles_reschedule_habits;
update public.profiles set timezone = 'Mars/Olympus_Mons' where id = tests.get_supabase_uid('zelda');
alter table public.profiles enable trigger profiles_reschedule_habits;
-- Zeno's reminder is due now.
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at)
values ('16100000-0000-0000-0000-000000000002', tests.get_supabase_uid('zeno'), 'reminder',
  now() - interval '1 minute', now() - interval '1 minute', now() - interval '1 minute');

-- The tick's digest step.
select lives_ok($$ select private.enqueue_weekly_digests('2026-11-29 18:00Z') $$,
  'one subscriber''s unresolvable zone does not stop the digest step');
select results_eq($$ select n.due_at, n.status from public.notifications n
  where n.owner_id = tests.get_supabase_uid('zeno') and n.kind = 'weekly_digest' $$,
  $$ values ('2026-11-29 18:00Z'::timestamptz, 'pending') $$, 'everyone else''s digest is queued');
select ok((select n.status = 'skipped' and n.last_error like 'time_zone_unresolvable: time zone "Mars/Olympus_Mons"%'
           from public.notifications n where n.owner_id = tests.get_supabase_uid('zelda') and n.kind = 'weekly_digest'),
  'the person with the unresolvable zone sees their digest skipped, and why');
select is(private.enqueue_weekly_digests('2026-11-29 18:05Z'), 0, 'a later tick records the reason once, not every minute');
select lives_ok($$ select private.run_reminder_tick() $$, 'the whole tick runs');

-- The claim.
update public.notifications set next_attempt_at = now() - interval '1 minute'
where owner_id = tests.get_supabase_uid('zeno') and kind = 'weekly_digest';
select lives_ok($$ create temp table claimed as select * from private.claim_messages(50, '2 minutes') $$,
  'one person''s unresolvable zone does not stop the claim');
select results_eq($$ select kind, chat_id from claimed order by kind $$,
  $$ values ('reminder', 16202::bigint), ('weekly_digest', 16202::bigint) $$,
  'everyone else''s reminder and digest are claimed');
select ok((select digest is not null and jsonb_array_length(digest) = 1 from claimed where kind = 'weekly_digest'),
  'with the digest''s week');
select ok((select status = 'skipped' and last_error like 'time_zone_unresolvable: time zone "Mars/Olympus_Mons"%'
           from public.notifications where snoozed_from_id = 1610001),
  'the snoozed reminder of the person with the unresolvable zone is skipped with the reason, not left to fail again');
select is((select count(*)::int from private.claim_messages(50, '2 minutes')), 0, 'and the next claim finds nothing left');

-- A per-message computation that fails gives no streak or no digest, never a failed claim.
select is(private.streak_for_message('16100000-0000-0000-0000-000000000001'), null,
  'a streak that cannot be computed is null (the reminder goes out without it)');
select is(private.digest_for_message(tests.get_supabase_uid('zelda')), null,
  'a digest that cannot be computed is null (the dispatcher records it as skipped)');

select * from finish();
rollback;
