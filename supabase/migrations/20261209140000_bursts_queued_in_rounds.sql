-- Reminders due at one instant are queued in rounds: each person's first, then each one's second,
-- and so on, so that their ids, which order a claim among messages due together, serve the chats
-- in turn. Numbered chat by chat, a claim gave the first chats all their reminders before the last
-- chats got one, and the last chats' reminders went out at the end, a chat gap (1.1 s) apart, with
-- nothing else left to send: 26.2-26.8 a second where the budget allows 27.2 (issue 27,
-- bench/dispatch.ts phase C), and the last chats' first reminder ~40 s late. Within one batch of
-- the tick (reminder_tick_batch rows).
create or replace function private.queue_upcoming_reminders(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set jit to 'off'
    as $$
declare
  horizon constant interval := make_interval(mins => private.reminder_tick_setting('reminder_queue_ahead_minutes'));
  batch_size constant integer := private.reminder_tick_setting('reminder_tick_batch');
  queued integer;
  row_ids tid[];
  next_times timestamptz[];
begin
  with candidates as materialized (
    select h.ctid as habit_ctid, h.id, h.owner_id, h.time, h.interval_days, h.starts_on, h.next_reminder_at, p.timezone
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    where h.next_reminder_at > at and h.next_reminder_at <= at + horizon
    order by h.next_reminder_at
    limit batch_size
    for update of h skip locked
  ),
  -- As in private.due_reminders: each distinct zone is tried once, and no conversion below is
  -- evaluated for a zone that does not resolve.
  zones as materialized (
    select distinct c.timezone from candidates c
  ),
  resolvable as materialized (
    select z.timezone from zones z where private.time_zone_resolves(z.timezone)
  ),
  on_grid as materialized (
    select c.*, (c.next_reminder_at at time zone c.timezone)::date as local_date
    from candidates c
    where c.timezone in (select r.timezone from resolvable r)
  ),
  upcoming as materialized (
    select g.habit_ctid, g.id, g.owner_id, g.next_reminder_at as occurrence_at, following.at_time as following_at
    from on_grid g
    cross join lateral (
      select ((g.local_date + g.interval_days) + g.time) at time zone g.timezone as at_time
    ) following
    where g.local_date >= g.starts_on
      and (g.local_date - g.starts_on) % g.interval_days = 0
      and g.next_reminder_at = (g.local_date + g.time) at time zone g.timezone
      and following.at_time > g.next_reminder_at
  ),
  queued_rows as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, next_attempt_at)
    select u.id, u.owner_id, 'reminder', u.occurrence_at, u.occurrence_at, 'pending', u.occurrence_at
    from upcoming u
    -- Ids in rounds: a claim takes messages due at one instant in id order, one per chat first; a
    -- chat whose first was sent competes with its second. Numbered chat by chat, the first chats
    -- got all their reminders before the last got one, and the last ones' came at the end, a chat
    -- gap apart, with nothing else left to send (issue 27, bench/dispatch.ts phase C).
    order by u.occurrence_at, row_number() over (partition by u.owner_id, u.occurrence_at order by u.id), u.owner_id
    on conflict on constraint notifications_once_per_occurrence do nothing
    returning 1
  )
  select (select count(*) from queued_rows), array_agg(u.habit_ctid), array_agg(u.following_at)
  into queued, row_ids, next_times
  from upcoming u;

  -- A second statement, as in private.enqueue_due_reminders: the rows are locked, so their ctid
  -- still finds them.
  if row_ids is not null then
    update public.habits h
    set next_reminder_at = advanced.next_reminder_at
    from unnest(row_ids, next_times) as advanced (row_id, next_reminder_at)
    where h.ctid = advanced.row_id and h.ctid = any (row_ids);
  end if;
  return queued;
end
$$;

create or replace function private.enqueue_due_reminders(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    set jit to 'off'
    as $$
declare
  grace constant interval := make_interval(mins => private.reminder_tick_setting('reminder_grace_minutes'));
  batch constant integer := private.reminder_tick_setting('reminder_tick_batch');
  queued integer;
  row_ids tid[];
  next_times timestamptz[];
begin
  with due as materialized (
    select * from private.due_reminders(at, max_rows => batch)
  ),
  queued_rows as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, last_error, next_attempt_at)
    select due.habit_id, due.owner_id, 'reminder', due.occurrence_at, due.occurrence_at,
      case when due.occurrence_at < at - grace then 'skipped' else 'pending' end,
      case when due.occurrence_at < at - grace then 'missed while the service was down' end,
      at
    from due
    -- Ids in rounds, as in private.queue_upcoming_reminders.
    order by due.occurrence_at, row_number() over (partition by due.owner_id, due.occurrence_at order by due.habit_id),
      due.owner_id
    on conflict on constraint notifications_once_per_occurrence do nothing
    returning 1
  )
  select (select count(*) from queued_rows), array_agg(due.row_id), array_agg(due.next_reminder_at)
  into queued, row_ids, next_times
  from due;

  if row_ids is not null then
    update public.habits h
    set next_reminder_at = advanced.next_reminder_at
    from unnest(row_ids, next_times) as advanced (row_id, next_reminder_at)
    where h.ctid = advanced.row_id and h.ctid = any (row_ids);
  end if;
  return queued;
end
$$;

