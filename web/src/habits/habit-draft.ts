import { EMPTY_HABIT_FORM, type HabitFormValues } from "./habit-schema.ts";

const DRAFT_KEY = "habits.new-habit-draft";

/** The new-habit form as last typed in this tab (kept across a detour, e.g. to connect Telegram). */
export function loadDraft(): HabitFormValues | undefined {
  try {
    const stored = sessionStorage.getItem(DRAFT_KEY);
    return stored
      ? {
        ...EMPTY_HABIT_FORM,
        ...JSON.parse(stored) as Partial<HabitFormValues>,
      }
      : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(values: HabitFormValues): void {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(values));
  } catch {
    // No storage: the draft lives as long as the page.
  }
}

export function clearDraft(): void {
  try {
    sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // nothing stored
  }
}
