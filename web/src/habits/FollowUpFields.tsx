import { useTranslation } from "react-i18next";
import { useRuleText } from "../errors/use-rule-text.ts";
import type { Habit } from "../lib/database.ts";
import { Field } from "../ui/Field.tsx";
import type { HabitFormValues } from "./habit-schema.ts";
import { shortHabitLabel } from "./habit-text.ts";
import type { FollowUp } from "./use-habit-form.ts";

/** "After it, I get…": nothing, a reward, or one of the person's pleasant habits. */
export function FollowUpFields(
  { values, set, followUp, setFollowUp, shown, pleasantHabits }: {
    values: HabitFormValues;
    set: <K extends keyof HabitFormValues>(field: K, value: HabitFormValues[K]) => void;
    followUp: FollowUp;
    setFollowUp: (choice: FollowUp) => void;
    shown: (field: keyof HabitFormValues) => string | undefined;
    pleasantHabits: Pick<Habit, "id" | "action" | "place">[];
  },
) {
  const { t } = useTranslation();
  const ruleText = useRuleText();
  const choices: [FollowUp, string][] = [
    ["nothing", t("Nothing")],
    ["reward", t("A reward")],
    ["pleasant", t("One of my pleasant habits")],
  ];
  const linkError = ruleText(shown("related_habit_id"));
  return (
    <fieldset>
      <legend>{t("After it, I get…")}</legend>
      <div className="radio-group">
        {choices.map(([choice, label]) => (
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
          label={t("Reward")}
          placeholder={t("a piece of dark chocolate")}
          value={values.reward}
          onChange={(event) => set("reward", event.target.value)}
          error={ruleText(shown("reward"))}
        />
      )}
      {followUp === "pleasant" && (
        <div className="field">
          <label htmlFor="related_habit_id">{t("Pleasant habit")}</label>
          <select
            id="related_habit_id"
            value={values.related_habit_id}
            onChange={(event) => set("related_habit_id", event.target.value)}
            aria-invalid={linkError ? true : undefined}
            aria-describedby={linkError ? "related_habit_id-error" : undefined}
          >
            <option value="">{t("Choose…")}</option>
            {pleasantHabits.map((habit) => (
              <option key={habit.id} value={habit.id}>
                {shortHabitLabel(habit)}
              </option>
            ))}
          </select>
          {pleasantHabits.length === 0 && (
            <p className="hint">
              {t("You have no pleasant habits yet. Create one first, then link it here.")}
            </p>
          )}
          {linkError && <p id="related_habit_id-error" className="field-error">{linkError}</p>}
        </div>
      )}
    </fieldset>
  );
}
