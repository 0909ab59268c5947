-- After a tick gap, private.skip_reminders_missed_while_down ends the claims of a run that
-- stopped in it (no run holds the dispatcher lease) instead of having them taken over and sent
-- hours late. The dispatcher's only fence is its lease generation (private.check_dispatcher_
-- generation): ending the claims without moving the generation on left the lapsed run able to
-- come back (its renewal keeps its generation while no other run took the lease) and send them
-- anyway, or hand them back ('released'), which put a skipped reminder back in the queue, to be
-- sent hours late by the next run. The ended claims' run is now fenced off: its generation no
-- longer holds the lease, so it can neither send, hand back nor record them.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('tarja', 'Europe/Berlin');
select tests.link_telegram('tarja', 26201);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('26200000-0000-0000-0000-000000000001', tests.get_supabase_uid('tarja'), 'stretch', 'floor', '07:00', 30);
delete from public.notifications;
delete from private.reminder_tick_clock;
delete from private.reminder_dispatcher;
select private.skip_reminders_missed_while_down(now() - interval '3 hours');

-- A run took the lease and claimed a reminder due three hours ago; then it stalled past its lease.
select isnt(private.hold_dispatcher_lease('26200000-0000-0000-0000-0000000000aa', interval '15 seconds'), null,
  'a run holds the dispatcher lease');
create temporary table stalled_run on commit drop as
  select d.generation from private.reminder_dispatcher d;
insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at, status, attempts,
  next_attempt_at, lease_until)
overriding system value values
  (2620001, '26200000-0000-0000-0000-000000000001', tests.get_supabase_uid('tarja'), 'reminder',
   now() - interval '3 hours', now() - interval '3 hours', 'sending', 1, now() + interval '2 minutes',
   now() + interval '2 minutes');
update private.reminder_dispatcher set lease_until = now() - interval '1 minute';

select is(private.skip_reminders_missed_while_down(now()), 1, 'the tick after the gap ends the stopped run''s claim');
select is((select status from public.notifications where id = 2620001), 'skipped', 'as skipped');

select throws_like(
  format($$ select private.record_delivery_fenced(%s, 2620001, 'released', retry_after_seconds => 0) $$,
    (select generation from stalled_run)),
  'dispatcher_lease_lost%',
  'the stalled run cannot hand the ended claim back to the queue');
select throws_like(
  format($$ select * from private.take_notification_send_slots(%s, array[26201::bigint]) $$,
    (select generation from stalled_run)),
  'dispatcher_lease_lost%',
  'nor take a send slot for it');
select isnt(private.hold_dispatcher_lease('26200000-0000-0000-0000-0000000000aa', interval '15 seconds'),
  (select generation from stalled_run),
  'its renewal no longer gives it its generation back, so it knows it lost the lease');
select is((select status from public.notifications where id = 2620001), 'skipped', 'the reminder stays skipped');

-- A lapsed lease with nothing late to end keeps its generation: the gap only fences a run whose
-- claims it ends.
delete from private.reminder_dispatcher;
select isnt(private.hold_dispatcher_lease('26200000-0000-0000-0000-0000000000bb', interval '15 seconds'), null,
  'another run holds the lease');
create temporary table idle_run on commit drop as
  select d.generation from private.reminder_dispatcher d;
update private.reminder_dispatcher set lease_until = now() - interval '1 minute';
update private.reminder_tick_clock set last_tick_at = now() - interval '3 hours';
select is(private.skip_reminders_missed_while_down(now()), 0, 'a later gap finds nothing to end');
select is(private.hold_dispatcher_lease('26200000-0000-0000-0000-0000000000bb', interval '15 seconds'),
  (select generation from idle_run),
  'and leaves that run its generation');

select * from finish();
rollback;
