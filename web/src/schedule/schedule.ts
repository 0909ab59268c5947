/**
 * A habit's schedule in its owner's time zone, computed in the browser the way the database
 * does (private.next_occurrence): occurrences fall on the local dates starts_on + k·interval_days
 * at the habit's wall-clock time, converted to an instant in the owner's IANA time zone.
 * Local dates are "YYYY-MM-DD" strings throughout.
 */

const DAY_MS = 86_400_000;

export interface HabitSchedule {
  time: string;
  interval_days: number;
  starts_on: string;
}

function dateParts(date: string): [number, number, number] {
  const [year, month, day] = date.split("-").map(Number);
  return [year ?? 1970, month ?? 1, day ?? 1];
}

function dateToDayNumber(date: string): number {
  const [year, month, day] = dateParts(date);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

function dayNumberToDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dayNumberToDate(dateToDayNumber(date) + days);
}

export function daysBetween(from: string, to: string): number {
  return dateToDayNumber(to) - dateToDayNumber(from);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at `instant`, as milliseconds of a UTC clock showing the same. */
function wallClockMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (
    const part of wallClockFormatter(timeZone).formatToParts(new Date(instant))
  ) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

function offsetMs(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockMs(whole, timeZone) - whole;
}

/** The local date at `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(
    0,
    10,
  );
}

/**
 * The instant of wall-clock `date` `time` in `timeZone`, as Postgres's
 * `(date + time) at time zone zone` gives it: an ambiguous time (fall back) is read as standard
 * time, a time in a spring-forward gap moves forward by the gap.
 */
export function zonedInstant(
  date: string,
  time: string,
  timeZone: string,
): Date {
  const [year, month, day] = dateParts(date);
  const [hour = 0, minute = 0, second = 0] = time.split(":").map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsets = [
    ...new Set([
      offsetMs(wall - DAY_MS, timeZone),
      offsetMs(wall + DAY_MS, timeZone),
    ]),
  ];
  const valid = offsets.filter((offset) => offsetMs(wall - offset, timeZone) === offset);
  const candidates = valid.length > 0 ? valid : offsets;
  return new Date(wall - Math.min(...candidates));
}

/** Whether `date` is one of the habit's due days. */
export function isDueOn(habit: HabitSchedule, date: string): boolean {
  const since = daysBetween(habit.starts_on, date);
  return since >= 0 && since % habit.interval_days === 0;
}

/** The latest local date on the habit's grid on or before `date`, or null before the start. */
export function gridDateOnOrBefore(
  habit: HabitSchedule,
  date: string,
): string | null {
  const since = daysBetween(habit.starts_on, date);
  if (since < 0) return null;
  return addDays(habit.starts_on, since - (since % habit.interval_days));
}

/** The most recent due time at or before `now`, or null if the habit has not been due yet. */
export function latestOccurrence(
  habit: HabitSchedule,
  timeZone: string,
  now = new Date(),
): Date | null {
  let date = gridDateOnOrBefore(habit, localDate(now, timeZone));
  while (date !== null) {
    const instant = zonedInstant(date, habit.time, timeZone);
    if (instant.getTime() <= now.getTime()) return instant;
    const previous = addDays(date, -habit.interval_days);
    date = daysBetween(habit.starts_on, previous) >= 0 ? previous : null;
  }
  return null;
}

/** The first due time strictly after `now` (private.next_occurrence). */
export function nextOccurrence(
  habit: HabitSchedule,
  timeZone: string,
  now = new Date(),
): Date {
  let date = gridDateOnOrBefore(habit, localDate(now, timeZone)) ?? habit.starts_on;
  for (;;) {
    const instant = zonedInstant(date, habit.time, timeZone);
    if (instant.getTime() > now.getTime()) return instant;
    date = addDays(date, habit.interval_days);
  }
}

/**
 * The occurrence "Done" marks: today's, even before its time (doing a habit early is normal), or
 * else the most recent one. Null before the habit's first due day.
 */
export function occurrenceToMarkDone(
  habit: HabitSchedule,
  timeZone: string,
  now = new Date(),
): Date | null {
  const today = localDate(now, timeZone);
  if (gridDateOnOrBefore(habit, today) === today) {
    return zonedInstant(today, habit.time, timeZone);
  }
  return latestOccurrence(habit, timeZone, now);
}

/** Every due local date from the start up to and including the latest occurrence. */
export function dueDates(
  habit: HabitSchedule,
  timeZone: string,
  now = new Date(),
): string[] {
  const latest = latestOccurrence(habit, timeZone, now);
  if (!latest) return [];
  const last = localDate(latest, timeZone);
  const dates: string[] = [];
  for (
    let date = habit.starts_on;
    daysBetween(date, last) >= 0;
    date = addDays(date, habit.interval_days)
  ) {
    dates.push(date);
  }
  return dates;
}
