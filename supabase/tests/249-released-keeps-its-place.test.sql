-- A message a run hands back unsent keeps its place in the queue (issue 27): released with nothing
-- to wait out, its next_attempt_at goes back to its due time, so the next claim takes it before
-- the messages that were due after it. Waiting out a retry_after is unchanged.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('front', 'UTC');
select tests.link_telegram('front', 24901);
select tests.create_supabase_user('back', 'UTC');
select tests.link_telegram('back', 24902);
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid(u), u || ' habit', 'home', '07:00', 30 from unnest(array['front', 'back']) u;
delete from public.notifications;

-- "front" was due two minutes ago and claimed by a run; "back" was due a minute ago.
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, attempts, next_attempt_at, lease_until)
select h.id, h.owner_id, 'reminder', now() - interval '2 minutes', now() - interval '2 minutes', 'sending', 1,
  now() + interval '2 minutes', now() + interval '2 minutes'
from public.habits h where h.owner_id = tests.get_supabase_uid('front');
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, next_attempt_at)
select h.id, h.owner_id, 'reminder', now() - interval '1 minute', now() - interval '1 minute', 'pending',
  now() - interval '1 minute'
from public.habits h where h.owner_id = tests.get_supabase_uid('back');

select is(
  private.record_delivery((select id from public.notifications where owner_id = tests.get_supabase_uid('front')),
    'released', null, 'working time used up', 0, 5),
  'pending', 'a message handed back unsent is pending again'
);
select results_eq(
  $$select attempts, next_attempt_at, lease_until from public.notifications where owner_id = tests.get_supabase_uid('front')$$,
  $$values (0, now() - interval '2 minutes', null::timestamptz)$$,
  'handing it back was no attempt, and it is due again at its own due time, not at the moment it came back'
);
select is(
  private.choose_claimable(1),
  array[(select id from public.notifications where owner_id = tests.get_supabase_uid('front'))],
  'the next claim takes it before the message due after it'
);

-- Waiting out a retry_after announced meanwhile: due when the pause is over, as before.
update public.notifications set status = 'sending', attempts = 1, next_attempt_at = now() + interval '2 minutes'
where owner_id = tests.get_supabase_uid('front');
select private.record_delivery((select id from public.notifications where owner_id = tests.get_supabase_uid('front')),
  'released', null, 'working time used up', 7, 5);
select is(
  (select next_attempt_at from public.notifications where owner_id = tests.get_supabase_uid('front')),
  now() + interval '7 seconds', 'released inside a pause, it waits out the pause'
);

select * from finish();
rollback;
