-- /today leaves out paused habits, and two reminders of one habit snoozed in the same second
-- are both snoozed.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('abel');
select tests.link_telegram('abel', 12001);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('fc000000-0000-0000-0000-000000000001', tests.get_supabase_uid('abel'), 'read', 'sofa', '08:00', 60),
       ('fc000000-0000-0000-0000-000000000002', tests.get_supabase_uid('abel'), 'run', 'park', '09:00', 60);
update public.habits set is_paused = true where id = 'fc000000-0000-0000-0000-000000000002';

select results_eq($$ select action from private.habits_due_today_for_chat(12001) $$,
  $$ values ('read') $$, '/today lists only the habits that are not paused');

-- Two reminders of one habit (two occurrences), both snoozed within one second.
insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at) overriding system value
values (12101, 'fc000000-0000-0000-0000-000000000001', tests.get_supabase_uid('abel'), 'reminder', '2026-01-01 08:00Z', '2026-01-01 08:00Z'),
       (12102, 'fc000000-0000-0000-0000-000000000001', tests.get_supabase_uid('abel'), 'reminder', '2026-01-02 08:00Z', '2026-01-02 08:00Z');
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(12001, 12101) $$,
  $$ values ('snoozed') $$, 'the first reminder is snoozed');
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(12001, 12102) $$,
  $$ values ('snoozed') $$, 'the second reminder of the same habit, snoozed in the same second, is snoozed too');
select results_eq($$ select snoozed_from_id, occurrence_at from public.notifications where kind = 'snoozed_reminder' order by snoozed_from_id $$,
  $$ values (12101::bigint, '2026-01-01 08:00Z'::timestamptz), (12102::bigint, '2026-01-02 08:00Z'::timestamptz) $$,
  'each snooze has its own row, for its own occurrence');
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(12001, 12102) $$,
  $$ values ('already_snoozed') $$, 'one message is still snoozed once');
select throws_like($$ insert into public.notifications (habit_id, owner_id, kind, due_at) values ('fc000000-0000-0000-0000-000000000001', tests.get_supabase_uid('abel'), 'reminder', '2026-01-01 08:00Z') $$,
  '%"notifications_once_per_occurrence"%', 'other messages stay unique per habit, kind and due time');

select * from finish();
rollback;
