/**
 * The streak rule in the browser, so that a card and the history show a streak at once (and
 * offline) after a day is marked: the database's private.streak_marks (supabase/schemas/
 * 75_streaks.sql), step for step. tests/properties/streak_parity_test.ts generates histories and fails
 * the moment this and private.habit_streaks disagree.
 */
import {
  addDays,
  daysBetween,
  gridDateOnOrBefore,
  type HabitSchedule,
  localDate,
  zonedInstant,
} from "./schedule.ts";

/** private.streak_lookback(): a streak looks back at most this many occurrences. */
export const STREAK_LOOKBACK = 1000;

export interface StreakHabit extends HabitSchedule {
  created_at: string;
}

export type StreakMark = "done" | "pending" | "missed";

export interface Streaks {
  current: number;
  best: number;
}

/**
 * The habit's last occurrences up to today (at most STREAK_LOOKBACK), newest first, each done
 * (a completion of exactly that occurrence), pending (today's, not yet done: it breaks nothing)
 * or missed. An occurrence before the habit was created counts only if it was done.
 */
export function streakMarks(
  habit: StreakHabit,
  completions: readonly { occurrence_at: string }[],
  timeZone: string,
  now = new Date(),
): { date: string; mark: StreakMark }[] {
  const today = localDate(now, timeZone);
  const last = gridDateOnOrBefore(habit, today);
  if (last === null) return [];
  const done = new Set(completions.map((completion) => Date.parse(completion.occurrence_at)));
  const createdAt = Date.parse(habit.created_at);
  const count = Math.min(STREAK_LOOKBACK, daysBetween(habit.starts_on, last) / habit.interval_days + 1);
  const marks: { date: string; mark: StreakMark }[] = [];
  for (let back = 0; back < count; back++) {
    const date = addDays(last, -back * habit.interval_days);
    const at = zonedInstant(date, habit.time, timeZone).getTime();
    if (done.has(at)) marks.push({ date, mark: "done" });
    else if (date === today) marks.push({ date, mark: "pending" });
    else if (at >= createdAt) marks.push({ date, mark: "missed" });
  }
  return marks;
}

/** The current streak (done since the last miss) and the best run of done within the window. */
export function habitStreaks(
  habit: StreakHabit,
  completions: readonly { occurrence_at: string }[],
  timeZone: string,
  now = new Date(),
): Streaks {
  let run = 0;
  let best = 0;
  for (const { mark } of streakMarks(habit, completions, timeZone, now).reverse()) {
    if (mark === "pending") continue;
    run = mark === "done" ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return { current: run, best };
}
