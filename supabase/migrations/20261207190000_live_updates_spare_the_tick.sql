-- Live updates without taxing the reminder tick. The first version broadcast every update of a
-- habit and every outbox insert, so the tick's own bookkeeping (moving next_reminder_at on, and
-- queueing up to 100,000 reminders in the busiest minute) wrote one realtime.messages row per
-- habit and per reminder, which no screen needs. Now:
-- - a habit is broadcast when a column a person sees changes (next_reminder_at alone does not);
-- - a delivery is broadcast when it reaches a state the History shows (sent, dead, skipped),
--   including rows the tick inserts already skipped, but not when a reminder is queued or while
--   the dispatcher works on it, and not when housekeeping prunes old rows.

drop trigger habits_broadcast on public.habits;

create trigger habits_broadcast_insert_delete
after insert or delete on public.habits
for each row execute function private.broadcast_owner_row_change();

-- UPDATE OF fires when the statement names one of these columns in its SET list; the tick's
-- updates name only next_reminder_at (and the pause columns, which people do see).
create trigger habits_broadcast_update
after update of owner_id, action, place, time, interval_days, duration_seconds, is_pleasant,
  related_habit_id, reward, is_public, is_paused, starts_on, paused_reason
on public.habits
for each row execute function private.broadcast_owner_row_change();

drop trigger notifications_broadcast_insert_delete on public.notifications;
drop trigger notifications_broadcast_status on public.notifications;

create trigger notifications_broadcast_settled_insert
after insert on public.notifications
for each row when (new.status in ('sent', 'dead', 'skipped'))
execute function private.broadcast_owner_row_change();

create trigger notifications_broadcast_settled_status
after update of status on public.notifications
for each row when (old.status is distinct from new.status and new.status in ('sent', 'dead', 'skipped'))
execute function private.broadcast_owner_row_change();
