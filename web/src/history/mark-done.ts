import type { Habit } from "../lib/database.ts";
import { DataError } from "../lib/data-error.ts";
import { latestOccurrence } from "../habits/schedule.ts";
import { recordCompletion } from "./history-api.ts";

/**
 * Marks the habit's most recent due occurrence (at or before now, in the owner's time zone) as
 * done. Returns a sentence saying what happened.
 */
export async function markLatestOccurrenceDone(
  habit: Habit,
  timeZone: string,
): Promise<string> {
  const occurrence = latestOccurrence(habit, timeZone);
  if (!occurrence) {
    return "Nothing is due yet: the first occurrence is still ahead.";
  }
  try {
    await recordCompletion(habit.id, occurrence);
    return "Marked as done. Well done!";
  } catch (error) {
    if (
      error instanceof DataError &&
      error.identifier === "habit_completions_once_per_occurrence"
    ) {
      return "Already marked as done.";
    }
    throw error;
  }
}
