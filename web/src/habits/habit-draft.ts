import { EMPTY_HABIT_FORM, type HabitFormValues } from "./habit-schema.ts";

const DRAFT_PREFIX = "habits.draft.";

/**
 * The habit form as last typed in this tab, per form ("new" or a habit's id): kept across a
 * detour (to connect Telegram) or a sign-in after the session expired in the middle of an edit.
 */
export function loadDraft(form = "new"): HabitFormValues | undefined {
  try {
    const stored = sessionStorage.getItem(DRAFT_PREFIX + form);
    return stored ? { ...EMPTY_HABIT_FORM, ...JSON.parse(stored) as Partial<HabitFormValues> } : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(values: HabitFormValues, form = "new"): void {
  try {
    sessionStorage.setItem(DRAFT_PREFIX + form, JSON.stringify(values));
  } catch {
    // No storage: the draft lives as long as the page.
  }
}

export function clearDraft(form = "new"): void {
  try {
    sessionStorage.removeItem(DRAFT_PREFIX + form);
  } catch {
    // nothing stored
  }
}
