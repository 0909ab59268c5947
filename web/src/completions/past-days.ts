/**
 * Fixing what happened: the occurrences of a recent window that a person can mark or unmark from
 * History and from the 7-day marks. The window is the app's offer; whether a time is a real
 * occurrence is the database's decision (habit_completions_occurrence_on_schedule and
 * habit_completions_occurrence_not_after_today refuse anything else, from any path).
 */
import { addDays, type HabitSchedule, isDueOn, localDate, zonedInstant } from "../schedule/schedule.ts";
import { deleteCompletion, recordCompletion } from "./completions-api.ts";

/** How many local days, today included, can be fixed from the web app. */
export const FIX_WINDOW_DAYS = 14;

export interface FixableDay {
  /** Local date "YYYY-MM-DD". */
  date: string;
  /** The occurrence's instant: the habit's wall-clock time on that date in the owner's zone. */
  occurrenceAt: Date;
  /** The completion recorded for it, if any. */
  completionId: number | null;
}

/** The habit's due days of the window, newest first, each with its completion if recorded. */
export function fixableDays(
  habit: HabitSchedule,
  completions: readonly { id: number; occurrence_at: string }[],
  timeZone: string,
  now = new Date(),
): FixableDay[] {
  const today = localDate(now, timeZone);
  const byDate = new Map(completions.map((completion) => [
    localDate(new Date(completion.occurrence_at), timeZone),
    completion.id,
  ]));
  const days: FixableDay[] = [];
  for (let back = 0; back < FIX_WINDOW_DAYS; back++) {
    const date = addDays(today, -back);
    if (!isDueOn(habit, date)) continue;
    days.push({
      date,
      occurrenceAt: zonedInstant(date, habit.time, timeZone),
      completionId: byDate.get(date) ?? null,
    });
  }
  return days;
}

/** Whether `date` is a day the web app offers to fix. */
export function isFixable(
  habit: HabitSchedule,
  date: string,
  timeZone: string,
  now = new Date(),
): boolean {
  return fixableDays(habit, [], timeZone, now).some((day) => day.date === date);
}

/**
 * Marks the day done if it was not, or removes its completion if it was. Returns what was done
 * and how to undo it.
 */
export async function toggleDay(
  habitId: string,
  day: FixableDay,
): Promise<{ marked: boolean; undo: () => Promise<unknown> }> {
  if (day.completionId !== null) {
    await deleteCompletion(day.completionId);
    return {
      marked: false,
      undo: () => recordCompletion(habitId, day.occurrenceAt),
    };
  }
  const completion = await recordCompletion(habitId, day.occurrenceAt);
  return { marked: true, undo: () => deleteCompletion(completion.id) };
}
