/** Progress at a glance and Loop's habit strength, computed from a schedule and done dates. */
import assert from "node:assert/strict";
import { lastDays } from "../../web/src/habits/progress.ts";
import { habitStreaks } from "../../web/src/schedule/streaks.ts";
import { loopMultiplier, strengthOverTime } from "../../web/src/history/strength.ts";
import { monthlyRates, weeklyRates } from "../../web/src/history/completion-rates.ts";

const daily = { time: "07:00:00", interval_days: 1, starts_on: "2026-11-20" };
const NOW = new Date("2026-11-30T05:00:00Z"); // 06:00 in Berlin, before today's 07:00

Deno.test("the last 7 days: done, missed, not due, and today still open", () => {
  const done = new Set(["2026-11-26", "2026-11-28", "2026-11-29"]);
  assert.deepEqual(
    lastDays(daily, done, "Europe/Berlin", NOW).map((day) => day.mark),
    ["missed", "missed", "done", "missed", "done", "done", "open"],
  );
  const everyOther = { ...daily, interval_days: 2, starts_on: "2026-11-24" };
  assert.deepEqual(
    lastDays(everyOther, new Set(["2026-11-26"]), "Europe/Berlin", NOW).map((day) => day.mark),
    ["missed", "rest", "done", "rest", "missed", "rest", "open"],
  );
});

Deno.test("the current streak does not break on today's open occurrence", () => {
  const habit = { ...daily, created_at: "2026-11-20T00:00:00Z" };
  // 07:00 in Berlin (UTC+1) on each date.
  const done = ["2026-11-28", "2026-11-29"].map((date) => ({ occurrence_at: `${date}T06:00:00Z` }));
  assert.deepEqual(habitStreaks(habit, done, "Europe/Berlin", NOW), { current: 2, best: 2 });
  assert.deepEqual(
    habitStreaks(habit, [...done, { occurrence_at: "2026-11-30T06:00:00Z" }], "Europe/Berlin", NOW),
    { current: 3, best: 3 },
  );
});

Deno.test("a missed occurrence that is not today's breaks the current streak", () => {
  // Every 2 days from 2026-11-20: the 26th and 28th done, and 30 November is today.
  const everyOther = { ...daily, interval_days: 2, created_at: "2026-11-20T00:00:00Z" };
  const done = ["2026-11-26", "2026-11-28"].map((date) => ({ occurrence_at: `${date}T06:00:00Z` }));
  assert.deepEqual(habitStreaks(everyOther, done, "Europe/Berlin", NOW), { current: 2, best: 2 });
  // A day later (1 December is not due), the 30th missed: the streak is over, as the database says.
  const later = new Date("2026-12-01T12:00:00Z");
  assert.deepEqual(habitStreaks(everyOther, done, "Europe/Berlin", later), { current: 0, best: 2 });
});

Deno.test("habit strength follows Loop's Score.compute day by day", () => {
  const multiplier = loopMultiplier(1);
  assert.ok(Math.abs(multiplier - 0.5 ** (1 / 13)) < 1e-12);
  const points = strengthOverTime(daily, new Set(["2026-11-20", "2026-11-21"]), "2026-11-23");
  const expected = [1 - multiplier];
  expected.push(expected[0]! * multiplier + (1 - multiplier));
  expected.push(expected[1]! * multiplier, expected[1]! * multiplier * multiplier);
  assert.deepEqual(points.map((point) => point.date), [
    "2026-11-20",
    "2026-11-21",
    "2026-11-22",
    "2026-11-23",
  ]);
  points.forEach((point, index) => assert.ok(Math.abs(point.value - expected[index]!) < 1e-12));
  // A habit due every 7 days fades more slowly, and its whole week counts once it is done.
  const weekly = { ...daily, interval_days: 7 };
  const weeklyPoints = strengthOverTime(weekly, new Set(["2026-11-20"]), "2026-11-26");
  assert.ok(
    weeklyPoints.every((point, index) => index === 0 || point.value > weeklyPoints[index - 1]!.value),
  );
  assert.ok(loopMultiplier(7) > multiplier);
});

Deno.test("completion rates per week (Monday first) and per month", () => {
  const due = ["2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"];
  const done = new Set(["2026-11-30", "2026-12-01"]);
  assert.deepEqual(weeklyRates(due, done), [
    { start: "2026-11-23", due: 1, done: 0, rate: 0 },
    { start: "2026-11-30", due: 3, done: 2, rate: 2 / 3 },
  ]);
  assert.deepEqual(monthlyRates(due, done), [
    { start: "2026-11-01", due: 2, done: 1, rate: 0.5 },
    { start: "2026-12-01", due: 2, done: 1, rate: 0.5 },
  ]);
});
