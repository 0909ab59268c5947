import { useTranslation } from "react-i18next";
import { formatDate } from "../i18n/format.ts";
import { msg } from "../i18n/i18n.ts";
import type { DayMark, MarkedDay } from "./progress.ts";

const MARK_WORDS: Record<DayMark, string> = {
  done: msg("done"),
  missed: msg("missed"),
  open: msg("due today, still open"),
  rest: msg("not due"),
};
const SYMBOLS: Record<DayMark, string> = {
  done: "✓",
  missed: "✕",
  open: "○",
  rest: "·",
};

/**
 * The last days as marks (done / missed / open / not due), each named for screen readers. Given
 * `onToggle`, a due day becomes a toggle button (pressed = done) that marks or unmarks it.
 */
export function DayMarks(
  { days, streak, onToggle }: {
    days: MarkedDay[];
    streak: number;
    onToggle?: (date: string) => void;
  },
) {
  const { t } = useTranslation();
  return (
    <div className="progress-glance">
      <ol
        className="day-marks"
        aria-label={t("Last 7 days")}
        data-testid="day-marks"
      >
        {days.map((day) => {
          const label = `${
            formatDate(day.date, {
              weekday: "short",
              day: "numeric",
              month: "short",
            })
          }: ${t(MARK_WORDS[day.mark])}`;
          return (
            <li
              key={day.date}
              className={`day-mark day-mark-${day.mark}`}
              data-mark={day.mark}
              title={label}
            >
              {onToggle && day.mark !== "rest"
                ? (
                  <button
                    type="button"
                    aria-pressed={day.mark === "done"}
                    onClick={() => onToggle(day.date)}
                  >
                    <span aria-hidden="true">{SYMBOLS[day.mark]}</span>
                    <span className="visually-hidden">{label}</span>
                  </button>
                )
                : (
                  <>
                    <span aria-hidden="true">{SYMBOLS[day.mark]}</span>
                    <span className="visually-hidden">{label}</span>
                  </>
                )}
            </li>
          );
        })}
      </ol>
      <span className="streak" data-testid="card-streak">
        {t("Streak: {{count}}", { count: streak })}
      </span>
    </div>
  );
}
