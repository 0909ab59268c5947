import type { Habit, HabitCompletion, Notification } from "../lib/database.ts";
import { unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";

export interface HabitHistory {
  habit: Habit;
  /** Newest first, at most 1,000. */
  completions: HabitCompletion[];
  /** The 10 most recent deliveries, newest first. */
  deliveries: Notification[];
}

/** The habit with its completions and recent deliveries, in one embedded request. */
export async function fetchHabitHistory(
  habitId: string,
): Promise<HabitHistory> {
  const row = unwrap<Habit & { habit_completions: HabitCompletion[]; notifications: Notification[] }>(
    await supabase.from("habits")
      .select("*, habit_completions(*), notifications(*)")
      .eq("id", habitId)
      .order("occurrence_at", {
        referencedTable: "habit_completions",
        ascending: false,
      })
      .limit(1000, { referencedTable: "habit_completions" })
      .order("created_at", {
        referencedTable: "notifications",
        ascending: false,
      })
      .limit(10, { referencedTable: "notifications" })
      .maybeSingle(),
  );
  const {
    habit_completions: completions,
    notifications: deliveries,
    ...habit
  } = row;
  return { habit, completions, deliveries };
}
