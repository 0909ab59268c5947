/**
 * One schedule truth: the web app's copy of the occurrence logic (web/src/schedule/schedule.ts)
 * and the database's (private.next_occurrence and the functions built on it) must agree on the
 * same DST and interval cases. This test fails the moment they disagree.
 */
import assert from "node:assert/strict";
import { connectTestDatabase } from "../support/database.ts";
import {
  type HabitSchedule,
  latestOccurrence,
  nextOccurrence,
  occurrenceToMarkDone,
  zonedInstant,
} from "../../web/src/schedule/schedule.ts";

interface Case {
  zone: string;
  habit: HabitSchedule;
  /** Instants to look from (ISO, UTC). */
  at: string[];
}

const CASES: Case[] = [
  // Spring forward in Berlin (02:00 → 03:00 on 2026-03-29): 02:30 does not exist that day.
  {
    zone: "Europe/Berlin",
    habit: { time: "02:30:00", interval_days: 1, starts_on: "2026-03-20" },
    at: [
      "2026-03-28T23:00:00Z",
      "2026-03-29T00:29:59Z",
      "2026-03-29T00:30:00Z",
      "2026-03-29T01:30:00Z",
      "2026-03-30T12:00:00Z",
    ],
  },
  // Fall back in Berlin (03:00 → 02:00 on 2026-10-25): 02:30 happens twice.
  {
    zone: "Europe/Berlin",
    habit: { time: "02:30:00", interval_days: 1, starts_on: "2026-10-01" },
    at: [
      "2026-10-24T23:59:00Z",
      "2026-10-25T00:30:00Z",
      "2026-10-25T01:00:00Z",
      "2026-10-25T01:30:00Z",
      "2026-10-25T02:00:00Z",
    ],
  },
  // 07:00 across both Berlin transitions, every 3 days.
  {
    zone: "Europe/Berlin",
    habit: { time: "07:00:00", interval_days: 3, starts_on: "2026-03-20" },
    at: [
      "2026-03-27T05:59:00Z",
      "2026-03-29T05:00:00Z",
      "2026-04-01T05:00:00Z",
      "2026-10-24T12:00:00Z",
      "2026-10-28T06:00:00Z",
    ],
  },
  // New York's spring gap, every 2 days, and a weekly habit.
  {
    zone: "America/New_York",
    habit: { time: "02:15:00", interval_days: 2, starts_on: "2026-03-04" },
    at: ["2026-03-08T06:00:00Z", "2026-03-08T07:15:00Z", "2026-03-09T12:00:00Z", "2026-03-10T07:14:59Z"],
  },
  {
    zone: "America/New_York",
    habit: { time: "23:30:00", interval_days: 7, starts_on: "2026-10-26" },
    at: ["2026-11-01T12:00:00Z", "2026-11-03T04:30:00Z", "2026-11-10T04:29:59Z", "2026-11-10T04:30:00Z"],
  },
  // Lord Howe moves by 30 minutes; Chatham and Kathmandu have odd offsets.
  {
    zone: "Australia/Lord_Howe",
    habit: { time: "02:15:00", interval_days: 1, starts_on: "2026-09-30" },
    at: ["2026-10-03T14:00:00Z", "2026-10-03T15:45:00Z", "2026-10-04T16:00:00Z"],
  },
  {
    zone: "Pacific/Chatham",
    habit: { time: "03:00:00", interval_days: 2, starts_on: "2026-09-20" },
    at: ["2026-09-26T12:00:00Z", "2026-09-27T14:00:00Z", "2026-09-28T14:00:00Z"],
  },
  {
    zone: "Asia/Kathmandu",
    habit: { time: "06:00:00", interval_days: 5, starts_on: "2026-01-01" },
    at: ["2026-01-01T00:14:00Z", "2026-01-01T00:15:00Z", "2026-01-06T00:15:00Z", "2026-01-08T00:00:00Z"],
  },
];

const iso = (date: Date | null) => date?.toISOString() ?? null;

Deno.test("the web app's schedule and private.next_occurrence agree on DST and interval cases", async () => {
  const sql = connectTestDatabase();
  try {
    let compared = 0;
    for (const { zone, habit, at } of CASES) {
      for (const instant of at) {
        const label =
          `${zone} ${habit.time} every ${habit.interval_days} from ${habit.starts_on}, at ${instant}`;
        const [row] = await sql<
          { next: Date; latest: Date | null; today: Date | null; local_date: string }[]
        >`
          select
            private.next_occurrence(${habit.time}::time, ${habit.interval_days}, ${habit.starts_on}::date, ${zone}, ${instant}::timestamptz) as next,
            private.latest_occurrence_at_or_before(${habit.time}::time, ${habit.interval_days}, ${habit.starts_on}::date, ${zone}, ${instant}::timestamptz) as latest,
            private.todays_occurrence(${habit.time}::time, ${habit.interval_days}, ${habit.starts_on}::date, ${zone}, ${instant}::timestamptz) as today,
            ((${instant}::timestamptz at time zone ${zone})::date)::text as local_date`;
        const now = new Date(instant);
        // The next occurrence the database computes is one in the web app's eyes, and none lies between.
        assert.equal(
          iso(latestOccurrence(habit, zone, row.next)),
          iso(row.next),
          `next is an occurrence: ${label}`,
        );
        assert.equal(iso(nextOccurrence(habit, zone, now)), iso(row.next), `next: ${label}`);
        const justBefore = latestOccurrence(habit, zone, new Date(row.next.getTime() - 1));
        assert.ok(justBefore === null || justBefore <= now, `no occurrence between now and next: ${label}`);
        // The most recent occurrence, when the database finds one (it looks one interval back).
        if (row.latest) {
          assert.equal(iso(latestOccurrence(habit, zone, now)), iso(row.latest), `latest: ${label}`);
        }
        // Today's occurrence ("Done" early) and wall-clock conversion, gaps and overlaps included.
        if (row.today) {
          assert.equal(iso(occurrenceToMarkDone(habit, zone, now)), iso(row.today), `today: ${label}`);
        }
        const [converted] = await sql<{ at: Date }[]>`
          select (${row.local_date}::date + ${habit.time}::time) at time zone ${zone} as at`;
        assert.equal(
          iso(zonedInstant(row.local_date, habit.time, zone)),
          iso(converted.at),
          `wall clock: ${label}`,
        );
        compared++;
      }
    }
    assert.ok(compared >= 30, `compared ${compared} cases`);
  } finally {
    await sql.end();
  }
});
