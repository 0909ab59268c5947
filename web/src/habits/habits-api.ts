import type { Habit } from "../lib/database.ts";
import { DataError, unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";
import type { HabitRow } from "./habit-schema.ts";

export const HABITS_PER_PAGE = 5;

/** Completions embedded per habit: enough for the 7-day marks and streaks up to this length. */
export const RECENT_COMPLETIONS = 100;

/** A habit's completion as the list needs it: which occurrence, and when the person marked it. */
export interface RecentCompletion {
  id: number;
  occurrence_at: string;
  completed_at: string;
}

/**
 * A habit of the list, with its recent completions (newest occurrence first) and when the person
 * last marked one done (not the due time of the occurrence they marked).
 */
export type ListedHabit = Habit & { lastDoneAt: string | null; recent: RecentCompletion[] };

/** The latest moment any of `completions` was marked, or null for none. */
export function lastMarkedAt(completions: readonly { completed_at: string }[]): string | null {
  let latest: string | null = null;
  for (const { completed_at } of completions) {
    if (latest === null || Date.parse(completed_at) > Date.parse(latest)) latest = completed_at;
  }
  return latest;
}

export interface HabitsPage {
  habits: ListedHabit[];
  total: number;
}

/**
 * Page `page` (1-based) of the signed-in user's habits, newest first, each with its recent
 * completions embedded (one request instead of one more per habit).
 */
export async function fetchHabitsPage(page: number): Promise<HabitsPage> {
  const from = (page - 1) * HABITS_PER_PAGE;
  const result = await supabase
    .from("habits")
    .select("*, habit_completions(id, occurrence_at, completed_at)", { count: "exact" })
    .order("created_at", { ascending: false })
    .order("id")
    .order("occurrence_at", {
      referencedTable: "habit_completions",
      ascending: false,
    })
    .limit(RECENT_COMPLETIONS, { referencedTable: "habit_completions" })
    .range(from, from + HABITS_PER_PAGE - 1);
  // Asking past the last page answers 416; that page is simply empty.
  if (result.status === 416) return { habits: [], total: result.count ?? 0 };
  const habits = unwrap(result).map((
    { habit_completions: recent, ...habit },
  ) => ({
    ...habit,
    recent,
    lastDoneAt: lastMarkedAt(recent),
  }));
  return { habits, total: result.count ?? 0 };
}

/** The server answered that there is no such habit (deleted, or not this person's). */
export class HabitNotFound extends DataError {
  constructor() {
    super({ message: "Not found." });
  }
}

export async function fetchHabit(id: string): Promise<Habit> {
  const result = await supabase.from("habits").select("*").eq("id", id)
    .maybeSingle();
  if (!result.error && result.data === null) throw new HabitNotFound();
  return unwrap(result);
}

/** The user's pleasant habits: the only ones a habit can be linked to. */
export async function fetchPleasantHabits(): Promise<
  Pick<Habit, "id" | "action" | "place">[]
> {
  return unwrap(
    await supabase.from("habits").select("id, action, place").is(
      "is_pleasant",
      true,
    ).order("action"),
  );
}

export async function createHabit(row: HabitRow): Promise<Habit> {
  return unwrap(await supabase.from("habits").insert(row).select().single());
}

export async function updateHabit(id: string, row: HabitRow): Promise<Habit> {
  return unwrap(
    await supabase.from("habits").update(row).eq("id", id).select().single(),
  );
}

export async function setHabitPaused(
  id: string,
  isPaused: boolean,
): Promise<Habit> {
  return unwrap(
    await supabase.from("habits").update({ is_paused: isPaused }).eq("id", id)
      .select().single(),
  );
}

export async function deleteHabit(id: string): Promise<void> {
  const { error, status } = await supabase.from("habits").delete().eq("id", id);
  if (error) throw new DataError({ ...error, status });
}
