-- A reminder on demand is one outbox row due now; the habit's time and next reminder stay
-- (issue 24).
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('pia');
select tests.link_telegram('pia', 18601);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('f1860000-0000-0000-0000-000000000001', tests.get_supabase_uid('pia'), 'read', 'the sofa', '07:30', 60),
       ('f1860000-0000-0000-0000-000000000002', tests.get_supabase_uid('pia'), 'run', 'the park', '08:00', 60);
update public.habits set is_paused = true where id = 'f1860000-0000-0000-0000-000000000002';
create temporary table before_habit on commit drop as
  select time, starts_on, next_reminder_at from public.habits where id = 'f1860000-0000-0000-0000-000000000001';

select results_eq($$ select outcome from private.send_reminder_now('f1860000-0000-0000-0000-000000000001') $$,
  $$ values ('queued') $$, 'a reminder on demand is queued');
select results_eq(
  $$ select kind, status, due_at <= clock_timestamp(), occurrence_at is not null from public.notifications
     where habit_id = 'f1860000-0000-0000-0000-000000000001' and kind = 'reminder' $$,
  $$ values ('reminder', 'pending', true, true) $$, 'one pending reminder, due now, for an occurrence');
select results_eq(
  $$ select time, starts_on, next_reminder_at from public.habits where id = 'f1860000-0000-0000-0000-000000000001' $$,
  $$ select time, starts_on, next_reminder_at from before_habit $$,
  'the habit''s time, schedule and next reminder are left as they were');
select results_eq($$ select outcome from private.send_reminder_now('f1860000-0000-0000-0000-000000000002') $$,
  $$ values ('paused') $$, 'a paused habit is not reminded');
select results_eq($$ select outcome from private.send_reminder_now('f1860000-0000-0000-0000-0000000000ff') $$,
  $$ values ('not_found') $$, 'an unknown habit is not reminded');
select ok(not has_function_privilege('authenticated', 'private.send_reminder_now(uuid)', 'execute'),
  'people cannot have reminders sent at will');

select * from finish();
rollback;
