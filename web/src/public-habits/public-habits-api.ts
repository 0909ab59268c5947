import type { PublicHabit } from "../lib/database.ts";
import { unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";

export const PUBLIC_HABITS_PER_PAGE = 10;

export async function fetchPublicHabitsPage(
  page: number,
): Promise<{ habits: PublicHabit[]; total: number }> {
  const from = (page - 1) * PUBLIC_HABITS_PER_PAGE;
  const result = await supabase.from("public_habits").select("*", {
    count: "exact",
  })
    .order("created_at", { ascending: false }).order("id")
    .range(from, from + PUBLIC_HABITS_PER_PAGE - 1);
  if (result.status === 416) return { habits: [], total: result.count ?? 0 };
  return { habits: unwrap(result), total: result.count ?? 0 };
}
