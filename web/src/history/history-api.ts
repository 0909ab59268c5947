import type { HabitCompletion, Notification } from "../lib/database.ts";
import { unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";

export async function fetchCompletions(
  habitId: string,
): Promise<HabitCompletion[]> {
  return unwrap(
    await supabase.from("habit_completions").select("*").eq("habit_id", habitId)
      .order("occurrence_at", { ascending: false }).limit(1000),
  );
}

export async function fetchRecentDeliveries(
  habitId: string,
  limit = 10,
): Promise<Notification[]> {
  return unwrap(
    await supabase.from("notifications").select("*").eq("habit_id", habitId)
      .order("created_at", { ascending: false }).limit(limit),
  );
}

/** Records the occurrence due at `occurrenceAt` as done (once per occurrence, enforced by the database). */
export async function recordCompletion(
  habitId: string,
  occurrenceAt: Date,
): Promise<HabitCompletion> {
  return unwrap(
    await supabase.from("habit_completions")
      .insert({ habit_id: habitId, occurrence_at: occurrenceAt.toISOString() })
      .select().single(),
  );
}
