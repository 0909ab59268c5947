/**
 * Habit strength over time, the way Loop Habit Tracker computes its "score": an exponential
 * moving average of daily checkmarks whose half-life depends on how often the habit is due.
 * From iSoron/uhabits, uhabits-core/.../core/models/Score.kt (Score.compute):
 *
 *   multiplier = 0.5 ^ (sqrt(frequency) / 13)
 *   score      = previousScore · multiplier + checkmarkValue · (1 − multiplier)
 *
 * where frequency is repetitions per day (here 1 / interval_days) and ScoreList applies it once
 * per day from the habit's start. As in Loop for habits due every n days, a day counts as checked
 * when the occurrence it belongs to (the latest due day on or before it) was done.
 */
import { addDays, daysBetween, gridDateOnOrBefore, type HabitSchedule } from "../schedule/schedule.ts";

export interface StrengthPoint {
  date: string;
  /** 0 … 1 */
  value: number;
}

export function loopMultiplier(intervalDays: number): number {
  return 0.5 ** (Math.sqrt(1 / intervalDays) / 13);
}

/** The score after each day from the start (or `from`, if later) up to `today`. */
export function strengthOverTime(
  habit: HabitSchedule,
  doneDates: ReadonlySet<string>,
  today: string,
): StrengthPoint[] {
  const multiplier = loopMultiplier(habit.interval_days);
  const points: StrengthPoint[] = [];
  let score = 0;
  for (let date = habit.starts_on; daysBetween(date, today) >= 0; date = addDays(date, 1)) {
    const occurrence = gridDateOnOrBefore(habit, date);
    const checked = occurrence !== null && doneDates.has(occurrence) ? 1 : 0;
    score = score * multiplier + checked * (1 - multiplier);
    points.push({ date, value: score });
  }
  return points;
}
