import { escapeHtml } from "./html.ts";

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

export function formatClock(time: string): string {
  return time.slice(0, 5);
}

export function formatInterval(days: number): string {
  if (days === 1) return "every day";
  if (days === 7) return "every week";
  return `every ${days} days`;
}

/** "I will <b>read a page</b> at <b>07:00</b> in <b>bed</b>" (HTML, user text escaped). */
export function habitSentence(habit: HabitWords): string {
  return `I will <b>${escapeHtml(habit.action)}</b> at <b>${formatClock(habit.time)}</b> in <b>${
    escapeHtml(habit.place)
  }</b>`;
}

export type FollowUpWords = Pick<HabitWords, "reward" | "pleasant_action" | "pleasant_place">;

/** What follows the habit: its reward or its linked pleasant habit, or null. */
export function habitFollowUp(habit: FollowUpWords): string | null {
  if (habit.reward) return `🎁 Reward: ${escapeHtml(habit.reward)}`;
  if (habit.pleasant_action) {
    const place = habit.pleasant_place ? ` in ${escapeHtml(habit.pleasant_place)}` : "";
    return `😊 Then enjoy: ${escapeHtml(habit.pleasant_action)}${place}`;
  }
  return null;
}

/** One line per habit, for lists: sentence, rhythm and duration. */
export function habitSummary(habit: HabitWords): string {
  const followUp = habitFollowUp(habit);
  return `${habitSentence(habit)}, ${formatInterval(habit.interval_days)}, ${habit.duration_seconds} s` +
    (followUp ? `\n   ${followUp}` : "");
}
