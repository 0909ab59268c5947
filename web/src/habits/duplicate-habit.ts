import { unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";
import type { HabitRow } from "./habit-schema.ts";

/**
 * Whether the owner already has a habit with the same action, place, time and interval. Not a
 * rule (two identical habits are allowed): the form warns once and creates it on a second press.
 */
export async function hasExactDuplicate(ownerId: string, row: HabitRow): Promise<boolean> {
  const found = unwrap(
    await supabase.from("habits").select("id")
      .eq("owner_id", ownerId)
      .eq("action", row.action)
      .eq("place", row.place)
      .eq("time", row.time)
      .eq("interval_days", row.interval_days)
      .limit(1),
  );
  return found.length > 0;
}
