import type { Habit } from "../lib/database.ts";
import { type LastLoaded, readLastLoadedWhere } from "../offline/last-loaded.ts";

/**
 * Where Today and each page of My habits keep their last answer on this device (last-loaded.ts),
 * and what the habit form finds in them offline: both answers carry a `habits` list.
 */
export const todaySavedKey = (userId: string) => `today:${userId}`;
export const habitsPageSavedKey = (userId: string, page: number) => `habits:${userId}:${page}`;

type Pleasant = Pick<Habit, "id" | "action" | "place">;
interface SavedCopy {
  habit: Habit;
  savedAt: string;
}

/** The newest saved copy of each of this user's habits (read from their own keys only). */
function newestCopies(userId: string): Map<string, SavedCopy> {
  const pagePrefix = `habits:${userId}:`;
  const answers = readLastLoadedWhere<{ habits?: unknown }>((key) =>
    key === todaySavedKey(userId) || key.startsWith(pagePrefix)
  );
  const newest = new Map<string, SavedCopy>();
  for (const { data, savedAt } of answers) {
    if (!Array.isArray(data?.habits)) continue;
    for (const habit of data.habits as Habit[]) {
      if (typeof habit?.id !== "string") continue;
      const known = newest.get(habit.id);
      if (!known || savedAt > known.savedAt) newest.set(habit.id, { habit, savedAt });
    }
  }
  return newest;
}

/** The newest saved copy of the habit `habitId` in this user's saved answers, if any holds it. */
export function newestSavedHabit(userId: string, habitId: string): LastLoaded<Habit> | undefined {
  const copy = newestCopies(userId).get(habitId);
  return copy && { data: copy.habit, savedAt: copy.savedAt };
}

/**
 * The user's pleasant habits as saved (the newest copy of each), by action as the server orders
 * them; saved at the newest of the copies used. Undefined when nothing of this user is saved.
 */
export function savedPleasantHabits(userId: string): LastLoaded<Pleasant[]> | undefined {
  const copies = [...newestCopies(userId).values()];
  if (copies.length === 0) return undefined;
  const pleasant = copies.filter(({ habit }) => habit.is_pleasant);
  const savedAt = (pleasant.length > 0 ? pleasant : copies)
    .reduce((newest, copy) => copy.savedAt > newest ? copy.savedAt : newest, "");
  const data = pleasant.map(({ habit: { id, action, place } }) => ({ id, action, place }))
    .sort((a, b) => a.action.localeCompare(b.action));
  return { data, savedAt };
}
