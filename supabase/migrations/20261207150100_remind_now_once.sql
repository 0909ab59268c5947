-- A reminder on demand (development: the chat page's "Remind me now", `deno task remind-now`):
-- one reminder of the habit, now, through the same outbox and dispatcher as every other, for its
-- current occurrence (today's when today is on its grid, else the next one). The habit itself is
-- left as it is: its time, schedule and next_reminder_at do not move. The outbox row is due now,
-- so the unique key (habit, kind, due time) never meets the scheduled reminder of that occurrence.
-- Service role only: nobody on the Data API can have reminders sent at will.
create function private.send_reminder_now(habit_id uuid)
returns table (outcome text, notification_id bigint, occurrence_at timestamptz)
language plpgsql
volatile
set search_path = ''
as $$
declare
  habit record;
  occurrence timestamptz;
  queued bigint;
begin
  select h.id, h.owner_id, h.time, h.interval_days, h.starts_on, h.is_paused, h.next_reminder_at, p.timezone
  into habit
  from public.habits h
  join public.profiles p on p.id = h.owner_id
  where h.id = send_reminder_now.habit_id
  for share of h;
  if not found then
    return query select 'not_found', null::bigint, null::timestamptz;
    return;
  end if;
  if habit.is_paused then
    return query select 'paused', null::bigint, null::timestamptz;
    return;
  end if;
  occurrence := coalesce(
    private.todays_occurrence(habit.time, habit.interval_days, habit.starts_on, habit.timezone),
    habit.next_reminder_at,
    clock_timestamp()
  );
  insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at, occurrence_at, status)
  values (habit.id, habit.owner_id, 'reminder', clock_timestamp(), clock_timestamp(), occurrence, 'pending')
  on conflict on constraint notifications_once_per_occurrence do nothing
  returning id into queued;
  if queued is null then
    return query select 'already_queued', null::bigint, occurrence;
    return;
  end if;
  perform private.invoke_reminders_function();
  return query select 'queued', queued, occurrence;
end
$$;

revoke execute on function private.send_reminder_now(uuid) from public, anon, authenticated;
grant execute on function private.send_reminder_now(uuid) to service_role;
