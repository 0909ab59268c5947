import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import type { Habit } from "../lib/database.ts";
import { DataError } from "../lib/data-error.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import {
  type HabitFieldErrors,
  type HabitFormValues,
  type HabitRow,
  RELATED_HABIT_SENTENCE,
  validateHabit,
} from "./habit-schema.ts";
import { shortHabitLabel } from "./habit-text.ts";

type FollowUp = "nothing" | "reward" | "pleasant";

function followUpOf(values: HabitFormValues): FollowUp {
  if (values.related_habit_id) return "pleasant";
  if (values.reward) return "reward";
  return "nothing";
}

/**
 * What is sent: a pleasant habit has neither reward nor link, and of reward and link only the
 * chosen one counts. The typed text of the other stays in the form in case the person switches back.
 */
function effectiveValues(
  values: HabitFormValues,
  followUp: FollowUp,
): HabitFormValues {
  if (values.is_pleasant || followUp === "nothing") {
    return { ...values, reward: "", related_habit_id: "" };
  }
  if (followUp === "reward") return { ...values, related_habit_id: "" };
  return { ...values, reward: "" };
}

/** A chosen follow-up must be filled in: "a reward" needs its text, "a pleasant habit" its choice. */
function followUpErrors(
  values: HabitFormValues,
  followUp: FollowUp,
): HabitFieldErrors {
  if (values.is_pleasant) return {};
  if (followUp === "reward" && values.reward.trim() === "") {
    return { reward: "Write the reward, or choose “Nothing”." };
  }
  if (followUp === "pleasant" && values.related_habit_id === "") {
    return { related_habit_id: RELATED_HABIT_SENTENCE };
  }
  return {};
}

export function HabitForm(
  { initial, pleasantHabits, submitLabel, onSubmit, onChange }: {
    initial: HabitFormValues;
    /** Called with every change, e.g. to keep a draft. */
    onChange?: (values: HabitFormValues) => void;
    /** The user's pleasant habits, except the habit being edited. */
    pleasantHabits: Pick<Habit, "id" | "action" | "place">[];
    submitLabel: string;
    onSubmit: (row: HabitRow) => Promise<void>;
  },
) {
  const [values, setValues] = useState(initial);
  const [followUp, setFollowUp] = useState<FollowUp>(() => followUpOf(initial));
  const [touched, setTouched] = useState<
    Partial<Record<keyof HabitFormValues, boolean>>
  >({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<
    { text: string; identifier?: string }
  >();

  const sent = effectiveValues(values, followUp);
  const validation = validateHabit(sent);
  const errors: HabitFieldErrors = {
    ...followUpErrors(values, followUp),
    ...(validation.ok ? {} : validation.errors),
  };
  const valid = Object.keys(errors).length === 0;
  const shown = (field: keyof HabitFormValues) => (submitted || touched[field]) ? errors[field] : undefined;

  useEffect(() => onChange?.(values), [values, onChange]);

  const set = <K extends keyof HabitFormValues>(
    field: K,
    value: HabitFormValues[K],
  ) => {
    setValues((current) => ({ ...current, [field]: value }));
    setTouched((current) => ({ ...current, [field]: true }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!validation.ok || !valid) {
      // After the re-render that shows the messages, move to the first field to fix.
      setTimeout(
        () =>
          document.querySelector<HTMLElement>(
            ".habit-form [aria-invalid='true']",
          )?.focus(),
        0,
      );
      return;
    }
    setBusy(true);
    setServerError(undefined);
    try {
      await onSubmit(validation.row);
    } catch (error) {
      setServerError({
        text: error instanceof Error ? error.message : String(error),
        identifier: error instanceof DataError ? error.identifier : undefined,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="habit-form" onSubmit={submit} noValidate>
      {serverError && (
        <Alert kind="error">
          <p>{serverError.text}</p>
          {serverError.identifier === "habits_require_telegram" && (
            <p>
              <Link to="/telegram">Connect Telegram now</Link>{" "}
              — what you typed here stays until you come back.
            </p>
          )}
        </Alert>
      )}
      <fieldset>
        <legend>I will … at … in …</legend>
        <Field
          id="action"
          label="I will (action)"
          placeholder="read one page"
          value={values.action}
          onChange={(event) => set("action", event.target.value)}
          error={shown("action")}
          hint={`${values.action.trim().length}/200 characters`}
        />
        <Field
          id="time"
          label="at (time of day, your time zone)"
          type="time"
          value={values.time}
          onChange={(event) => set("time", event.target.value)}
          error={shown("time")}
        />
        <Field
          id="place"
          label="in (place)"
          placeholder="the kitchen"
          value={values.place}
          onChange={(event) => set("place", event.target.value)}
          error={shown("place")}
        />
      </fieldset>
      <fieldset className="inline-fields">
        <legend>How often and how long</legend>
        <Field
          id="interval_days"
          label="Every … days (1–7)"
          type="number"
          inputMode="numeric"
          min={1}
          max={7}
          value={values.interval_days}
          onChange={(event) => set("interval_days", event.target.value)}
          error={shown("interval_days")}
        />
        <Field
          id="duration_seconds"
          label="Takes … seconds (at most 120)"
          type="number"
          inputMode="numeric"
          min={1}
          max={120}
          value={values.duration_seconds}
          onChange={(event) => set("duration_seconds", event.target.value)}
          error={shown("duration_seconds")}
        />
      </fieldset>
      <div className="field checkbox">
        <input
          id="is_pleasant"
          type="checkbox"
          checked={values.is_pleasant}
          onChange={(event) => set("is_pleasant", event.target.checked)}
          aria-describedby="is_pleasant-hint"
        />
        <label htmlFor="is_pleasant">
          This is a pleasant habit (something I enjoy)
        </label>
        <div id="is_pleasant-hint" className="hint">
          A pleasant habit is its own reward: it has no reward and no linked habit, and other habits can be
          followed by it.
        </div>
        {shown("is_pleasant") && <p className="field-error">{errors.is_pleasant}</p>}
      </div>
      {!values.is_pleasant && (
        <fieldset>
          <legend>After it, I get…</legend>
          <div className="radio-group">
            {([
              ["nothing", "Nothing"],
              ["reward", "A reward"],
              ["pleasant", "One of my pleasant habits"],
            ] as const).map(([choice, label]) => (
              <label key={choice}>
                <input
                  type="radio"
                  name="follow-up"
                  value={choice}
                  checked={followUp === choice}
                  onChange={() => setFollowUp(choice)}
                />
                {label}
              </label>
            ))}
          </div>
          {followUp === "reward" && (
            <Field
              id="reward"
              label="Reward"
              placeholder="a piece of dark chocolate"
              value={values.reward}
              onChange={(event) => set("reward", event.target.value)}
              error={shown("reward")}
            />
          )}
          {followUp === "pleasant" && (
            <div className="field">
              <label htmlFor="related_habit_id">Pleasant habit</label>
              <select
                id="related_habit_id"
                value={values.related_habit_id}
                onChange={(event) => set("related_habit_id", event.target.value)}
                aria-invalid={shown("related_habit_id") ? true : undefined}
                aria-describedby={shown("related_habit_id") ? "related_habit_id-error" : undefined}
              >
                <option value="">Choose…</option>
                {pleasantHabits.map((habit) => (
                  <option key={habit.id} value={habit.id}>
                    {shortHabitLabel(habit)}
                  </option>
                ))}
              </select>
              {pleasantHabits.length === 0 && (
                <p className="hint">
                  You have no pleasant habits yet. Create one first, then link it here.
                </p>
              )}
              {shown("related_habit_id") && (
                <p id="related_habit_id-error" className="field-error">
                  {errors.related_habit_id}
                </p>
              )}
            </div>
          )}
        </fieldset>
      )}
      <div className="field checkbox">
        <input
          id="is_public"
          type="checkbox"
          checked={values.is_public}
          onChange={(event) => set("is_public", event.target.checked)}
          aria-describedby="is_public-hint"
        />
        <label htmlFor="is_public">Public</label>
        <div id="is_public-hint" className="hint">
          Others can see and copy this habit, never who it belongs to.
        </div>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
        <Link className="button" to="/habits">Cancel</Link>
      </div>
    </form>
  );
}
