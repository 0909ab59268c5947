import { formatWallClock, type TimeFormat } from "./clock.ts";
import { escapeHtml } from "./html.ts";
import type { Language } from "./language.ts";

/** The parts of a habit its sentences are made of. */
export interface HabitWords {
  action: string;
  place: string;
  /** Local wall-clock time, "HH:MM" or "HH:MM:SS". */
  time: string;
  interval_days: number;
  duration_seconds: number;
  reward?: string | null;
  pleasant_action?: string | null;
  pleasant_place?: string | null;
}

const b = (text: string) => `<b>${escapeHtml(text)}</b>`;

/**
 * A place is stored as the person wrote it: "the kitchen", or with its own preposition ("at my desk",
 * "на кухне"). The sentence adds one ("in", "место:") only when the place has none, so a place is
 * never written as "in in bed". A place that is no place in particular ("anywhere", "где угодно",
 * what a Loop import sets) stands alone too. web/src/habits/habit-text.ts follows the same rule.
 */
const PLACE_PREPOSITION =
  /^(in|at|on|by|near|under|inside|outside|beside|behind|next to|around|over|anywhere|everywhere|wherever|somewhere|в|во|на|у|под|над|возле|около|рядом|за|перед|при|дома|где угодно|где-нибудь|везде|всюду)(\s|$)/i;

export function placeHasPreposition(place: string): boolean {
  return PLACE_PREPOSITION.test(place.trim());
}

/** The words habits are described with, per language (user text escaped). */
export const HABIT_WORDS = {
  en: {
    sentence: (action: string, clock: string, place: string) =>
      `I will ${b(action)} at ${b(clock)} ${placeHasPreposition(place) ? b(place) : `in ${b(place)}`}`,
    inPlace: (place: string) => placeHasPreposition(place) ? escapeHtml(place) : `in ${escapeHtml(place)}`,
    interval: (days: number) => days === 1 ? "every day" : days === 7 ? "every week" : `every ${days} days`,
    seconds: (n: number) => `${n} s`,
    reward: (reward: string) => `🎁 Reward: ${escapeHtml(reward)}`,
    enjoy: (action: string, place: string | null) =>
      `😊 Then enjoy: ${escapeHtml(action)}${place ? ` ${HABIT_WORDS.en.inPlace(place)}` : ""}`,
  },
  ru: {
    sentence: (action: string, clock: string, place: string) =>
      `Я буду ${b(action)} в ${b(clock)}, ${placeHasPreposition(place) ? b(place) : `место: ${b(place)}`}`,
    inPlace: (place: string) =>
      placeHasPreposition(place) ? escapeHtml(place) : `(место: ${escapeHtml(place)})`,
    interval: (days: number) =>
      days === 1 ? "каждый день" : days === 7 ? "каждую неделю" : `раз в ${days} дн.`,
    seconds: (n: number) => `${n} с`,
    reward: (reward: string) => `🎁 Награда: ${escapeHtml(reward)}`,
    enjoy: (action: string, place: string | null) =>
      `😊 Потом в удовольствие: ${escapeHtml(action)}${place ? ` ${HABIT_WORDS.ru.inPlace(place)}` : ""}`,
  },
} satisfies Record<Language, unknown>;

/** A wall-clock time in the person's time format (see clock.ts). */
export function formatClock(time: string, language: Language = "en", format: TimeFormat = "locale"): string {
  return formatWallClock(time, language, format);
}

export function formatInterval(days: number, language: Language = "en"): string {
  return HABIT_WORDS[language].interval(days);
}

/** "I will <b>read a page</b> at <b>7:00 AM</b> in <b>bed</b>" (HTML, user text escaped). */
export function habitSentence(
  habit: HabitWords,
  language: Language = "en",
  format: TimeFormat = "locale",
): string {
  return HABIT_WORDS[language].sentence(habit.action, formatClock(habit.time, language, format), habit.place);
}

export type FollowUpWords = Pick<HabitWords, "reward" | "pleasant_action" | "pleasant_place">;

/** What follows the habit: its reward or its linked pleasant habit, or null. */
export function habitFollowUp(habit: FollowUpWords, language: Language = "en"): string | null {
  if (habit.reward) return HABIT_WORDS[language].reward(habit.reward);
  if (habit.pleasant_action) {
    return HABIT_WORDS[language].enjoy(habit.pleasant_action, habit.pleasant_place ?? null);
  }
  return null;
}

/** One line per habit, for lists: sentence, rhythm and duration. */
export function habitSummary(
  habit: HabitWords,
  language: Language = "en",
  format: TimeFormat = "locale",
): string {
  const followUp = habitFollowUp(habit, language);
  return `${habitSentence(habit, language, format)}, ${formatInterval(habit.interval_days, language)}, ${
    HABIT_WORDS[language].seconds(habit.duration_seconds)
  }` + (followUp ? `\n   ${followUp}` : "");
}
