/**
 * A model of issue 27's suggestion for the due path after an outage: one schedule row per
 * (zone, time, interval, phase) shared by the habits on it, advanced once for all of them, so that
 * a reminder costs one write (its outbox row) instead of two (the row and the habit's
 * next_reminder_at moved on). It is not the schema: it lives in the schema `bench_model`, built
 * from the seeded habits, and writes the same outbox rows as the real due path (same columns,
 * same order in rounds, same unique key), a batch of at most `batch` reminders per call, each call
 * committed. `spread` splits every schedule row into that many, to model a minute shared by many
 * intervals and phases (at most 28 per zone and time: 1 + 2 + … + 7), i.e. many small rows.
 *
 * Left out, and needed by a real one: catching up a row far behind (the latest occurrence at or
 * before the clock), paused habits and future first days (here: next_reminder_at at or before the
 * occurrence), unresolvable zones, and a habit that joins a row already queued ahead.
 */
import type postgres from "postgres";

export async function buildSharedScheduleModel(sql: postgres.Sql, spread: number): Promise<void> {
  await sql.unsafe(`drop schema if exists bench_model cascade`);
  await sql.unsafe(`create schema bench_model`);
  await sql.unsafe(`
    create table bench_model.schedules (
      id bigint generated always as identity primary key,
      timezone text not null, time time not null, interval_days integer not null, phase integer not null,
      part integer not null, next_at timestamptz not null, seeded_next_at timestamptz not null,
      cursor_habit uuid,
      unique (timezone, time, interval_days, phase, part))`);
  await sql.unsafe(`create index on bench_model.schedules (next_at, id)`);
  await sql.unsafe(`
    create table bench_model.members (
      schedule_id bigint not null, habit_id uuid not null, owner_id uuid not null,
      next_reminder_at timestamptz,
      primary key (schedule_id, habit_id) include (owner_id, next_reminder_at))`);
  const key = `p.timezone, h.time, h.interval_days, (h.starts_on - date '2000-01-01') % h.interval_days,
    abs(hashtext(h.id::text)) % ${spread}`;
  await sql.unsafe(`
    insert into bench_model.schedules (timezone, time, interval_days, phase, part, next_at, seeded_next_at)
    select ${key}, min(h.next_reminder_at), min(h.next_reminder_at)
    from public.habits h join public.profiles p on p.id = h.owner_id
    where h.next_reminder_at is not null
    group by 1, 2, 3, 4, 5`);
  await sql.unsafe(`
    insert into bench_model.members (schedule_id, habit_id, owner_id, next_reminder_at)
    select s.id, h.id, h.owner_id, h.next_reminder_at
    from public.habits h join public.profiles p on p.id = h.owner_id
    join bench_model.schedules s on (s.timezone, s.time, s.interval_days, s.phase, s.part) = (${key})`);
  await sql.unsafe(DUE_BATCH_FUNCTION);
  await sql`vacuum analyze bench_model.schedules`;
  await sql`vacuum analyze bench_model.members`;
}

/** How many schedule rows the reminders due at `at` share. */
export async function dueScheduleRows(sql: postgres.Sql, at: Date): Promise<number> {
  const [row] = await sql`select count(*)::int as n from bench_model.schedules where next_at = ${at}`;
  return row.n;
}

/** One batch of the modelled due path (its own statement; the caller commits it). */
export const modelDueBatchSql = `select bench_model.enqueue_due($1::timestamptz, $2::integer) as queued`;

/** Puts the model back as it was seeded (untimed); the caller deletes the outbox rows. */
export async function resetSharedScheduleModel(sql: postgres.Sql): Promise<void> {
  await sql`update bench_model.schedules set next_at = seeded_next_at, cursor_habit = null
    where next_at <> seeded_next_at or cursor_habit is not null`;
}

export async function dropSharedScheduleModel(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`drop schema if exists bench_model cascade`);
}

// The due schedule rows in order, each one's members after its cursor in habit order, at most
// `batch` reminders in all, queued in rounds as private.enqueue_due_reminders does. Every row the
// batch finished moves on to its next occurrence; the last one keeps a cursor when members remain.
const DUE_BATCH_FUNCTION = `
  create function bench_model.enqueue_due(at timestamptz, batch integer) returns integer
  language plpgsql set search_path to '' set jit to 'off' as $$
  declare
    grace constant interval := make_interval(mins => private.reminder_tick_setting('reminder_grace_minutes'));
    queued integer;
    last_schedule bigint;
    last_habit uuid;
    touched bigint[];
  begin
    with due_schedules as materialized (
      select s.id, s.next_at as occurrence_at, s.cursor_habit
      from bench_model.schedules s
      where s.next_at <= at
      order by s.next_at, s.id
      limit batch
      for update skip locked
    ),
    members as materialized (
      select d.id as schedule_id, d.occurrence_at, m.habit_id, m.owner_id
      from due_schedules d
      cross join lateral (
        select m.habit_id, m.owner_id from bench_model.members m
        where m.schedule_id = d.id and m.habit_id > coalesce(d.cursor_habit, '00000000-0000-0000-0000-000000000000')
          and m.next_reminder_at <= d.occurrence_at
        order by m.habit_id
        limit batch
      ) m
      order by d.occurrence_at, d.id, m.habit_id
      limit batch
    ),
    queued_rows as (
      insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, last_error, next_attempt_at)
      select m.habit_id, m.owner_id, 'reminder', m.occurrence_at, m.occurrence_at,
        case when m.occurrence_at < at - grace then 'skipped' else 'pending' end,
        case when m.occurrence_at < at - grace then 'missed while the service was down' end,
        at
      from members m
      order by m.occurrence_at, row_number() over (partition by m.owner_id, m.occurrence_at order by m.habit_id), m.owner_id
      on conflict on constraint notifications_once_per_occurrence do nothing
      returning 1
    ),
    tail as (
      select m.schedule_id, m.habit_id from members m
      order by m.occurrence_at desc, m.schedule_id desc, m.habit_id desc limit 1
    )
    select (select count(*) from queued_rows), (select t.schedule_id from tail t), (select t.habit_id from tail t),
      (select array_agg(distinct m.schedule_id) from members m)
    into queued, last_schedule, last_habit, touched;
    if touched is null then
      return 0;
    end if;
    update bench_model.schedules s
    set next_at = (((s.next_at at time zone s.timezone)::date + s.interval_days) + s.time) at time zone s.timezone,
      cursor_habit = null
    where s.id = any (touched)
      and not (s.id = last_schedule and exists (
        select from bench_model.members m
        where m.schedule_id = last_schedule and m.habit_id > last_habit and m.next_reminder_at <= s.next_at));
    update bench_model.schedules s set cursor_habit = last_habit
    where s.id = last_schedule and s.next_at <= at;
    return queued;
  end $$`;
