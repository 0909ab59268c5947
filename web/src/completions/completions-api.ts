import type { HabitCompletion } from "../lib/database.ts";
import { DataError, unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";

/** Records the occurrence due at `occurrenceAt` as done (once per occurrence, enforced by the database). */
export async function recordCompletion(habitId: string, occurrenceAt: Date): Promise<HabitCompletion> {
  return unwrap(
    await supabase.from("habit_completions")
      .insert({ habit_id: habitId, occurrence_at: occurrenceAt.toISOString() })
      .select().single(),
  );
}

/** Undoes a completion (owners may delete their completions). */
export async function deleteCompletion(id: number): Promise<void> {
  const { error, status } = await supabase.from("habit_completions").delete().eq("id", id);
  if (error) throw new DataError({ ...error, status });
}
