import { addDays, daysBetween, type HabitSchedule } from "../habits/schedule.ts";

type DayState = "done" | "missed" | "open" | "rest" | "outside";

const STATE_WORDS: Record<DayState, string> = {
  done: "done",
  missed: "due, not done",
  open: "due, still open",
  rest: "not due",
  outside: "before the habit started",
};

function weekdayIndex(date: string): number {
  // 0 = Monday … 6 = Sunday
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/**
 * Completions by local day over the last `weeks` weeks, a column per week (GitHub style). Each
 * day's state is in its title and accessible name; the legend explains the colours.
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
  const lastDay = today;
  const firstDay = addDays(
    lastDay,
    -(weeks * 7 - 1) - weekdayIndex(addDays(lastDay, -(weeks * 7 - 1))),
  );
  const days: { date: string; state: DayState }[] = [];
  for (
    let date = firstDay;
    daysBetween(date, lastDay) >= 0;
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

  return (
    <figure className="heatmap-figure">
      <div
        className="heatmap"
        role="img"
        aria-label={`Completions over the last ${weeks} weeks: ${doneCount} days done.`}
      >
        {days.map((day) => (
          <span
            key={day.date}
            className={`heatmap-day heatmap-${day.state}`}
            title={`${day.date}: ${STATE_WORDS[day.state]}`}
            style={{ gridRow: weekdayIndex(day.date) + 1 }}
          />
        ))}
      </div>
      <figcaption className="legend">
        {(["done", "missed", "open", "rest"] as const).map((state) => (
          <span key={state}>
            <span
              className={`heatmap-day heatmap-${state}`}
              aria-hidden="true"
            />{" "}
            {STATE_WORDS[state]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
