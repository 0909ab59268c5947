import { useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { addDays, daysBetween, type HabitSchedule } from "../schedule/schedule.ts";
import { formatDate } from "../i18n/format.ts";
import { msg } from "../i18n/i18n.ts";

type DayState = "done" | "missed" | "open" | "rest" | "outside";

const STATE_WORDS: Record<DayState, string> = {
  done: msg("done"),
  missed: msg("due, not done"),
  open: msg("due, still open"),
  rest: msg("not due"),
  outside: msg("before the habit started"),
};

/** Week columns a month's short name needs ("нояб." is about three 15 px columns wide). */
const MONTH_LABEL_COLUMNS = 3;

function weekdayIndex(date: string): number {
  // 0 = Monday … 6 = Sunday
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/**
 * Completions by local day over the last `weeks` weeks, a column per week (GitHub style), with
 * month names above and weekday names beside. Each day's state is in its title; the legend
 * explains the colours.
 */
export function Heatmap(
  { habit, today, doneDates, latestDueDate, weeks = 20 }: {
    habit: HabitSchedule;
    today: string;
    doneDates: ReadonlySet<string>;
    latestDueDate: string | null;
    weeks?: number;
  },
) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  // Today is the last column: open scrolled to it, not to the oldest week.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element) element.scrollLeft = element.scrollWidth;
  }, [today]);
  const firstDay = addDays(
    today,
    -(weeks * 7 - 1) - weekdayIndex(addDays(today, -(weeks * 7 - 1))),
  );
  const days: { date: string; state: DayState }[] = [];
  for (
    let date = firstDay;
    daysBetween(date, today) >= 0;
    date = addDays(date, 1)
  ) {
    const sinceStart = daysBetween(habit.starts_on, date);
    let state: DayState;
    if (doneDates.has(date)) state = "done";
    else if (sinceStart < 0) state = "outside";
    else if (sinceStart % habit.interval_days !== 0) state = "rest";
    else if (latestDueDate !== null && daysBetween(date, latestDueDate) > 0) {
      state = "missed";
    } else state = "open";
    days.push({ date, state });
  }
  const doneCount = days.filter((day) => day.state === "done").length;
  const columns = Math.ceil(days.length / 7);
  // A month's name sits above the first week column that holds its first day. The first column
  // names its month only when the next month's name is far enough away not to print over it.
  const months: { column: number; label: string }[] = [];
  for (let column = 0; column < columns; column++) {
    const week = days.slice(column * 7, column * 7 + 7);
    const first = column === 0 ? week[0] : week.find((day) => day.date.endsWith("-01"));
    if (!first) continue;
    const previous = months.at(-1);
    if (previous && column - previous.column < MONTH_LABEL_COLUMNS) {
      months.pop();
    }
    months.push({ column, label: formatDate(first.date, { month: "short" }) });
  }
  const weekdays = [0, 2, 4].map((index) => formatDate(addDays(firstDay, index), { weekday: "short" }));

  return (
    <figure className="heatmap-figure" data-testid="heatmap">
      <div
        className="heatmap-scroll"
        ref={scroller}
        tabIndex={0}
        role="region"
        aria-label={t("Completions by day, scrollable")}
      >
        <div
          className="heatmap-grid"
          role="img"
          aria-label={t(
            "Completions over the last {{weeks}} weeks: {{count}} days done.",
            {
              weeks,
              count: doneCount,
            },
          )}
          style={{ gridTemplateColumns: `auto repeat(${columns}, 0.9rem)` }}
        >
          {months.map((month) => (
            <span
              key={month.column}
              className="heatmap-month"
              aria-hidden="true"
              style={{ gridColumn: month.column + 2, gridRow: 1 }}
            >
              {month.label}
            </span>
          ))}
          {weekdays.map((name, index) => (
            <span
              key={name}
              className="heatmap-weekday"
              aria-hidden="true"
              style={{ gridColumn: 1, gridRow: index * 2 + 2 }}
            >
              {name}
            </span>
          ))}
          {days.map((day, index) => (
            <span
              key={day.date}
              className={`heatmap-day heatmap-${day.state}`}
              title={`${formatDate(day.date)}: ${t(STATE_WORDS[day.state])}`}
              style={{
                gridColumn: Math.floor(index / 7) + 2,
                gridRow: weekdayIndex(day.date) + 2,
              }}
            />
          ))}
        </div>
      </div>
      <figcaption className="legend">
        {(["done", "missed", "open", "rest"] as const).map((state) => (
          <span key={state}>
            <span
              className={`heatmap-day heatmap-${state}`}
              aria-hidden="true"
            />{" "}
            {t(STATE_WORDS[state])}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
