-- Shrunk from tests/properties/tick_and_claim_test.ts: a reminder snoozed just before the tick
-- stopped for 76 minutes. Whatever was due while the tick could not run (a snoozed reminder, a
-- weekly digest) is skipped once more than the grace hour late, never sent late. And the work
-- done per message is bounded: a habit whose first day is 0001-01-01 costs no more than any other.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('otto', 'Europe/Berlin');
select tests.link_telegram('otto', 16301);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('16200000-0000-0000-0000-000000000001', tests.get_supabase_uid('otto'), 'read', 'bed', '07:00', 30);

-- ---------------------------------------------------------------- outages
delete from private.reminder_tick_clock;
select private.skip_reminders_missed_while_down('2026-11-30 06:00Z');
insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at, status, next_attempt_at)
overriding system value
values (1620001, '16200000-0000-0000-0000-000000000001', tests.get_supabase_uid('otto'), 'reminder',
  '2026-11-30 06:00Z', '2026-11-30 06:00Z', 'sent', '2026-11-30 06:00Z');
-- Snoozed at 06:15, due 06:30; the last tick ran at 06:15, the next at 07:31.
insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at, snoozed_from_id)
values ('16200000-0000-0000-0000-000000000001', tests.get_supabase_uid('otto'), 'snoozed_reminder',
  '2026-11-30 06:30Z', '2026-11-30 06:00Z', '2026-11-30 06:30Z', 1620001);
insert into public.notifications (owner_id, kind, due_at, next_attempt_at)
values (tests.get_supabase_uid('otto'), 'weekly_digest', '2026-11-30 06:20Z', '2026-11-30 06:20Z');
select private.skip_reminders_missed_while_down('2026-11-30 06:15Z');
select is(private.skip_reminders_missed_while_down('2026-11-30 07:31Z'), 2,
  'after an outage of more than an hour, the snooze and the digest missed in it are skipped');
select results_eq($$ select kind, status, last_error from public.notifications
  where owner_id = tests.get_supabase_uid('otto') and kind in ('snoozed_reminder', 'weekly_digest') order by kind $$,
  $$ values ('snoozed_reminder', 'skipped', 'missed while the service was down'),
            ('weekly_digest', 'skipped', 'missed while the service was down') $$,
  'a snooze missed in an outage is not sent hours late, nor a digest days late');

-- ---------------------------------------------------------------- bounded streaks
-- The first day moved back to year 1, with 1,500 days done in a row up to today. The bound must
-- not rely on the date rules, so this is written past them (as an old row or a bug could leave it).
do $$
declare
  rule record;
begin
  for rule in select conname from pg_constraint
              where conrelid = 'public.habits'::regclass and contype = 'c'
                and pg_get_constraintdef(oid) ~ '(starts_on|created_at)' loop
    execute format('alter table public.habits drop constraint %I', rule.conname);
  end loop;
end
$$;
set local session_replication_role = replica;
update public.habits set starts_on = '0001-01-01', created_at = '0001-01-01'
where id = '16200000-0000-0000-0000-000000000001';
set local session_replication_role = origin;
insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at, source)
select h.id, h.owner_id, ((d::date + h.time) at time zone 'Europe/Berlin'), now(), 'web'
from public.habits h
cross join generate_series((now() at time zone 'Europe/Berlin')::date - 1500, (now() at time zone 'Europe/Berlin')::date, interval '1 day') d
where h.id = '16200000-0000-0000-0000-000000000001';

create temp table timing (started timestamptz);
insert into timing values (clock_timestamp());
select is(private.current_streak('16200000-0000-0000-0000-000000000001'), private.streak_lookback(),
  'a streak counts at most streak_lookback() occurrences back');
select is((select streak from private.habit_streaks(tests.get_supabase_uid('otto'))), private.streak_lookback(),
  'habit_streaks agrees');
select is(private.streak_lookback(), 1000, 'which is 1,000 occurrences');
select ok((select jsonb_array_length(private.digest_for_message(tests.get_supabase_uid('otto'))) = 1),
  'the digest of an account whose habit began in year 1 is computed');
select cmp_ok(clock_timestamp() - (select started from timing), '<', interval '2 seconds',
  'the streaks and the digest of a habit begun in year 1 take well under two seconds in all');

select * from finish();
rollback;
