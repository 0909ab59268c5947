-- "Done records one completion per occurrence" (README, Telegram) for every reminder the bot
-- sends, including "Remind me now" (private.send_reminder_now), which reminds of the next
-- occurrence when today is not on the habit's grid. Done on such a reminder used to raise
-- habit_completions_occurrence_at_range (an occurrence 6 days ahead), failing the Telegram update
-- so that Telegram redelivered it again and again; now it answers "not due today" and records
-- nothing, as /today's Done does and as the web's rule (occurrence_not_after_today) says.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('wanda', 'Asia/Kathmandu');
select tests.link_telegram('wanda', 25901);
insert into public.habits (id, owner_id, action, place, time, interval_days, duration_seconds) values
  ('25900000-0000-0000-0000-000000000001', tests.get_supabase_uid('wanda'), 'weekly review', 'desk', '07:00', 7, 60),
  ('25900000-0000-0000-0000-000000000002', tests.get_supabase_uid('wanda'), 'every other day', 'park', '07:00', 2, 60),
  ('25900000-0000-0000-0000-000000000003', tests.get_supabase_uid('wanda'), 'daily', 'sofa', '00:00', 1, 60);
-- Begun yesterday (as an import may set it): today is not on the weekly or two-day grid.
update public.habits set starts_on = starts_on - 1
where id in ('25900000-0000-0000-0000-000000000001', '25900000-0000-0000-0000-000000000002');
delete from public.notifications;

create temp table asked as
select h.id as habit_id, r.notification_id, r.occurrence_at
from public.habits h cross join lateral private.send_reminder_now(h.id) r
where h.owner_id = tests.get_supabase_uid('wanda');

select ok((select occurrence_at from asked where habit_id = '25900000-0000-0000-0000-000000000001') > now() + interval '2 days',
  'a weekly habit not due today is reminded on demand of its next occurrence, days ahead');
select lives_ok(
  $$ select * from private.complete_habit_from_telegram(25901,
       (select notification_id from asked where habit_id = '25900000-0000-0000-0000-000000000001')) $$,
  'Done on that reminder does not raise (a raise fails the update and Telegram redelivers it)');
select results_eq(
  $$ select outcome from private.complete_habit_from_telegram(25901,
       (select notification_id from asked where habit_id = '25900000-0000-0000-0000-000000000001')) $$,
  $$ values ('not_due_today') $$,
  'Done on a reminder of an occurrence after the owner''s today answers "not due today"');
select results_eq(
  $$ select outcome from private.complete_habit_from_telegram(25901,
       (select notification_id from asked where habit_id = '25900000-0000-0000-0000-000000000002')) $$,
  $$ values ('not_due_today') $$,
  'also when that occurrence is tomorrow, within the two days the completion CHECK would allow');
select is((select count(*) from public.habit_completions where owner_id = tests.get_supabase_uid('wanda')), 0::bigint,
  'and nothing is recorded for a later day');
select results_eq(
  $$ select outcome from private.complete_habit_from_telegram(25901,
       (select notification_id from asked where habit_id = '25900000-0000-0000-0000-000000000003')) $$,
  $$ values ('recorded') $$,
  'Done on a reminder on demand of today''s occurrence records it');
select results_eq(
  $$ select c.occurrence_at from public.habit_completions c where c.habit_id = '25900000-0000-0000-0000-000000000003' $$,
  $$ select occurrence_at from asked where habit_id = '25900000-0000-0000-0000-000000000003' $$,
  'for exactly that occurrence, which the streak counts');
select is((select streak from private.habit_streaks(tests.get_supabase_uid('wanda'), '25900000-0000-0000-0000-000000000003')), 1,
  'so the streak Done then reports is 1');

select * from finish();
rollback;
