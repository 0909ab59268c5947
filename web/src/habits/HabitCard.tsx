import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { deleteCompletion } from "../completions/completions-api.ts";
import { DayToggleAlert } from "../completions/FixDays.tsx";
import { markOccurrenceDone } from "../completions/mark-done.ts";
import { fixableDays } from "../completions/past-days.ts";
import { useDayToggle } from "../completions/use-day-toggle.ts";
import { formatInstant } from "../i18n/format.ts";
import type { Habit } from "../lib/database.ts";
import { Alert } from "../ui/Alert.tsx";
import { useAction } from "../ui/use-action.ts";
import { DayMarks } from "./DayMarks.tsx";
import { durationText, habitSentence, intervalText } from "./habit-text.ts";
import { type ListedHabit, setHabitPaused } from "./habits-api.ts";
import { nextOccurrence } from "../schedule/schedule.ts";
import { habitStreaks } from "../schedule/streaks.ts";
import { doneDatesOf, lastDays } from "./progress.ts";

/**
 * The next reminder the owner will get. The tick queues a reminder up to half an hour ahead and
 * then moves next_reminder_at on to the occurrence after it, so the schedule's next occurrence is
 * shown when it comes first.
 */
function nextReminderAt(habit: ListedHabit, timeZone: string): Date | null {
  const stored = habit.next_reminder_at ? new Date(habit.next_reminder_at) : null;
  const scheduled = nextOccurrence(habit, timeZone);
  return stored && stored < scheduled ? stored : scheduled;
}

export function HabitCard(
  { habit, timeZone, onChanged, onDelete }: {
    habit: ListedHabit;
    timeZone: string;
    onChanged: () => void;
    onDelete: (habit: Habit) => void;
  },
) {
  const { t } = useTranslation();
  const { busy, message, run } = useAction();
  const headingId = `habit-${habit.id}`;
  const doneDates = doneDatesOf(habit.recent, timeZone);
  const dayToggle = useDayToggle(habit.id, onChanged);
  // The completion "Done today" just recorded, while its Undo is offered.
  const [justDone, setJustDone] = useState<number | null>(null);
  const toggleDate = (date: string) => {
    const day = fixableDays(habit, habit.recent, timeZone).find((fixable) => fixable.date === date);
    if (!day) return;
    setJustDone(null); // one Undo per card: the latest change's
    dayToggle.toggle(day);
  };

  return (
    <li className="card habit-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="habit-title">
        <Link to={`/habits/${habit.id}`}>{habitSentence(habit)}</Link>
      </h2>
      <p className="meta">
        {intervalText(habit.interval_days)} · {durationText(habit.duration_seconds)}
        {habit.reward && <>· {t("reward: {{reward}}", { reward: habit.reward })}</>}
      </p>
      <p className="badges">
        {habit.is_pleasant && <span className="badge">{t("pleasant")}</span>}
        {habit.is_public && <span className="badge">{t("public")}</span>}
        {habit.is_paused && <span className="badge badge-muted">{t("paused")}</span>}
        {habit.related_habit_id && <span className="badge">{t("with a pleasant habit")}</span>}
      </p>
      <DayMarks
        days={lastDays(habit, doneDates, timeZone)}
        streak={habitStreaks(habit, habit.recent, timeZone).current}
        onToggle={toggleDate}
      />
      <DayToggleAlert message={dayToggle.message} />
      <p className="meta">
        {habit.is_paused ? t("No reminders while paused.") : t("Next reminder: {{when}}", {
          when: formatInstant(nextReminderAt(habit, timeZone), timeZone),
        })}
      </p>
      <p className="meta">
        {habit.lastDoneAt
          ? t("Last done: {{when}}", {
            when: formatInstant(habit.lastDoneAt, timeZone),
          })
          : t("Not done yet.")}
      </p>
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              dayToggle.clear();
              const { text, completion } = await markOccurrenceDone(
                habit,
                timeZone,
              );
              setJustDone(completion?.id ?? null);
              onChanged();
              return text;
            })}
        >
          {t("Done today")}
        </button>
        <Link className="button" to={`/habits/${habit.id}/edit`}>
          {t("Edit")}
        </Link>
        <button
          type="button"
          disabled={busy}
          aria-pressed={habit.is_paused}
          onClick={() =>
            run(async () => {
              await setHabitPaused(habit.id, !habit.is_paused);
              onChanged();
              return undefined;
            })}
        >
          {habit.is_paused ? t("Resume") : t("Pause")}
        </button>
        <Link className="button" to={`/habits/${habit.id}`}>
          {t("History")}
        </Link>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => onDelete(habit)}
        >
          {t("Delete")}
        </button>
      </div>
      {message && (
        <Alert kind={message.kind}>
          {message.text}
          {justDone !== null && (
            <>
              {" "}
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  run(async () => {
                    await deleteCompletion(justDone);
                    setJustDone(null);
                    onChanged();
                    return t("Undone: not marked as done.");
                  })}
              >
                {t("Undo")}
              </button>
            </>
          )}
        </Alert>
      )}
    </li>
  );
}
