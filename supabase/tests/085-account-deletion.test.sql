-- Deleting a user (what the delete-account function does through the Auth admin API) removes
-- every row of theirs, in every table, and nothing of anyone else's.
begin;
set local search_path = public, extensions;
select * from no_plan();

-- How many rows, in any table of the app's and Auth's schemas, hold `target` in any uuid, text or
-- integer column (a Telegram chat id is a bigint).
create function pg_temp.rows_mentioning(target text)
returns bigint
language plpgsql
as $$
declare
  col record;
  found bigint;
  total bigint := 0;
begin
  for col in
    select c.table_schema, c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    where c.table_schema in ('public', 'private', 'auth')
      and t.table_type = 'BASE TABLE'
      and c.data_type in ('uuid', 'text', 'character varying', 'bigint')
  loop
    execute format('select count(*) from %I.%I where %I::text = $1', col.table_schema, col.table_name, col.column_name)
      into found using target;
    total := total + found;
  end loop;
  return total;
end
$$;

create function pg_temp.give_everything(identifier text, chat bigint)
returns void
language plpgsql
as $$
declare
  uid uuid := tests.create_supabase_user(identifier);
  habit uuid := gen_random_uuid();
  reminder bigint;
begin
  perform tests.link_telegram(identifier, chat);
  insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
  values (uid::text, uid, jsonb_build_object('sub', uid), 'email', now(), now());
  insert into auth.sessions (id, user_id, created_at, updated_at, aal) values (gen_random_uuid(), uid, now(), now(), 'aal1');
  insert into auth.refresh_tokens (token, user_id, revoked, created_at, updated_at, session_id)
  select identifier || '-token', uid::text, false, now(), now(), id from auth.sessions where user_id = uid;
  insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
  values (gen_random_uuid(), uid, 'phone', 'totp', 'verified', now(), now(), 'SECRET');
  insert into public.habits (id, owner_id, action, place, time, duration_seconds)
  values (habit, uid, 'stretch', 'hall', '07:00', 60);
  insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
  values (habit, uid, '2026-01-01 07:00Z', 'web');
  insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at)
  values (habit, uid, 'reminder', '2026-01-01 07:00Z', '2026-01-01 07:00Z') returning id into reminder;
  insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, snoozed_from_id)
  values (habit, uid, 'snoozed_reminder', '2026-01-01 07:15Z', '2026-01-01 07:00Z', reminder);
  insert into public.telegram_link_codes (code, user_id) values (identifier || '_code_0123456789', uid);
end
$$;

select pg_temp.give_everything('ada_deleted', 5001);
select pg_temp.give_everything('ben_kept', 5002);

select cmp_ok(pg_temp.rows_mentioning(tests.get_supabase_uid('ada_deleted')::text), '>', 5::bigint,
  'the user to delete has rows in many tables');
create temp table kept as
select pg_temp.rows_mentioning(tests.get_supabase_uid('ben_kept')::text) as mentions,
  (select count(*) from public.habits) - (select count(*) from public.habits where owner_id = tests.get_supabase_uid('ada_deleted')) as habits;
create temp table deleted as select tests.get_supabase_uid('ada_deleted') as id;

select is(
  (select count(*) from pg_constraint
   where contype = 'f' and connamespace in ('public'::regnamespace, 'private'::regnamespace)
     and confdeltype not in ('c', 'n')),
  0::bigint,
  'every foreign key of the app cascades or sets null: no deletion is blocked or leaves orphans');

select lives_ok($$ delete from auth.users where id = (select id from deleted) $$, 'the user is deleted');
select is(pg_temp.rows_mentioning((select id::text from deleted)), 0::bigint,
  'no row in any table still names the deleted user');
select is(pg_temp.rows_mentioning('5001'), 0::bigint, 'nor their Telegram chat');
select is(pg_temp.rows_mentioning(tests.get_supabase_uid('ben_kept')::text), (select mentions from kept),
  'every row of the other user is still there');
select is((select count(*) from public.habits), (select habits from kept), 'only the deleted user''s habits went');
select is((select telegram_chat_id from public.profiles where id = tests.get_supabase_uid('ben_kept')), 5002::bigint,
  'the other user keeps their linked chat');

select * from finish();
rollback;
