/**
 * Progress at a glance: each of the last days marked done, missed, still open or not due, and the
 * current streak, from a habit's schedule and the local dates of its completions.
 */
import {
  addDays,
  daysBetween,
  dueDates,
  type HabitSchedule,
  localDate,
  occurrenceToMarkDone,
  streaks,
} from "./schedule.ts";

export type DayMark = "done" | "missed" | "open" | "rest";

export interface MarkedDay {
  date: string;
  mark: DayMark;
}

/** Whether `date` is one of the habit's due days. */
export function isDueOn(habit: HabitSchedule, date: string): boolean {
  const since = daysBetween(habit.starts_on, date);
  return since >= 0 && since % habit.interval_days === 0;
}

/** The local dates of completions, in the owner's zone. */
export function doneDatesOf(
  completions: readonly { occurrence_at: string }[],
  timeZone: string,
): Set<string> {
  return new Set(completions.map((completion) => localDate(new Date(completion.occurrence_at), timeZone)));
}

/** The last `days` local days up to today, oldest first; today, if due and not done, is "open". */
export function lastDays(
  habit: HabitSchedule,
  doneDates: ReadonlySet<string>,
  timeZone: string,
  now = new Date(),
  days = 7,
): MarkedDay[] {
  const today = localDate(now, timeZone);
  const marked: MarkedDay[] = [];
  for (let back = days - 1; back >= 0; back--) {
    const date = addDays(today, -back);
    let mark: DayMark;
    if (doneDates.has(date)) mark = "done";
    else if (!isDueOn(habit, date)) mark = "rest";
    else mark = date === today ? "open" : "missed";
    marked.push({ date, mark });
  }
  return marked;
}

/** Current and best streak, counting today's occurrence as due once it can be marked (even early). */
export function habitStreaks(
  habit: HabitSchedule,
  doneDates: ReadonlySet<string>,
  timeZone: string,
  now = new Date(),
) {
  const latest = occurrenceToMarkDone(habit, timeZone, now);
  return streaks(dueDates(habit, timeZone, latest && latest > now ? latest : now), doneDates);
}
