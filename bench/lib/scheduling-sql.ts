/** The statements the scheduling benchmark times ($1 = the tick's clock). */

/**
 * Our tick's queueing, as pg_cron runs it (through run_reminder_tick), with the clock given: what
 * is due now, then what is coming within the horizon (private.queue_upcoming_reminders).
 */
export const tickSql = `
  select private.enqueue_due_reminders($1::timestamptz) + private.queue_upcoming_reminders($1::timestamptz) as queued`;

/**
 * One batch of the due path: at most `reminder_tick_batch` of the due reminders, earliest first.
 * pg_cron's command runs it (through private.queue_due_batch) batch after batch, each committed,
 * until one writes nothing: all a minute does when nothing was queued ahead (after downtime, say).
 */
export const dueTickSql = `select private.enqueue_due_reminders($1::timestamptz) as queued`;

/** The tick's settings (rows of private.settings, their one home), as numbers. */
export const tickSettingsSql = `
  select max(value) filter (where name = 'reminder_queue_ahead_minutes')::int as "horizonMinutes",
    max(value) filter (where name = 'reminder_tick_batch')::int as "batchSize",
    max(value) filter (where name = 'reminder_grace_minutes')::int as "graceMinutes"
  from private.settings`;

/** What run_reminder_tick does before the tick: pause due habits whose owner's zone does not resolve. */
export const pauseCheckSql = `select private.pause_habits_with_unresolvable_zones($1::timestamptz) as paused`;

/** Everything pg_cron's run_reminder_tick does except calling the function (its clock given). */
export const cronTickSql = `
  select private.skip_reminders_missed_while_down($1::timestamptz) as skipped,
    private.pause_habits_with_unresolvable_zones($1::timestamptz) as paused,
    private.enqueue_due_reminders($1::timestamptz) + private.queue_upcoming_reminders($1::timestamptz) as queued,
    private.has_deliverable_notifications($1::timestamptz) as deliverable`;

/** The tick's selection alone, by the fast path where it applies or by the slow path for all. */
export const dueSelectionSql = (fastPath: boolean) =>
  `select count(*)::int as due from private.due_reminders($1::timestamptz, fast_path => ${fastPath})`;

/** How many of the due habits the tick computes by its fast path and how many by the slow one. */
export const fastPathShareSql = `
  select count(*) filter (where by_fast_path)::int as fast, count(*) filter (where not by_fast_path)::int as slow
  from private.due_reminders($1::timestamptz)`;

/** The tick's selection of due habits, for EXPLAIN (same predicate and locking as the function). */
export const tickDueSelectSql = (at: string) => `
  select h.id, h.owner_id, p.timezone
  from public.habits h
  join public.profiles p on p.id = h.owner_id
  where h.next_reminder_at <= '${at}'::timestamptz
  for update of h skip locked`;

/**
 * The seed's way (the Django/Celery course projects): every minute, select the habits whose
 * time equals the clock rounded to the minute. habits.time has no index, so every habit is read.
 * Zone-aware: the clock is taken in each owner's zone, so it finds the same habits as the tick.
 */
export const baselineScanSql = `
  select h.id, h.owner_id
  from public.habits h
  join public.profiles p on p.id = h.owner_id
  where not h.is_paused
    and h.time = date_trunc('minute', $1::timestamptz at time zone p.timezone)::time
    and ((($1::timestamptz at time zone p.timezone)::date - h.starts_on) % h.interval_days) = 0`;

/** The course projects' literal form: one clock for everyone, no zones. */
export const naiveBaselineScanSql = `
  select h.id, h.owner_id
  from public.habits h
  where h.time = date_trunc('minute', $1::timestamptz at time zone 'UTC')::time`;

/** The baseline with the found habits written to the same outbox (a fair comparison with the tick). */
export const baselineEnqueueSql = `
  with found as (${baselineScanSql}),
  queued as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at)
    select id, owner_id, 'reminder', date_trunc('minute', $1::timestamptz), date_trunc('minute', $1::timestamptz)
    from found
    on conflict on constraint notifications_once_per_occurrence do nothing
    returning 1
  )
  select count(*)::int as queued from queued`;
