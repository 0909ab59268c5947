import type { Habit, HabitCompletion } from "../lib/database.ts";
import { DataError } from "../lib/data-error.ts";
import { occurrenceToMarkDone } from "../schedule/schedule.ts";
import { translate } from "../i18n/i18n.ts";
import { recordCompletion } from "./completions-api.ts";

/**
 * Marks today's occurrence done (early, if its time is still ahead), or else the most recent one,
 * in the owner's time zone. Returns a sentence saying what happened, and the completion if new.
 */
export async function markOccurrenceDone(
  habit: Pick<Habit, "id" | "time" | "interval_days" | "starts_on">,
  timeZone: string,
): Promise<{ text: string; completion?: HabitCompletion }> {
  const occurrence = occurrenceToMarkDone(habit, timeZone);
  if (!occurrence) {
    return { text: translate("This habit starts on a later day: nothing to mark yet.") };
  }
  try {
    const completion = await recordCompletion(habit.id, occurrence);
    return { text: translate("Marked as done. Well done!"), completion };
  } catch (error) {
    if (error instanceof DataError && error.identifier === "habit_completions_once_per_occurrence") {
      return { text: translate("Already marked as done.") };
    }
    throw error;
  }
}
