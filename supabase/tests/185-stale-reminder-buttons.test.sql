-- A reminder's buttons change nothing once its occurrence is done, its habit paused or deleted:
-- they answer with that state instead (issue 24).
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('olga');
select tests.link_telegram('olga', 18501);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('f1850000-0000-0000-0000-000000000001', tests.get_supabase_uid('olga'), 'stretch', 'the bedroom', '06:45', 60);
insert into public.notifications (id, habit_id, owner_id, kind, due_at, occurrence_at) overriding system value
values (18511, 'f1850000-0000-0000-0000-000000000001', tests.get_supabase_uid('olga'), 'reminder', '2026-01-01 06:45Z', '2026-01-01 06:45Z'),
       (18512, 'f1850000-0000-0000-0000-000000000001', tests.get_supabase_uid('olga'), 'reminder', '2026-01-02 06:45Z', '2026-01-02 06:45Z');

select results_eq($$ select outcome from private.complete_habit_from_telegram(18501, 18511) $$,
  $$ values ('recorded') $$, 'Done records the occurrence');
select results_eq($$ select outcome, due_at from private.snooze_reminder_from_telegram(18501, 18511) $$,
  $$ values ('already_done', null::timestamptz) $$, 'Snooze after Done answers that the occurrence is done');
select is((select count(*) from public.notifications where kind = 'snoozed_reminder'), 0::bigint,
  'Snooze after Done queues no reminder for the done occurrence');

update public.habits set is_paused = true where id = 'f1850000-0000-0000-0000-000000000001';
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(18501, 18512) $$,
  $$ values ('paused') $$, 'Snooze on a paused habit''s reminder answers that it is paused');
select results_eq($$ select outcome from private.complete_habit_from_telegram(18501, 18512) $$,
  $$ values ('paused') $$, 'Done on a paused habit''s reminder answers that it is paused');
select is((select count(*) from public.notifications where kind = 'snoozed_reminder'), 0::bigint,
  'a paused habit''s reminder queues no snooze');
select is((select count(*) from public.habit_completions where occurrence_at = '2026-01-02 06:45Z'), 0::bigint,
  'a paused habit''s reminder records no completion');

update public.habits set is_paused = false where id = 'f1850000-0000-0000-0000-000000000001';
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(18501, 18512) $$,
  $$ values ('snoozed') $$, 'once resumed, an open occurrence can be snoozed');
select results_eq($$ select outcome from private.snooze_reminder_from_telegram(18501, 18512) $$,
  $$ values ('already_snoozed') $$, 'a snoozed reminder answers that it is snoozed');

select * from finish();
rollback;
