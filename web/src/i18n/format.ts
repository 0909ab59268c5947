import { currentLanguage, type Language } from "./i18n.ts";

/**
 * Dates and times in the locale's own format: the browser's locale when it speaks the interface
 * language (en-GB: 24-hour, en-US: 12-hour), else en-US or ru-RU. A habit's time and its next
 * reminder use the same time format.
 */
const DEFAULT_LOCALES: Record<Language, string> = { en: "en-US", ru: "ru-RU" };

export function locale(language = currentLanguage()): string {
  const browser = (navigator.languages ?? [navigator.language]).find((tag) =>
    tag.toLowerCase().split("-")[0] === language
  );
  return browser && browser.includes("-") ? browser : DEFAULT_LOCALES[language];
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(options: Intl.DateTimeFormatOptions, timeZone?: string): Intl.DateTimeFormat {
  const key = `${locale()}|${timeZone ?? ""}|${JSON.stringify(options)}`;
  let found = cache.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale(), { ...options, timeZone });
    cache.set(key, found);
  }
  return found;
}

// The locale's conventional short forms (en-GB 07:30, en-US 7:30 AM, ru 07:30).
const TIME: Intl.DateTimeFormatOptions = { timeStyle: "short" };
const DATE: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };

/** "Nov 30, 2026, 7:00 PM" / "30 нояб. 2026 г., 19:00"; "—" for none. */
export function formatInstant(iso: string | Date | null, timeZone?: string): string {
  if (!iso) return "—";
  return formatter({ dateStyle: "medium", timeStyle: "short" }, timeZone).format(new Date(iso));
}

/** A wall-clock time "HH:MM[:SS]" in the same format as the time of an instant. */
export function formatClock(time: string | null): string {
  if (!time) return "…";
  const [hour = 0, minute = 0] = time.split(":").map(Number);
  return formatter(TIME, "UTC").format(new Date(Date.UTC(2000, 0, 1, hour, minute)));
}

/** The time of an instant in `timeZone`. */
export function formatTimeOf(instant: Date, timeZone: string): string {
  return formatter(TIME, timeZone).format(instant);
}

/** A local date "YYYY-MM-DD" as a date of the language. */
export function formatDate(date: string, options: Intl.DateTimeFormatOptions = DATE): string {
  return formatter(options, "UTC").format(new Date(`${date}T00:00:00Z`));
}
