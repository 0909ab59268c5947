/**
 * The habit rules as a zod schema, for instant feedback in the form. It mirrors the database
 * (the authority) and reports each rule with the same sentence as the database's identifier.
 * Deno tests import this module directly, so it imports only zod and plain TypeScript.
 */
import { z } from "zod";
import { RULE_SENTENCES } from "../errors/error-messages.ts";
import { msg } from "../i18n/msg.ts";
import { characterCount, trimBlank } from "./blank-text.ts";

const sentence = (identifier: string): string => RULE_SENTENCES[identifier] ?? identifier;

// Rules of the form only (the database has no identifier for them); message keys.
export const TIME_SENTENCE = msg("Choose a time of day, e.g. 07:30.");
export const RELATED_HABIT_SENTENCE = msg("Choose one of your pleasant habits.");
export const REWARD_MISSING_SENTENCE = msg("Write the reward, or choose “Nothing”.");

/** What the form holds: text as typed, numbers as the inputs give them. */
export interface HabitFormValues {
  action: string;
  place: string;
  time: string;
  interval_days: string;
  duration_seconds: string;
  is_pleasant: boolean;
  reward: string;
  related_habit_id: string;
  is_public: boolean;
}

export const EMPTY_HABIT_FORM: HabitFormValues = {
  action: "",
  place: "",
  time: "07:00",
  interval_days: "1",
  duration_seconds: "60",
  is_pleasant: false,
  reward: "",
  related_habit_id: "",
  is_public: false,
};

const wholeNumberIn = (min: number, max: number, identifier: string) =>
  z.string().trim().regex(/^\d+$/, sentence(identifier)).transform(Number).pipe(
    z.number().int().min(min, sentence(identifier)).max(
      max,
      sentence(identifier),
    ),
  );

/** Trimmed of blank and invisible characters as the database trims it, 1–200 code points. */
const trimmedText = (identifier: string, optional = false) =>
  z.string().transform(trimBlank).refine(
    (text) => (optional && text === "") || (characterCount(text) >= 1 && characterCount(text) <= 200),
    sentence(identifier),
  );

/** Form values in, the row to insert or update out (empty optional fields become null). */
export const habitSchema = z.object({
  action: trimmedText("habits_action_length"),
  place: trimmedText("habits_place_length"),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, TIME_SENTENCE),
  interval_days: wholeNumberIn(1, 7, "habits_interval_days_range"),
  duration_seconds: wholeNumberIn(1, 120, "habits_duration_seconds_range"),
  is_pleasant: z.boolean(),
  reward: trimmedText("habits_reward_length", true)
    .transform((reward) => reward === "" ? null : reward),
  related_habit_id: z.union([z.literal(""), z.uuid(RELATED_HABIT_SENTENCE)])
    .transform((id) => id === "" ? null : id),
  is_public: z.boolean(),
}).superRefine((habit, context) => {
  if (
    habit.is_pleasant &&
    (habit.reward !== null || habit.related_habit_id !== null)
  ) {
    context.addIssue({
      code: "custom",
      path: ["is_pleasant"],
      message: sentence("habits_pleasant_has_no_reward_or_link"),
    });
  } else if (habit.reward !== null && habit.related_habit_id !== null) {
    context.addIssue({
      code: "custom",
      path: ["reward"],
      message: sentence("habits_reward_or_related_habit"),
    });
  }
});

export type HabitRow = z.output<typeof habitSchema>;
export type HabitFieldErrors = Partial<Record<keyof HabitFormValues, string>>;

/** The first problem of each field, or the valid row. */
export function validateHabit(
  values: HabitFormValues,
): { ok: true; row: HabitRow } | { ok: false; errors: HabitFieldErrors } {
  const result = habitSchema.safeParse(values);
  if (result.success) return { ok: true, row: result.data };
  const errors: HabitFieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as keyof HabitFormValues | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors };
}

/** A stored habit (or a public template) as form values. */
export function habitToFormValues(habit: {
  action: string | null;
  place: string | null;
  time: string | null;
  interval_days: number | null;
  duration_seconds: number | null;
  is_pleasant: boolean | null;
  reward: string | null;
  related_habit_id?: string | null;
  is_public?: boolean | null;
}): HabitFormValues {
  return {
    action: habit.action ?? "",
    place: habit.place ?? "",
    time: (habit.time ?? EMPTY_HABIT_FORM.time).slice(0, 5),
    interval_days: String(habit.interval_days ?? 1),
    duration_seconds: String(habit.duration_seconds ?? 60),
    is_pleasant: habit.is_pleasant ?? false,
    reward: habit.reward ?? "",
    related_habit_id: habit.related_habit_id ?? "",
    is_public: habit.is_public ?? false,
  };
}
