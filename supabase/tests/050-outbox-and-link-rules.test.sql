-- Rules of completions, the notification outbox and Telegram link codes, both ways.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('gus');
select tests.link_telegram('gus', 4001);
select tests.authenticate_as_service_role();
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('d0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('gus'), 'plank', 'floor', '07:00', 60);

select lives_ok($$ insert into public.habit_completions (habit_id, owner_id, occurrence_at, source) values ('d0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('gus'), '2026-01-01 07:00Z', 'telegram') $$,
  'a completion from Telegram is accepted');
select throws_like($$ insert into public.habit_completions (habit_id, owner_id, occurrence_at, source) values ('d0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('gus'), '2026-01-02 07:00Z', 'email') $$,
  '%"habit_completions_source_known"%', 'an unknown completion source is rejected with habit_completions_source_known');
select throws_like($$ insert into public.habit_completions (habit_id, owner_id, occurrence_at) values ('d0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('gus'), '2026-01-01 07:00Z') $$,
  '%"habit_completions_once_per_occurrence"%', 'a second completion of the same occurrence is rejected with habit_completions_once_per_occurrence');

select lives_ok($$ insert into public.notifications (habit_id, owner_id, kind, due_at) values ('d0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('gus'), 'reminder', '2026-01-01 07:00Z') $$,
  'a reminder notification is accepted');
select throws_like($$ insert into public.notifications (habit_id, owner_id, kind, due_at) values ('d0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('gus'), 'reminder', '2026-01-01 07:00Z') $$,
  '%"notifications_once_per_occurrence"%', 'a second reminder for the same occurrence is rejected with notifications_once_per_occurrence');
select throws_like($$ insert into public.notifications (habit_id, owner_id, kind, due_at) values ('d0000000-0000-0000-0000-000000000001', tests.get_supabase_uid('gus'), 'newsletter', now()) $$,
  '%"notifications_kind_known"%', 'an unknown notification kind is rejected with notifications_kind_known');
select throws_like($$ update public.notifications set status = 'lost' $$,
  '%"notifications_status_known"%', 'an unknown notification status is rejected with notifications_status_known');
select throws_like($$ update public.notifications set attempts = -1 $$,
  '%"notifications_attempts_non_negative"%', 'a negative attempt count is rejected with notifications_attempts_non_negative');

select lives_ok($$ insert into public.telegram_link_codes (code, user_id) values ('Abc_def-0123456789', tests.get_supabase_uid('gus')) $$,
  'a URL-safe link code of 18 characters is accepted');
select throws_like($$ insert into public.telegram_link_codes (code, user_id) values ('short', tests.get_supabase_uid('gus')) $$,
  '%"telegram_link_codes_code_format"%', 'a short link code is rejected with telegram_link_codes_code_format');
select throws_like($$ insert into public.telegram_link_codes (code, user_id) values ('has spaces and ; quotes''', tests.get_supabase_uid('gus')) $$,
  '%"telegram_link_codes_code_format"%', 'a link code with characters outside the deep-link alphabet is rejected');
select throws_like($$ insert into public.telegram_link_codes (code, user_id, expires_at) values ('expired_0123456789', tests.get_supabase_uid('gus'), now() - interval '1 minute') $$,
  '%"telegram_link_codes_expiry_after_creation"%', 'a link code that expires before it is created is rejected');

select tests.as_postgres();
delete from public.habits where id = 'd0000000-0000-0000-0000-000000000001';
select is((select count(*) from public.notifications), 0::bigint, 'deleting a habit removes its pending notifications');
select is((select count(*) from public.habit_completions), 0::bigint, 'deleting a habit removes its completions');

select * from finish();
rollback;
