/** Completion rate per calendar week (Monday first) and per month: done ÷ due occurrences. */
import { addDays, daysBetween } from "../schedule/schedule.ts";

export interface Rate {
  /** First day of the period, "YYYY-MM-DD". */
  start: string;
  due: number;
  done: number;
  /** 0 … 1, or null when nothing was due. */
  rate: number | null;
}

function weekStart(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function ratesBy(
  dueDates: readonly string[],
  doneDates: ReadonlySet<string>,
  periodOf: (date: string) => string,
  count: number,
): Rate[] {
  const periods = new Map<string, Rate>();
  for (const date of dueDates) {
    const start = periodOf(date);
    const period = periods.get(start) ?? { start, due: 0, done: 0, rate: null };
    period.due++;
    if (doneDates.has(date)) period.done++;
    periods.set(start, period);
  }
  return [...periods.values()]
    .sort((a, b) => daysBetween(b.start, a.start))
    .slice(-count)
    .map((period) => ({ ...period, rate: period.due > 0 ? period.done / period.due : null }));
}

export function weeklyRates(dueDates: readonly string[], doneDates: ReadonlySet<string>, weeks = 12): Rate[] {
  return ratesBy(dueDates, doneDates, weekStart, weeks);
}

export function monthlyRates(
  dueDates: readonly string[],
  doneDates: ReadonlySet<string>,
  months = 12,
): Rate[] {
  return ratesBy(dueDates, doneDates, monthStart, months);
}
