/**
 * Round trips saved by resource embedding: the SPA's two pages that need more than one table,
 * loaded the way they were loaded before (several requests) and with one embedded request.
 *
 * - history page: the habit, its completions (newest 1,000) and its last 10 deliveries —
 *   three parallel requests before, one `habits?select=*,habit_completions(*),notifications(*)`
 *   after;
 * - habit list: a page of 5 habits with each one's latest completion — the page, then one
 *   request per habit before (the N+1 the list would need), one embedded request after.
 */
import type postgres from "postgres";
import { DEMO_ANON_KEY } from "../../devstack/keys.ts";

const COMPLETIONS = 30;
const DELIVERIES = 10;

/**
 * Completions and deliveries for each signed-in user's newest habit; returns those habit ids.
 * Completions are real occurrences, as the database requires (habit_completions_check_occurrence):
 * the habit's last `COMPLETIONS` dates on its every-N-days grid up to its owner's today, at its
 * wall-clock time in its owner's zone (as private.next_occurrence builds them).
 */
export async function seedHistory(sql: postgres.Sql, userIds: string[]) {
  const rows = await sql<{ id: string }[]>`
    select h.id::text from unnest(${userIds}::uuid[]) with ordinality u(id, n)
    cross join lateral (select id from public.habits where owner_id = u.id order by created_at desc limit 1) h
    order by u.n`;
  const habitIds = rows.map((r) => r.id);
  // The n-th occurrence back from today's grid date (n = 0: today's, whose time may not have come).
  const occurrences = sql`
    select h.id as habit_id, h.owner_id, n, o.at
    from public.habits h
    join public.profiles p on p.id = h.owner_id
    cross join lateral (select (now() at time zone p.timezone)::date as today) t
    cross join lateral (
      select t.today - ((t.today - h.starts_on) % h.interval_days + h.interval_days) % h.interval_days as latest
    ) g
    cross join generate_series(0, ${Math.max(COMPLETIONS, DELIVERIES)}) n
    cross join lateral (select ((g.latest - n * h.interval_days) + h.time) at time zone p.timezone as at) o
    where h.id = any(${habitIds}::uuid[])`;
  const completions = await sql`
    insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at, source)
    select habit_id, owner_id, at, at + interval '5 minutes', 'web' from (${occurrences}) o
    where n between 1 and ${COMPLETIONS}`;
  const deliveries = await sql`
    insert into public.notifications (habit_id, owner_id, kind, due_at, status, sent_at, created_at)
    select habit_id, owner_id, 'reminder', at, 'sent', at, at from (${occurrences}) o
    where n between 1 and ${DELIVERIES}`;
  await sql`vacuum analyze public.habit_completions`;
  await sql`vacuum analyze public.notifications`;
  return {
    habitIds,
    completions: completions.count,
    deliveries: deliveries.count,
    perHabit: {
      completions: COMPLETIONS,
      deliveries: DELIVERIES,
    },
  };
}

type Get = (path: string, token: string, prefer?: string) => Promise<unknown[] | null>;

export function pageLoads(apiUrl: string) {
  const get: Get = async (path, token, prefer) => {
    const headers: Record<string, string> = { apikey: DEMO_ANON_KEY, Authorization: `Bearer ${token}` };
    if (prefer) headers.Prefer = prefer;
    const response = await fetch(`${apiUrl}/rest/v1${path}`, {
      headers,
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.json();
    return response.status >= 200 && response.status < 300 && Array.isArray(body) ? body : null;
  };
  const history = `occurrence_at.desc&habit_completions.limit=1000`;
  const list = "order=created_at.desc,id&offset=0&limit=5";
  return {
    /** Requests per page load, before and after. */
    requests: { historyBefore: 3, historyAfter: 1, listBefore: 6, listAfter: 1 },
    async historyBefore(habitId: string, token: string): Promise<boolean> {
      const [habit, completions, deliveries] = await Promise.all([
        get(`/habits?select=*&id=eq.${habitId}`, token),
        get(`/habit_completions?select=*&habit_id=eq.${habitId}&order=occurrence_at.desc&limit=1000`, token),
        get(`/notifications?select=*&habit_id=eq.${habitId}&order=created_at.desc&limit=10`, token),
      ]);
      return habit?.length === 1 && completions?.length === COMPLETIONS && deliveries?.length === DELIVERIES;
    },
    async historyAfter(habitId: string, token: string): Promise<boolean> {
      const rows = await get(
        `/habits?select=*,habit_completions(*),notifications(*)&id=eq.${habitId}` +
          `&habit_completions.order=${history}&notifications.order=created_at.desc&notifications.limit=10`,
        token,
      ) as { habit_completions: unknown[]; notifications: unknown[] }[] | null;
      return rows?.length === 1 && rows[0].habit_completions.length === COMPLETIONS &&
        rows[0].notifications.length === DELIVERIES;
    },
    async listBefore(token: string): Promise<boolean> {
      const habits = await get(`/habits?select=*&${list}`, token, "count=exact") as { id: string }[] | null;
      if (habits?.length !== 5) return false;
      const latest = await Promise.all(
        habits.map((h) =>
          get(
            `/habit_completions?select=occurrence_at&habit_id=eq.${h.id}&order=occurrence_at.desc&limit=1`,
            token,
          )
        ),
      );
      return latest.every((rows) => rows !== null);
    },
    async listAfter(token: string): Promise<boolean> {
      const habits = await get(
        `/habits?select=*,habit_completions(occurrence_at)&${list}` +
          `&habit_completions.order=occurrence_at.desc&habit_completions.limit=1`,
        token,
        "count=exact",
      );
      return habits?.length === 5;
    },
  };
}
