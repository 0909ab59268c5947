import type { Habit } from "../lib/database.ts";

type HabitWords = Pick<Habit, "action" | "place" | "time">;

/** "I will read a page at 07:00 in the kitchen" */
export function habitSentence(
  habit: { action: string | null; place: string | null; time: string | null },
): string {
  return `I will ${habit.action ?? "…"} at ${(habit.time ?? "").slice(0, 5)} in ${habit.place ?? "…"}`;
}

export function intervalText(intervalDays: number | null): string {
  return intervalDays === 1 ? "every day" : `every ${intervalDays ?? "?"} days`;
}

export function durationText(seconds: number | null): string {
  return `${seconds ?? "?"} s`;
}

export function shortHabitLabel(
  habit: Pick<HabitWords, "action" | "place">,
): string {
  return `${habit.action} (${habit.place})`;
}

export function formatInstant(iso: string | null, timeZone?: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(
    new Date(iso),
  );
}
