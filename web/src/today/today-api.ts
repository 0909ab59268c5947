import { gridDateOnOrBefore, localDate, zonedInstant } from "../schedule/schedule.ts";
import type { Habit, HabitCompletion } from "../lib/database.ts";
import { unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";

export interface TodayItem {
  habit: Habit;
  /** Today's occurrence in the owner's zone. */
  dueAt: Date;
  /** Today's completion, if marked. */
  completion: Pick<HabitCompletion, "id" | "occurrence_at"> | undefined;
  /** The pleasant habit that follows this one, if linked. */
  pleasant: Pick<Habit, "action" | "place"> | undefined;
}

export interface TodayView {
  today: string;
  timeZone: string;
  due: TodayItem[];
  paused: Habit[];
  /** How many habits the person has at all (0: teach the habit formula). */
  habitCount: number;
}

export interface TodayData {
  /** The person's time zone (the profile's). */
  timeZone: string;
  habits: Habit[];
  completions: Pick<HabitCompletion, "id" | "habit_id" | "occurrence_at">[];
}

/** The person's zone, every habit, and the completions of the last two days (today in any zone). */
export async function fetchTodayData(userId: string, now = new Date()): Promise<TodayData> {
  const since = new Date(now.getTime() - 2 * 86_400_000).toISOString();
  const [profile, habits, completions] = await Promise.all([
    supabase.from("profiles").select("timezone").eq("id", userId).single(),
    supabase.from("habits").select("*").order("time").order("id"),
    supabase.from("habit_completions").select("id, habit_id, occurrence_at").gte("occurrence_at", since),
  ]);
  return { timeZone: unwrap(profile).timezone, habits: unwrap(habits), completions: unwrap(completions) };
}

/** What is due today in `timeZone`, in time order; paused habits apart. */
export function todayView(data: TodayData, now = new Date()): TodayView {
  const { timeZone } = data;
  const today = localDate(now, timeZone);
  const byId = new Map(data.habits.map((habit) => [habit.id, habit]));
  const due: TodayItem[] = [];
  for (const habit of data.habits) {
    if (habit.is_paused || gridDateOnOrBefore(habit, today) !== today) continue;
    const dueAt = zonedInstant(today, habit.time, timeZone);
    const completion = data.completions.find((candidate) =>
      candidate.habit_id === habit.id && new Date(candidate.occurrence_at).getTime() === dueAt.getTime()
    );
    const related = habit.related_habit_id ? byId.get(habit.related_habit_id) : undefined;
    due.push({ habit, dueAt, completion, pleasant: related });
  }
  due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.habit.action.localeCompare(b.habit.action));
  return {
    today,
    timeZone,
    due,
    paused: data.habits.filter((habit) => habit.is_paused),
    habitCount: data.habits.length,
  };
}
