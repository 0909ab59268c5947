/**
 * Progress at a glance: each of the last days marked done, missed, still open or not due, from a
 * habit's schedule and the local dates of its completions.
 */
import { addDays, type HabitSchedule, isDueOn, localDate } from "../schedule/schedule.ts";

export type DayMark = "done" | "missed" | "open" | "rest";

export interface MarkedDay {
  date: string;
  mark: DayMark;
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
