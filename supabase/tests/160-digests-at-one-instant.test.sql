-- Shrunk from tests/properties/tick_and_claim_test.ts: two people in Europe/Berlin on the default
-- Sunday 19:00 digest, each with one habit. Their digests fall due at the same instant; the tick
-- must queue both and everyone's reminders, and digest rows are unique per person.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('dina', 'Europe/Berlin');
select tests.create_supabase_user('dario', 'Europe/Berlin');
select tests.create_supabase_user('dora-reminded', 'Europe/Berlin');
select tests.link_telegram('dina', 16001);
select tests.link_telegram('dario', 16002);
select tests.link_telegram('dora-reminded', 16003);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('16000000-0000-0000-0000-000000000001', tests.get_supabase_uid('dina'), 'read', 'bed', '07:00', 30),
       ('16000000-0000-0000-0000-000000000002', tests.get_supabase_uid('dario'), 'run', 'park', '07:00', 30),
       ('16000000-0000-0000-0000-000000000003', tests.get_supabase_uid('dora-reminded'), 'stretch', 'mat', '19:00', 30);
update public.profiles set weekly_digest = true
where id in (tests.get_supabase_uid('dina'), tests.get_supabase_uid('dario'));
-- Someone else's reminder falls due at the same instant: Sunday 2026-11-29 19:00 CET.
update public.habits set next_reminder_at = '2026-11-29 18:00Z' where id = '16000000-0000-0000-0000-000000000003';

select lives_ok($$ select private.enqueue_due_reminders('2026-11-29 18:00Z') $$,
  'the reminders due at the digests'' instant are queued');
select lives_ok($$ select private.enqueue_weekly_digests('2026-11-29 18:00Z') $$,
  'two digests due at one instant never stop the tick');
select results_eq($$
  select p.telegram_chat_id, n.due_at from public.notifications n join public.profiles p on p.id = n.owner_id
  where n.kind = 'weekly_digest' and p.telegram_chat_id between 16001 and 16003 order by 1 $$,
  $$ values (16001::bigint, '2026-11-29 18:00Z'::timestamptz), (16002::bigint, '2026-11-29 18:00Z'::timestamptz) $$,
  'each person gets their own digest at that instant');
select is((select count(*)::int from public.notifications
           where habit_id = '16000000-0000-0000-0000-000000000003' and kind = 'reminder' and status = 'pending'),
  1, 'and the other person''s reminder due then is queued');

-- Any number of digests at one instant: forty more people on the same default.
select tests.create_supabase_user('many-' || n, 'Europe/Berlin') from generate_series(1, 40) n;
select tests.link_telegram('many-' || n, 16100 + n) from generate_series(1, 40) n;
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('many-' || n), 'walk', 'out', '08:00', 30 from generate_series(1, 40) n;
update public.profiles set weekly_digest = true where telegram_chat_id between 16101 and 16140;
select is(private.enqueue_weekly_digests('2026-11-29 18:00Z'), 40, 'forty more digests at the same instant are queued');
select is(private.enqueue_weekly_digests('2026-11-29 18:01Z'), 0, 'and a later tick queues none twice');

-- Unique per person: a second digest row for one person and instant is refused.
select throws_ok($$ insert into public.notifications (owner_id, kind, due_at)
  values (tests.get_supabase_uid('dina'), 'weekly_digest', '2026-11-29 18:00Z') $$,
  '23505', null, 'a person has one digest per instant');

select * from finish();
rollback;
