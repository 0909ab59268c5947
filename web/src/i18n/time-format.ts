import { currentLanguage, i18n } from "./i18n.ts";
import { formatWallClock, isTimeFormat, type TimeFormat } from "./clock.ts";

/** The person's time format in this page: the profile's once read, remembered on the device till then. */
const STORAGE_KEY = "habits.timeFormat";

function storedTimeFormat(): TimeFormat {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isTimeFormat(stored)) return stored;
  } catch {
    // No storage: the language's format until the profile is read.
  }
  return "locale";
}

let current: TimeFormat = storedTimeFormat();

export function currentTimeFormat(): TimeFormat {
  return current;
}

/** Applies a time format (the profile's, or a new choice), remembers it on this device, redraws. */
export function setTimeFormat(format: TimeFormat): void {
  try {
    localStorage.setItem(STORAGE_KEY, format);
  } catch {
    // Private mode: the choice lasts for this page (and is still saved in the profile).
  }
  if (format === current) return;
  current = format;
  // Every translated component listens for languageChanged: that redraws each time on screen.
  i18n.emit("languageChanged", currentLanguage());
}

/** A wall-clock time in the person's language and time format. */
export function formatClockNow(time: string): string {
  return formatWallClock(time, currentLanguage(), current);
}
