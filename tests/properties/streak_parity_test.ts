/**
 * One streak rule: the web app's copy (web/src/schedule/streaks.ts, which shows a streak at once
 * and offline) and the database's (private.streak_marks, counted by private.habit_streaks and
 * private.current_streak) agree on generated histories: zones with DST and odd offsets, every
 * interval, wall-clock times in DST gaps, first days from today to beyond the 1,000-occurrence
 * lookback, habits created before or after their first day, completions in runs and gaps, today's
 * done or pending, and completions left off the grid by a change of time.
 *
 * The test command runs it with a fixed seed. Longer runs:
 *   PROPERTY_RUNS=500 PROPERTY_SEED=random deno test --allow-all --no-check tests/properties/streak_parity_test.ts
 */
import fc from "fast-check";
import assert from "node:assert/strict";
import type postgres from "postgres";
import { connectTestDatabase, createTestUser, deleteTestUsers, type TestUser } from "../support/database.ts";
import { habitStreaks } from "../../web/src/schedule/streaks.ts";

const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Asia/Kathmandu",
];

interface HistorySpec {
  zone: number;
  time: string;
  interval: number;
  startsDaysAgo: number;
  /** When the habit was created, in hours after 00:00 UTC of its first day (negative: before). */
  createdHoursAfterStart: number;
  /** The share of occurrences done, in percent, and which ones (a seed for the draw). */
  donePercent: number;
  draw: number;
  /** The share of completions moved 7 minutes off the grid (the habit's time changed since). */
  offGridPercent: number;
}

const time = fc.oneof(
  fc.constantFrom("00:00:00", "02:30:00", "02:15:00", "23:59:00", "07:00:00"),
  fc.integer({ min: 0, max: 24 * 60 - 1 }).map((minute) =>
    `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:00`
  ),
);

const history: fc.Arbitrary<HistorySpec> = fc.record({
  zone: fc.integer({ min: 0, max: ZONES.length - 1 }),
  time,
  interval: fc.integer({ min: 1, max: 7 }),
  startsDaysAgo: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 90 }) },
    { weight: 1, arbitrary: fc.integer({ min: 900, max: 1500 }) },
  ),
  createdHoursAfterStart: fc.integer({ min: -48, max: 24 * 100 }),
  donePercent: fc.constantFrom(0, 50, 80, 95, 100),
  draw: fc.integer({ min: 0, max: 1_000_000 }),
  offGridPercent: fc.constantFrom(0, 0, 10),
});

class Rollback extends Error {}

/** Writes the habits as they stand (no triggers) and compares both sides; returns every mismatch. */
async function compare(tx: postgres.TransactionSql, owners: TestUser[], specs: HistorySpec[]) {
  const mismatches: string[] = [];
  await tx`set local session_replication_role = replica`;
  const [{ now }] = await tx<{ now: Date }[]>`select now()`;
  for (const [index, spec] of specs.entries()) {
    const zone = ZONES[spec.zone]!;
    const owner = owners[spec.zone]!;
    const [habit] = await tx<{ id: string; starts_on: string; time: string; created_at: Date }[]>`
      insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, starts_on, created_at)
      select ${owner.id}, ${`parity-${index}`}, 'here', ${spec.time}::time, ${spec.interval}, 60, s.starts_on,
        date_trunc('milliseconds', s.starts_on::timestamp at time zone 'UTC' + ${spec.createdHoursAfterStart} * interval '1 hour')
      from (select (now() at time zone ${zone})::date - ${spec.startsDaysAgo}::integer as starts_on) s
      returning id, starts_on::text, time::text, created_at`;
    await tx`
      insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at, source)
      select h.id, h.owner_id, o.at + case when abs(hashtext(${spec.draw} || 'shift' || d::text)) % 100 < ${spec.offGridPercent}
          then interval '7 minutes' else interval '0' end, now(), 'web'
      from public.habits h
      cross join lateral generate_series(h.starts_on::timestamp, (now() at time zone ${zone})::date::timestamp,
        make_interval(days => h.interval_days)) d
      cross join lateral (select (d::date + h.time) at time zone ${zone} as at) o
      where h.id = ${habit!.id} and abs(hashtext(${spec.draw} || d::text)) % 100 < ${spec.donePercent}`;
    const completions = await tx<{ occurrence_at: Date }[]>`
      select occurrence_at from public.habit_completions where habit_id = ${habit!.id}`;
    const [database] = await tx<{ streak: number; best_streak: number; current: number }[]>`
      select s.streak, s.best_streak, private.current_streak(${habit!.id}) as current
      from private.habit_streaks(${owner.id}, ${habit!.id}) s`;
    const web = habitStreaks(
      {
        time: habit!.time,
        interval_days: spec.interval,
        starts_on: habit!.starts_on,
        created_at: habit!.created_at.toISOString(),
      },
      completions.map((completion) => ({ occurrence_at: completion.occurrence_at.toISOString() })),
      zone,
      now,
    );
    const sql = { current: database!.streak, best: database!.best_streak };
    if (web.current !== sql.current || web.best !== sql.best || database!.current !== sql.current) {
      mismatches.push(
        `${zone} ${JSON.stringify(spec)}: web ${JSON.stringify(web)}, habit_streaks ${
          JSON.stringify(sql)
        }, ` +
          `current_streak ${database!.current}`,
      );
    }
  }
  return mismatches;
}

Deno.test("the web app's streaks and the database's agree on every generated history", async () => {
  const sql = connectTestDatabase();
  const owners: TestUser[] = [];
  try {
    for (const zone of ZONES) owners.push(await createTestUser(sql, { timezone: zone }));
    const seedSetting = Deno.env.get("PROPERTY_SEED") ?? "20261208";
    const seed = seedSetting === "random" ? Date.now() % 2 ** 31 : Number(seedSetting);
    const numRuns = Number(Deno.env.get("PROPERTY_RUNS") ?? 40);
    console.log(`property seed ${seed}, ${numRuns} runs`);
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(history, { minLength: 1, maxLength: 6 }), async (specs) => {
        let mismatches: string[] = [];
        try {
          await sql.begin(async (tx) => {
            mismatches = await compare(tx, owners, specs);
            throw new Rollback();
          });
        } catch (error) {
          if (!(error instanceof Rollback)) throw error;
        }
        compared += specs.length;
        assert.deepEqual(mismatches, []);
      }),
      { seed, numRuns },
    );
    assert.ok(compared >= numRuns, `compared ${compared} histories`);
  } finally {
    await deleteTestUsers(sql, owners);
    await sql.end();
  }
});
