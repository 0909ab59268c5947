/**
 * Set-based generation of benchmark users and habits.
 *
 * Users go into auth.users, so the sign-up trigger creates their profiles exactly as Supabase Auth
 * would; their Telegram chats are then linked in one UPDATE. Habits are inserted with
 * `session_replication_role = replica`, which skips the per-row triggers (the rules trigger and the
 * "habit created" outbox row + pg_net call per habit): starts_on and next_reminder_at are computed
 * here in SQL instead, and a sample is checked against private.next_occurrence. No
 * 'habit_created' rows are queued, as if those messages had been sent long ago.
 */
import type postgres from "postgres";

export const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"];

/** The user number `u` (deterministic id, e-mail and Telegram chat). */
export const userIdSql = (u: string) => `md5('bench-user-' || ${u})::uuid`;
export const chatIdOf = (u: number) => 1_000_000_000 + u;

export async function seedUsers(sql: postgres.Sql, from: number, to: number): Promise<void> {
  await sql.unsafe(`
    insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, email_confirmed_at,
      created_at, updated_at)
    select ${userIdSql("u")}, 'authenticated', 'authenticated', 'bench-' || u || '@bench.local',
      '{"provider":"email","providers":["email"]}',
      jsonb_build_object('timezone', (array['${
    ZONES.join("','")
  }'])[1 + u % ${ZONES.length}]), now(), now(), now()
    from generate_series(${from}, ${to}) u`);
  await sql.unsafe(`
    update public.profiles p set telegram_chat_id = ${chatIdOf(0)} + s.u, telegram_linked_at = now()
    from (select u, ${userIdSql("u")} as id from generate_series(${from}, ${to}) u) s
    where p.id = s.id`);
}

export interface HabitSeed {
  fromUser: number;
  toUser: number;
  perUser: number;
  /** The shared due time: every `dueEvery`-th habit (by number) is due exactly then. */
  dueAt: Date;
  dueEvery: number;
}

/**
 * Daily habits. Due ones have the wall-clock time of `dueAt` in their owner's zone and
 * next_reminder_at = dueAt; the others get another minute of the day (never dueAt's) and their
 * next occurrence strictly after dueAt.
 */
export async function seedHabits(sql: postgres.Sql, seed: HabitSeed): Promise<void> {
  const at = `'${seed.dueAt.toISOString()}'::timestamptz`;
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local session_replication_role = replica`);
    await tx.unsafe(`
      insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, reward,
        starts_on, next_reminder_at, created_at, updated_at)
      select p.id, 'habit ' || k, 'place ' || (k % 97), slot.local_time, 1, 30 + k % 90,
        case when k % 3 = 0 then 'a coffee' end,
        slot.today - 30,
        case when slot.due then ${at}
             when (slot.today + slot.local_time) at time zone p.timezone > ${at}
               then (slot.today + slot.local_time) at time zone p.timezone
             else (slot.today + 1 + slot.local_time) at time zone p.timezone end,
        now() - make_interval(secs => k), now()
      from generate_series(${seed.fromUser}, ${seed.toUser}) u
      join public.profiles p on p.id = ${userIdSql("u")}
      cross join generate_series(0, ${seed.perUser - 1}) j
      cross join lateral (select u::bigint * ${seed.perUser} + j as k) n
      cross join lateral (
        select n.k % ${seed.dueEvery} = 0 as due,
          (${at} at time zone p.timezone)::date as today,
          case when n.k % ${seed.dueEvery} = 0 then (${at} at time zone p.timezone)::time
               else (${at} at time zone p.timezone)::time
                 + make_interval(mins => 1 + abs(hashtext(n.k::text)) % 1439) end as local_time
      ) slot`);
  });
}

/** Habits of a sample whose next_reminder_at differs from private.next_occurrence (expect 0). */
export async function countScheduleMismatches(sql: postgres.Sql, dueAt: Date, sample = 10_000) {
  const [row] = await sql<{ checked: number; mismatched: number }[]>`
    select count(*)::int as checked,
      count(*) filter (where h.next_reminder_at is distinct from private.next_occurrence(
        h.time, h.interval_days, h.starts_on, p.timezone, ${dueAt}::timestamptz - interval '1 microsecond'))::int
        as mismatched
    from (select * from public.habits limit ${sample}) h
    join public.profiles p on p.id = h.owner_id`;
  return row;
}
