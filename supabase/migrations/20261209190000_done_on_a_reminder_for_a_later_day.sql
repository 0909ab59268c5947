-- Done on a reminder of an occurrence after the owner's today (a "Remind me now" of a habit not
-- due today names its next occurrence) answers not_due_today instead of raising
-- habit_completions_occurrence_at_range, which failed the update and had Telegram redeliver it
-- (supabase/tests/259-done-on-a-reminder-for-a-later-day.test.sql).

create or replace function private.complete_habit_from_telegram(chat_id bigint, notification_id bigint) returns table(outcome text, habit_action text, reward text, pleasant_action text, pleasant_place text)
    language plpgsql
    set search_path to ''
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
  -- A reminder on demand (private.send_reminder_now) names the next occurrence when today is not
  -- on the habit's grid: it cannot be done yet, as on the web (occurrence_not_after_today). Only
  -- an occurrence still to come is converted: a scheduled reminder's never is.
  if (button.notification).occurrence_at > now() and exists (
    select from public.profiles p
    where p.id = (button.notification).owner_id
      and ((button.notification).occurrence_at at time zone p.timezone)::date > (now() at time zone p.timezone)::date
  ) then
    return query select 'not_due_today', null::text, null::text, null::text, null::text;
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
