import { type FormEvent, useEffect, useState } from "react";
import { DataError } from "../lib/data-error.ts";
import { useAction } from "../ui/use-action.ts";
import {
  type HabitFieldErrors,
  type HabitFormValues,
  type HabitRow,
  RELATED_HABIT_SENTENCE,
  REWARD_MISSING_SENTENCE,
  validateHabit,
} from "./habit-schema.ts";
import { trimBlank } from "./blank-text.ts";

export type FollowUp = "nothing" | "reward" | "pleasant";

function followUpOf(values: HabitFormValues): FollowUp {
  if (values.related_habit_id) return "pleasant";
  if (values.reward) return "reward";
  return "nothing";
}

/**
 * What is sent: a pleasant habit has neither reward nor link, and of reward and link only the
 * chosen one counts. The typed text of the other stays in the form in case the person switches back.
 */
function effectiveValues(values: HabitFormValues, followUp: FollowUp): HabitFormValues {
  if (values.is_pleasant || followUp === "nothing") {
    return { ...values, reward: "", related_habit_id: "" };
  }
  if (followUp === "reward") return { ...values, related_habit_id: "" };
  return { ...values, reward: "" };
}

/** A chosen follow-up must be filled in: "a reward" needs its text, "a pleasant habit" its choice. */
function followUpErrors(values: HabitFormValues, followUp: FollowUp): HabitFieldErrors {
  if (values.is_pleasant) return {};
  if (followUp === "reward" && trimBlank(values.reward) === "") {
    return { reward: REWARD_MISSING_SENTENCE };
  }
  if (followUp === "pleasant" && values.related_habit_id === "") {
    return { related_habit_id: RELATED_HABIT_SENTENCE };
  }
  return {};
}

/**
 * The habit form's state: values as typed, which fields were touched, the rule errors (message
 * keys and rule sentences) and the server's answer to the last submit.
 */
export function useHabitForm(
  { initial, onSubmit, onChange }: {
    initial: HabitFormValues;
    onSubmit: (row: HabitRow) => Promise<void>;
    onChange?: (values: HabitFormValues) => void;
  },
) {
  const [values, setValues] = useState(initial);
  const [followUp, setFollowUp] = useState<FollowUp>(() => followUpOf(initial));
  const [touched, setTouched] = useState<Partial<Record<keyof HabitFormValues, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const { busy, message, run } = useAction();
  const cause = message?.cause;
  const serverError = message && {
    text: message.text,
    identifier: cause instanceof DataError ? cause.identifier : undefined,
    sessionExpired: cause instanceof DataError && cause.sessionExpired,
  };

  const validation = validateHabit(effectiveValues(values, followUp));
  const errors: HabitFieldErrors = {
    ...followUpErrors(values, followUp),
    ...(validation.ok ? {} : validation.errors),
  };
  const shown = (field: keyof HabitFormValues) => (submitted || touched[field]) ? errors[field] : undefined;

  // Only what the person typed is a draft (not the values the form opened with).
  useEffect(() => {
    if (values !== initial) onChange?.(values);
  }, [values, initial, onChange]);

  const set = <K extends keyof HabitFormValues>(field: K, value: HabitFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    setTouched((current) => ({ ...current, [field]: true }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!validation.ok || Object.keys(errors).length > 0) {
      // After the re-render that shows the messages, move to the first field to fix.
      setTimeout(() => document.querySelector<HTMLElement>(".habit-form [aria-invalid='true']")?.focus(), 0);
      return;
    }
    const row = validation.row;
    await run(() => onSubmit(row));
  };

  return { values, set, followUp, setFollowUp, errors, shown, busy, serverError, submit };
}
