-- A reminder's buttons act only while its occurrence is still open. Snooze on a reminder whose
-- occurrence is already done, whose habit is paused or deleted, or which is already snoozed answers
-- with that state and queues nothing; Done on a paused habit's reminder records nothing. The
-- functions lock the reminder's row first, so a Done and a Snooze pressed at once are decided one
-- after the other.

create or replace function private.snooze_reminder_from_telegram(chat_id bigint, notification_id bigint, delay interval default '15 minutes')
returns table (outcome text, due_at timestamptz)
language plpgsql
volatile
set search_path = ''
as $$
declare
  button record;
  habit public.habits;
  snoozed_due timestamptz := date_trunc('second', now() + delay);
begin
  perform from public.notifications n where n.id = notification_id for update;
  select * into button from private.reminder_for_button(chat_id, notification_id);
  if button.outcome <> 'ok' then
    return query select button.outcome, null::timestamptz;
    return;
  end if;
  select h.* into habit from public.habits h where h.id = (button.notification).habit_id for share;
  if not found then
    return query select 'not_found', null::timestamptz;
    return;
  end if;
  if habit.is_paused then
    return query select 'paused', null::timestamptz;
    return;
  end if;
  if exists (
    select from public.habit_completions c
    where c.habit_id = habit.id and c.occurrence_at = (button.notification).occurrence_at
  ) then
    return query select 'already_done', null::timestamptz;
    return;
  end if;
  insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at, occurrence_at, snoozed_from_id)
  values ((button.notification).habit_id, (button.notification).owner_id, 'snoozed_reminder', snoozed_due, snoozed_due,
          (button.notification).occurrence_at, (button.notification).id)
  on conflict do nothing;
  if found then
    return query select 'snoozed', snoozed_due;
  else
    return query select 'already_snoozed', (select n.due_at from public.notifications n where n.snoozed_from_id = notification_id);
  end if;
end
$$;

create or replace function private.complete_habit_from_telegram(chat_id bigint, notification_id bigint)
returns table (outcome text, habit_action text, reward text, pleasant_action text, pleasant_place text)
language plpgsql
volatile
set search_path = ''
as $$
declare
  button record;
  inserted boolean;
begin
  perform from public.notifications n where n.id = notification_id for update;
  select * into button from private.reminder_for_button(chat_id, notification_id);
  if button.outcome <> 'ok' then
    return query select button.outcome, null::text, null::text, null::text, null::text;
    return;
  end if;
  if exists (select from public.habits h where h.id = (button.notification).habit_id and h.is_paused) then
    return query select 'paused', null::text, null::text, null::text, null::text;
    return;
  end if;
  insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
  values ((button.notification).habit_id, (button.notification).owner_id, (button.notification).occurrence_at, 'telegram')
  on conflict on constraint habit_completions_once_per_occurrence do nothing;
  inserted := found;
  return query
  select case when inserted then 'recorded' else 'already_recorded' end, h.action, h.reward, pleasant.action, pleasant.place
  from public.habits h
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  where h.id = (button.notification).habit_id;
end
$$;
