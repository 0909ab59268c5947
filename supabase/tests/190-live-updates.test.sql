-- Live updates: changes are broadcast on the owner's private topic `user:<id>`, and only the owner
-- may join it. The joins are checked the way Realtime v2.130.0 checks them
-- (supabase/realtime lib/realtime/tenants/authorization.ex): probe rows for the topic are inserted,
-- then read back as the joining role with `realtime.topic` and the JWT claims set; a probe that
-- comes back means "may read". Everything is rolled back, as there.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('lena');
select tests.create_supabase_user('mark');
select tests.link_telegram('lena', 7001);
select tests.as_postgres();

-- Realtime's read check for `role` with `claims` on `topic`: true when the probe can be read.
create function pg_temp.may_join(topic text, role text, claims jsonb) returns boolean
language plpgsql as $$
declare
  probe uuid;
  seen boolean;
begin
  insert into realtime.messages (topic, extension) values (topic, 'broadcast') returning id into probe;
  perform set_config('role', role, true);
  perform set_config('realtime.topic', topic, true);
  perform set_config('request.jwt.claims', claims::text, true);
  select exists (select from realtime.messages m where m.id = probe) into seen;
  perform set_config('role', 'postgres', true);
  perform set_config('request.jwt.claims', '', true);
  delete from realtime.messages m where m.id = probe;
  return seen;
end;
$$;

create function pg_temp.claims(who text, aal text default 'aal1') returns jsonb
language sql as $$
  select jsonb_build_object('sub', tests.get_supabase_uid(who), 'role', 'authenticated', 'aal', aal)
$$;

-- ---------------------------------------------------------------- who may join a topic
select ok(pg_temp.may_join('user:' || tests.get_supabase_uid('lena'), 'authenticated', pg_temp.claims('lena')),
  'a person may join their own topic');
select ok(not pg_temp.may_join('user:' || tests.get_supabase_uid('lena'), 'authenticated', pg_temp.claims('mark')),
  'a stranger may not join someone else''s topic');
select ok(not pg_temp.may_join('user:' || tests.get_supabase_uid('lena'), 'anon', '{"role": "anon"}'),
  'a visitor with only the anon key may join no one''s topic');
select ok(not pg_temp.may_join('habits', 'authenticated', pg_temp.claims('lena')),
  'a topic that is not a person''s own is refused, even to a signed-in person');

insert into private.two_factor_accounts (user_id) values (tests.get_supabase_uid('lena'));
select ok(not pg_temp.may_join('user:' || tests.get_supabase_uid('lena'), 'authenticated', pg_temp.claims('lena', 'aal1')),
  'a two-factor account''s password-only session may not listen to its own topic');
select ok(pg_temp.may_join('user:' || tests.get_supabase_uid('lena'), 'authenticated', pg_temp.claims('lena', 'aal2')),
  'a two-factor account''s two-factor session may');
delete from private.two_factor_accounts where user_id = tests.get_supabase_uid('lena');

-- Realtime's write check inserts as the person: nobody may broadcast on a topic from a client.
select tests.authenticate_as('lena');
select set_config('realtime.topic', 'user:' || tests.get_supabase_uid('lena'), true);
select throws_ok(format($$ insert into realtime.messages (topic, extension) values ('user:%s', 'broadcast') $$, tests.get_supabase_uid('lena')),
  '42501', 'new row violates row-level security policy for table "messages"',
  'a person may not broadcast on their own topic from a client: only the database does');
select tests.as_postgres();

-- ---------------------------------------------------------------- what is broadcast
delete from realtime.messages;
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('fb000000-0000-0000-0000-000000000001', tests.get_supabase_uid('lena'), 'stretch', 'hall', '07:00', 60);
select results_eq($$ select topic, event, private, payload ->> 'operation', payload -> 'record' ->> 'action' from realtime.messages where event = 'habits' $$,
  format($$ values ('user:%s', 'habits', true, 'INSERT', 'stretch') $$, tests.get_supabase_uid('lena')),
  'a new habit is broadcast, privately, on its owner''s topic');

delete from realtime.messages;
select tests.authenticate_as('lena');
update public.habits set action = 'stretch well' where id = 'fb000000-0000-0000-0000-000000000001';
select tests.as_postgres();
select results_eq($$ select event, payload ->> 'operation', payload -> 'record' ->> 'action' from realtime.messages $$,
  $$ values ('habits', 'UPDATE', 'stretch well') $$,
  'a person''s own edit through the Data API is broadcast, though they may not write realtime.messages');

delete from realtime.messages;
insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
values ('fb000000-0000-0000-0000-000000000001', tests.get_supabase_uid('lena'), '2026-01-01 07:00Z', 'telegram');
select results_eq($$ select topic, event, payload -> 'record' ->> 'source' from realtime.messages $$,
  format($$ values ('user:%s', 'habit_completions', 'telegram') $$, tests.get_supabase_uid('lena')),
  'a Done from Telegram is broadcast on its owner''s topic');

delete from realtime.messages;
insert into public.notifications (habit_id, owner_id, kind, due_at)
values ('fb000000-0000-0000-0000-000000000001', tests.get_supabase_uid('lena'), 'reminder', '2026-01-02 07:00Z');
update public.notifications set attempts = attempts + 1 where owner_id = tests.get_supabase_uid('lena') and kind = 'reminder';
update public.notifications set status = 'sending' where owner_id = tests.get_supabase_uid('lena') and kind = 'reminder';
update public.notifications set status = 'sent', sent_at = now() where owner_id = tests.get_supabase_uid('lena') and kind = 'reminder';
insert into public.notifications (habit_id, owner_id, kind, due_at, status)
values ('fb000000-0000-0000-0000-000000000001', tests.get_supabase_uid('lena'), 'reminder', '2026-01-03 07:00Z', 'skipped');
select results_eq($$ select payload ->> 'operation', payload -> 'record' ->> 'status' from realtime.messages order by inserted_at, payload ->> 'operation' $$,
  $$ values ('INSERT', 'skipped'), ('UPDATE', 'sent') $$,
  'a delivery is broadcast when it settles (sent, or inserted skipped), not when it is queued or while the dispatcher works on it');

delete from realtime.messages;
update public.habits set next_reminder_at = next_reminder_at + interval '1 day'
where id = 'fb000000-0000-0000-0000-000000000001';
select is((select count(*)::int from realtime.messages), 0,
  'the tick moving a habit''s next reminder on broadcasts nothing');
update public.habits set place = 'the garden' where id = 'fb000000-0000-0000-0000-000000000001';
select is((select count(*)::int from realtime.messages), 1, 'a change a person sees is broadcast');

delete from realtime.messages;
select tests.link_telegram('mark', 7002);
select results_eq($$ select topic, event, payload ->> 'telegram_linked' from realtime.messages $$,
  format($$ values ('user:%s', 'telegram_link', 'true') $$, tests.get_supabase_uid('mark')),
  'linking a Telegram chat is broadcast on its owner''s topic');
select ok(not exists (select from realtime.messages where payload::text like '%7002%'),
  'the linked chat''s id is not broadcast');

select * from finish();
rollback;
