-- A /today message's Done button pressed after its habit was paused answers "paused" and records
-- nothing, as a reminder's Done does (private.complete_habit_from_telegram): a paused habit is
-- out of /today, and a button sent before the pause does not bring it back.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('uma');
select tests.link_telegram('uma', 2540001);
select tests.as_postgres();

insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('fe000000-0000-0000-0000-000000000254', tests.get_supabase_uid('uma'), 'stretch', 'mat', '23:58', 60);
update public.habits set is_paused = true where id = 'fe000000-0000-0000-0000-000000000254';

select results_eq($$ select outcome, habit_action from private.complete_today_from_telegram(2540001, 'fe000000-0000-0000-0000-000000000254') $$,
  $$ values ('paused', null::text) $$, '/today''s Done on a paused habit answers paused');
select is((select count(*) from public.habit_completions where habit_id = 'fe000000-0000-0000-0000-000000000254'), 0::bigint,
  'and records no completion');
select results_eq($$ select outcome from private.complete_today_from_telegram(2540002, 'fe000000-0000-0000-0000-000000000254') $$,
  $$ values ('not_found') $$, 'another chat still learns nothing of the habit');

update public.habits set is_paused = false where id = 'fe000000-0000-0000-0000-000000000254';
select results_eq($$ select outcome from private.complete_today_from_telegram(2540001, 'fe000000-0000-0000-0000-000000000254') $$,
  $$ values ('recorded') $$, 'resumed, the same button records today''s occurrence');

select * from finish();
rollback;
