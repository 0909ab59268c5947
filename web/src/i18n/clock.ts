/**
 * How a person's times are written: the hour cycle of their language (CLDR: English 12-hour,
 * Russian 24-hour), or 24-hour or 12-hour as they chose in Settings (profiles.time_format).
 * supabase/functions/_shared/clock.ts writes the bot's, reminders' and digest's times with the
 * same rules; tests/functions/time_format_test.ts holds the two to every minute of a day.
 * No imports: Deno tests load it.
 */
export const TIME_FORMATS = ["locale", "24h", "12h"] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** The interface languages (i18n.ts's Language). */
type Language = "en" | "ru";

export function isTimeFormat(value: unknown): value is TimeFormat {
  return value === "locale" || value === "24h" || value === "12h";
}

const LANGUAGE_USES_TWELVE_HOURS = new Map<Language, boolean>();

/** Whether `format` writes 12-hour times for a person speaking `language`. */
export function usesTwelveHours(format: TimeFormat, language: Language): boolean {
  if (format !== "locale") return format === "12h";
  let twelve = LANGUAGE_USES_TWELVE_HOURS.get(language);
  if (twelve === undefined) {
    const cycle = new Intl.DateTimeFormat(language, { hour: "numeric" }).resolvedOptions().hourCycle;
    twelve = cycle === "h11" || cycle === "h12";
    LANGUAGE_USES_TWELVE_HOURS.set(language, twelve);
  }
  return twelve;
}

/** A wall-clock time "HH:MM[:SS]": "07:05" and "19:05" in 24-hour time, "7:05 AM" and "7:05 PM" in 12-hour. */
export function formatWallClock(time: string, language: Language, format: TimeFormat): string {
  const [hour = 0, minute = 0] = time.split(":").map(Number);
  const mm = String(minute).padStart(2, "0");
  if (!usesTwelveHours(format, language)) return `${String(hour).padStart(2, "0")}:${mm}`;
  return `${hour % 12 || 12}:${mm} ${hour < 12 ? "AM" : "PM"}`;
}
