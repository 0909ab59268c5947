import { Link } from "react-router";
import type { Habit } from "../lib/database.ts";
import { markOccurrenceDone } from "../history/mark-done.ts";
import { Alert } from "../ui/Alert.tsx";
import { useAction } from "../ui/use-action.ts";
import { durationText, formatInstant, habitSentence, intervalText } from "./habit-text.ts";
import { setHabitPaused } from "./habits-api.ts";

export function HabitCard(
  { habit, timeZone, onChanged, onDelete }: {
    habit: Habit;
    timeZone: string;
    onChanged: () => void;
    onDelete: (habit: Habit) => void;
  },
) {
  const { busy, message, run } = useAction();
  const headingId = `habit-${habit.id}`;

  return (
    <li className="card habit-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="habit-title">
        <Link to={`/habits/${habit.id}`}>{habitSentence(habit)}</Link>
      </h2>
      <p className="meta">
        {intervalText(habit.interval_days)} · {durationText(habit.duration_seconds)}
        {habit.reward && <>· reward: {habit.reward}</>}
      </p>
      <p className="badges">
        {habit.is_pleasant && <span className="badge">pleasant</span>}
        {habit.is_public && <span className="badge">public</span>}
        {habit.is_paused && <span className="badge badge-muted">paused</span>}
        {habit.related_habit_id && <span className="badge">with a pleasant habit</span>}
      </p>
      <p className="meta">
        {habit.is_paused
          ? "No reminders while paused."
          : `Next reminder: ${formatInstant(habit.next_reminder_at, timeZone)}`}
      </p>
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => run(() => markOccurrenceDone(habit, timeZone))}
        >
          Done today
        </button>
        <Link className="button" to={`/habits/${habit.id}/edit`}>Edit</Link>
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
          {habit.is_paused ? "Resume" : "Pause"}
        </button>
        <Link className="button" to={`/habits/${habit.id}`}>History</Link>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => onDelete(habit)}
        >
          Delete
        </button>
      </div>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </li>
  );
}
