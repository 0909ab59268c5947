import type { Habit } from "../lib/database.ts";
import { DataError } from "../lib/data-error.ts";
import { occurrenceToMarkDone } from "../habits/schedule.ts";
import { recordCompletion } from "./history-api.ts";

/**
 * Marks today's occurrence done (early, if its time is still ahead), or else the most recent one,
 * in the owner's time zone. Returns a sentence saying what happened.
 */
export async function markOccurrenceDone(
  habit: Habit,
  timeZone: string,
): Promise<string> {
  const occurrence = occurrenceToMarkDone(habit, timeZone);
  if (!occurrence) {
    return "This habit starts on a later day: nothing to mark yet.";
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
