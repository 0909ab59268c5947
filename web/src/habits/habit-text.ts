import { translate } from "../i18n/i18n.ts";
import { formatClock } from "../i18n/format.ts";
import type { Habit } from "../lib/database.ts";

type HabitWords = Pick<Habit, "action" | "place" | "time">;

/** "I will read a page at 7:00 AM in the kitchen", in the interface language. */
export function habitSentence(
  habit: { action: string | null; place: string | null; time: string | null },
): string {
  return translate("I will {{action}} at {{time}} in {{place}}", {
    action: habit.action ?? "…",
    time: formatClock(habit.time),
    place: habit.place ?? "…",
  });
}

export function intervalText(intervalDays: number | null): string {
  return translate("every {{count}} days", { count: intervalDays ?? 1 });
}

export function durationText(seconds: number | null): string {
  return translate("{{count}} s", { count: seconds ?? 0 });
}

export function shortHabitLabel(
  habit: Pick<HabitWords, "action" | "place">,
): string {
  return `${habit.action} (${habit.place})`;
}
