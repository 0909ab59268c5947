import type { TodayData } from "./today-api.ts";

const KEY = "habits.today";

/** The last Today loaded on this device, per user, for showing offline. */
export function loadCachedToday(userId: string): { data: TodayData; savedAt: string } | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "null") as
      | { userId: string; data: TodayData; savedAt: string }
      | null;
    return stored && stored.userId === userId ? { data: stored.data, savedAt: stored.savedAt } : undefined;
  } catch {
    return undefined;
  }
}

export function saveCachedToday(userId: string, data: TodayData): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ userId, data, savedAt: new Date().toISOString() }));
  } catch {
    // No storage: offline there is nothing to show.
  }
}

export function clearCachedToday(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
