import type { Language } from "./language.ts";

/**
 * How a person's times are written (profiles.time_format): the hour cycle of their language (CLDR:
 * English 12-hour, Russian 24-hour), or 24-hour or 12-hour as they chose in the web app's Settings.
 * The bot, reminders and the digest write every time through `formatWallClock`;
 * web/src/i18n/clock.ts is the web app's copy, and tests/functions/time_format_test.ts holds the
 * two to every minute of a day. `parseWallClock` reads the times people type to the bot.
 */
export type TimeFormat = "locale" | "24h" | "12h";

/** The profile's time format; anything else (no profile, an unlinked chat) follows the language. */
export function pickTimeFormat(value: string | null | undefined): TimeFormat {
  return value === "24h" || value === "12h" ? value : "locale";
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

const TYPED_TIME = /^(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s*m\.?|(утра|дня|вечера|ночи))?$/iu;

/**
 * The 12-hour clock as Russian speaks it: the hours each part of the day takes ("7 вечера" is 19:00,
 * "12 ночи" midnight, "12 дня" noon), and the hours it adds. Any other hour with it is refused.
 */
const RUSSIAN_DAY_PERIODS: Record<string, { hours: number[]; add: (hour: number) => number }> = {
  "ночи": { hours: [12, 1, 2, 3, 4, 5], add: (hour) => hour % 12 },
  "утра": { hours: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], add: (hour) => hour },
  "дня": { hours: [12, 1, 2, 3, 4, 5, 6], add: (hour) => hour % 12 + 12 },
  "вечера": { hours: [4, 5, 6, 7, 8, 9, 10, 11], add: (hour) => hour + 12 },
};

/** The hour of a typed 12-hour time, 0-23, or null when `hour` does not go with its marker. */
function twelveHour(hour: number, meridiem: string | undefined, period: string | undefined): number | null {
  if (period) {
    const rule = RUSSIAN_DAY_PERIODS[period.toLowerCase()];
    return rule.hours.includes(hour) ? rule.add(hour) : null;
  }
  if (hour < 1 || hour > 12) return null;
  return (hour % 12) + (meridiem!.toLowerCase() === "p" ? 12 : 0);
}

/**
 * A time of day as a person types it, as "HH:MM", whatever their time format: 24-hour "19:30",
 * "7:30" or "19.30" (as Russian is often written), or 12-hour "7:30 PM", "7:30pm", "7 pm",
 * "7 p.m." (12 AM is midnight) or, in Russian, "7 вечера", "7:30 утра", "12 ночи". Null for
 * anything else, a bare "7" included (morning or evening?).
 */
export function parseWallClock(text: string): string | null {
  const match = TYPED_TIME.exec(text.trim());
  if (!match) return null;
  const [, hours, minutes, meridiem, period] = match;
  const minute = minutes === undefined ? 0 : Number(minutes);
  if (minute > 59) return null;
  let hour: number | null = Number(hours);
  if (meridiem || period) hour = twelveHour(hour, meridiem, period);
  else if (minutes === undefined || hour > 23) return null;
  if (hour === null) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}
