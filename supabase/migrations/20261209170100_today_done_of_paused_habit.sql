-- A /today message's Done button pressed after its habit was paused recorded a completion of the
-- paused habit: the reminder's Done (private.complete_habit_from_telegram) answered "paused" and
-- changed nothing from the start, /today's Done, added later, did not check. Now both do.
create or replace function private.complete_today_from_telegram(chat_id bigint, habit_id uuid) returns table(outcome text, habit_action text, reward text, pleasant_action text, pleasant_place text)
    language plpgsql
    set search_path to ''
    as $$
declare
  found_habit record;
  occurrence timestamptz;
  inserted boolean;
begin
  select h.id, h.owner_id, h.time, h.interval_days, h.starts_on, h.is_paused, p.timezone into found_habit
  from public.habits h
  join public.profiles p on p.id = h.owner_id
  where h.id = complete_today_from_telegram.habit_id and p.telegram_chat_id = complete_today_from_telegram.chat_id;
  if not found then
    return query select 'not_found', null::text, null::text, null::text, null::text;
    return;
  end if;
  if found_habit.is_paused then
    return query select 'paused', null::text, null::text, null::text, null::text;
    return;
  end if;
  occurrence := private.todays_occurrence(found_habit.time, found_habit.interval_days, found_habit.starts_on, found_habit.timezone);
  if occurrence is null then
    return query select 'not_due_today', null::text, null::text, null::text, null::text;
    return;
  end if;
  insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
  values (found_habit.id, found_habit.owner_id, occurrence, 'telegram')
  on conflict on constraint habit_completions_once_per_occurrence do nothing;
  inserted := found;
  return query
  select case when inserted then 'recorded' else 'already_recorded' end, h.action, h.reward, pleasant.action, pleasant.place
  from public.habits h
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  where h.id = found_habit.id;
end
$$;

