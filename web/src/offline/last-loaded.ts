/**
 * The last answer of each saved query on this device (Today, My habits, a History, the profile),
 * so that a page opens offline from what was loaded last. Kept in localStorage under
 * `habits.saved:<key>`, at most MAX_SAVED of them (the oldest go first); removed on sign-out.
 * Callers put the user's id into the key.
 */
const PREFIX = "habits.saved:";
const MAX_SAVED = 40;

export interface LastLoaded<T> {
  data: T;
  /** When it was loaded (ISO 8601). */
  savedAt: string;
}

function savedKeys(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  return keys;
}

export function readLastLoaded<T>(key: string): LastLoaded<T> | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(PREFIX + key) ?? "null") as LastLoaded<T> | null;
    return stored && typeof stored.savedAt === "string" ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** Every saved answer whose key (without the prefix) `wanted` accepts, with its key. */
export function readLastLoadedWhere<T>(
  wanted: (key: string) => boolean,
): (LastLoaded<T> & { key: string })[] {
  try {
    const found: (LastLoaded<T> & { key: string })[] = [];
    for (const name of savedKeys()) {
      const key = name.slice(PREFIX.length);
      const saved = wanted(key) ? readLastLoaded<T>(key) : undefined;
      if (saved) found.push({ ...saved, key });
    }
    return found;
  } catch {
    return [];
  }
}

export function saveLastLoaded<T>(key: string, data: T): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify({ data, savedAt: new Date().toISOString() }));
    const keys = savedKeys();
    if (keys.length <= MAX_SAVED) return;
    const byAge = keys.map((name) => ({
      name,
      savedAt: readLastLoaded(name.slice(PREFIX.length))?.savedAt ?? "",
    }))
      .sort((a, b) => a.savedAt.localeCompare(b.savedAt));
    for (const { name } of byAge.slice(0, keys.length - MAX_SAVED)) localStorage.removeItem(name);
  } catch {
    // No storage, or it is full: offline there is less to show, online nothing changes.
  }
}

/** On sign-out: nothing of this person stays readable on the device. */
export function clearLastLoaded(): void {
  try {
    for (const key of savedKeys()) localStorage.removeItem(key);
    localStorage.removeItem("habits.today"); // where Today was kept before (issue 23)
  } catch {
    // nothing stored
  }
}
