import { translate } from "../i18n/i18n.ts";
import { formatClock } from "../i18n/format.ts";
import type { Habit } from "../lib/database.ts";

type HabitWords = Pick<Habit, "action" | "place" | "time">;

/**
 * A place is stored as the person wrote it: "the kitchen", or with its own preposition ("at my desk",
 * "на кухне"). The sentence adds one only when the place has none, so a place is never written as
 * "in in bed". A place that is no place in particular ("anywhere", "где угодно", what a Loop import
 * sets) stands alone too. supabase/functions/_shared/habit-text.ts (the bot) follows the same rule.
 */
const PLACE_PREPOSITION =
  /^(in|at|on|by|near|under|inside|outside|beside|behind|next to|around|over|anywhere|everywhere|wherever|somewhere|в|во|на|у|под|над|возле|около|рядом|за|перед|при|дома|где угодно|где-нибудь|везде|всюду)(\s|$)/i;

export function placeHasPreposition(place: string): boolean {
  return PLACE_PREPOSITION.test(place.trim());
}

/** "I will read a page at 7:00 AM in the kitchen", in the interface language. */
export function habitSentence(
  habit: { action: string | null; place: string | null; time: string | null },
): string {
  const place = habit.place ?? "…";
  return translate("I will {{action}} at {{time}} {{where}}", {
    action: habit.action ?? "…",
    time: formatClock(habit.time),
    where: placeHasPreposition(place) ? place : translate("in {{place}}", { place }),
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
  return `${habit.action} (${habit.place})`; // the place alone, in brackets: no preposition added
}
