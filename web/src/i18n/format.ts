import { currentLanguage, type Language } from "./i18n.ts";
import { formatClockNow } from "./time-format.ts";

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

// The wall-clock time of an instant in a zone, to be written in the person's time format.
const CLOCK: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const DATE: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };

/** "Nov 30, 2026, 7:00 PM" / "30 нояб. 2026 г., 19:00"; "—" for none. */
export function formatInstant(iso: string | Date | null, timeZone?: string): string {
  if (!iso) return "—";
  const instant = new Date(iso);
  return `${formatter({ dateStyle: "medium" }, timeZone).format(instant)}, ${
    formatTimeOf(instant, timeZone)
  }`;
}

/** A wall-clock time "HH:MM[:SS]" in the person's time format. */
export function formatClock(time: string | null): string {
  return time ? formatClockNow(time) : "…";
}

/** The time of an instant in `timeZone` (the browser's when not given), in the person's time format. */
export function formatTimeOf(instant: Date, timeZone?: string): string {
  const parts = formatter(CLOCK, timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return formatClockNow(`${part("hour")}:${part("minute")}`);
}

/** A local date "YYYY-MM-DD" as a date of the language. */
export function formatDate(date: string, options: Intl.DateTimeFormatOptions = DATE): string {
  return formatter(options, "UTC").format(new Date(`${date}T00:00:00Z`));
}
