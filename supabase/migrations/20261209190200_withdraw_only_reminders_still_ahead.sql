-- A schedule or zone edit withdraws only reminders still ahead of their due time: one already due
-- that the dispatcher handed back to wait out a pause of sends (pending, untried, its next attempt
-- after now) was withdrawn too, and its occurrence never reminded
-- (supabase/tests/077-reminders-queued-ahead.test.sql).

create or replace function private.withdraw_reminders_queued_ahead() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $_$
begin
  -- tg_argv[0]: the outbox column that names the changed row (habit_id or owner_id).
  execute format(
    'delete from public.notifications n where n.%I = $1 and n.kind = %L and n.status = %L and n.attempts = 0 '
      'and n.due_at > now() and n.next_attempt_at > now()',
    tg_argv[0], 'reminder', 'pending')
  using new.id;
  return null;
end
$_$;
