import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { deleteCompletion, recordCompletion } from "../completions/completions-api.ts";
import { habitSentence } from "../habits/habit-text.ts";
import { formatTimeOf } from "../i18n/format.ts";
import { Alert } from "../ui/Alert.tsx";
import { useAction } from "../ui/use-action.ts";
import type { TodayItem } from "./today-api.ts";

/** One habit due today: one tap marks it done (early or late, within the day), one tap undoes it. */
export function TodayEntry(
  { item, timeZone, onChanged, disabled }: {
    item: TodayItem;
    timeZone: string;
    onChanged: () => void;
    disabled: boolean;
  },
) {
  const { t } = useTranslation();
  const { busy, message, run } = useAction();
  const { habit, completion, pleasant } = item;
  const titleId = `today-${habit.id}`;
  const done = completion !== undefined;

  const mark = () =>
    run(async () => {
      await recordCompletion(habit.id, item.dueAt);
      onChanged();
    });
  const undo = () =>
    run(async () => {
      if (completion) await deleteCompletion(completion.id);
      onChanged();
    });

  return (
    <li
      className={`card today-entry${done ? " is-done" : ""}`}
      aria-labelledby={titleId}
      data-testid="today-entry"
    >
      <time className="today-time" dateTime={item.dueAt.toISOString()}>
        {formatTimeOf(item.dueAt, timeZone)}
      </time>
      <div className="today-body">
        <h2 id={titleId} className="habit-title">
          <Link to={`/habits/${habit.id}`}>{habitSentence(habit)}</Link>
        </h2>
        {done && (
          <p className="today-reward" data-testid="today-reward">
            {habit.reward
              ? t("Your reward: {{reward}}", { reward: habit.reward })
              : pleasant
              ? t("Now enjoy: {{habit}}", { habit: pleasant.action })
              : t("Done. Well done!")}
          </p>
        )}
        {message && <Alert kind={message.kind}>{message.text}</Alert>}
      </div>
      <div className="today-actions">
        {done && <span className="today-done" aria-hidden="true">✓</span>}
        {
          /* One button that turns from Mark done into Undo, not disabled while it works: a
            replaced or disabled button would drop the keyboard focus to the page body. */
        }
        <button
          type="button"
          className={done ? undefined : "primary"}
          onClick={() => !busy && (done ? undo() : mark())}
          disabled={disabled}
          aria-disabled={busy || undefined}
          aria-describedby={titleId}
        >
          {done ? t("Undo") : t("Mark done")}
        </button>
      </div>
    </li>
  );
}
