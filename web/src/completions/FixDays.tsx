import { useTranslation } from "react-i18next";
import type { HabitSchedule } from "../schedule/schedule.ts";
import { Alert } from "../ui/Alert.tsx";
import { FIX_WINDOW_DAYS, fixableDays } from "./past-days.ts";
import { dayName, type DayToggleMessage, useDayToggle } from "./use-day-toggle.ts";

/** The message of a day toggle, with its Undo button. */
export function DayToggleAlert(
  { message }: { message: DayToggleMessage | undefined },
) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <Alert kind={message.kind}>
      {message.text}
      {message.undo && (
        <>
          {" "}
          <button type="button" onClick={message.undo}>{t("Undo")}</button>
        </>
      )}
    </Alert>
  );
}

/**
 * The habit's due days of the last two weeks as toggle buttons: pressed means done. Pressing one
 * marks that occurrence done or removes its completion, with undo.
 */
export function FixDays(
  { habit, completions, timeZone, onChanged }: {
    habit: HabitSchedule & { id: string };
    completions: readonly { id: number; occurrence_at: string }[];
    timeZone: string;
    onChanged: () => void;
  },
) {
  const { t } = useTranslation();
  const { busy, message, toggle } = useDayToggle(habit.id, onChanged);
  const days = fixableDays(habit, completions, timeZone);
  return (
    <section aria-labelledby="fix-days-heading" data-testid="fix-days">
      <h2 id="fix-days-heading">
        {t("Fix the last {{days}} days", { days: FIX_WINDOW_DAYS })}
      </h2>
      {days.length === 0 ? <p className="hint">{t("Nothing was due in these days.")}</p> : (
        <>
          <p className="hint" id="fix-days-hint">
            {t(
              "Pressed days are done. Press a day to mark it done or not done.",
            )}
          </p>
          <ul className="fix-days" aria-describedby="fix-days-hint">
            {days.map((day) => (
              <li key={day.date}>
                <button
                  type="button"
                  className="fix-day"
                  aria-pressed={day.completionId !== null}
                  aria-disabled={busy || undefined}
                  onClick={() => toggle(day)}
                >
                  <span className="fix-day-mark" aria-hidden="true">
                    {day.completionId !== null ? "✓" : "○"}
                  </span>
                  {dayName(day.date)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <DayToggleAlert message={message} />
    </section>
  );
}
