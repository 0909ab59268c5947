import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";
import { useRuleText } from "../errors/use-rule-text.ts";
import type { Habit } from "../lib/database.ts";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { FollowUpFields } from "./FollowUpFields.tsx";
import type { HabitFormValues, HabitRow } from "./habit-schema.ts";
import { useHabitForm } from "./use-habit-form.ts";

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
  const { t } = useTranslation();
  const ruleText = useRuleText();
  const location = useLocation();
  const navigate = useNavigate();
  const form = useHabitForm({ initial, onSubmit, onChange });
  // The session is gone (expired, or ended elsewhere): forget it here and come back after
  // signing in; the draft keeps what was typed.
  const signInAgain = async () => {
    await supabase.auth.signOut({ scope: "local" });
    navigate("/sign-in", {
      state: { from: location.pathname, notice: t("Sign in again to save: what you typed is kept.") },
    });
  };
  const { values, set, serverError, busy } = form;
  const error = (field: keyof HabitFormValues) => ruleText(form.shown(field));

  return (
    <form className="habit-form" onSubmit={form.submit} noValidate>
      {serverError && (
        <Alert kind="error">
          <p>{serverError.text}</p>
          {serverError.sessionExpired && (
            <p>
              <button type="button" onClick={signInAgain}>{t("Sign in again")}</button>{" "}
              {t("— what you typed here stays until you come back.")}
            </p>
          )}
          {serverError.identifier === "habits_require_telegram" && (
            <p>
              <Link to="/telegram">{t("Connect Telegram now")}</Link>{" "}
              {t("— what you typed here stays until you come back.")}
            </p>
          )}
        </Alert>
      )}
      <fieldset>
        <legend>{t("I will … at … in …")}</legend>
        <Field
          id="action"
          label={t("I will (action)")}
          placeholder={t("read one page")}
          value={values.action}
          onChange={(event) => set("action", event.target.value)}
          error={error("action")}
          hint={t("{{count}}/200 characters", { count: values.action.trim().length })}
        />
        <Field
          id="time"
          label={t("at (time of day, your time zone)")}
          type="time"
          value={values.time}
          onChange={(event) => set("time", event.target.value)}
          error={error("time")}
        />
        <Field
          id="place"
          label={t("in (place)")}
          placeholder={t("the kitchen")}
          value={values.place}
          onChange={(event) => set("place", event.target.value)}
          error={error("place")}
        />
      </fieldset>
      <fieldset className="inline-fields">
        <legend>{t("How often and how long")}</legend>
        <Field
          id="interval_days"
          label={t("Every … days (1–7)")}
          type="number"
          inputMode="numeric"
          min={1}
          max={7}
          value={values.interval_days}
          onChange={(event) => set("interval_days", event.target.value)}
          error={error("interval_days")}
        />
        <Field
          id="duration_seconds"
          label={t("Takes … seconds (at most 120)")}
          type="number"
          inputMode="numeric"
          min={1}
          max={120}
          value={values.duration_seconds}
          onChange={(event) => set("duration_seconds", event.target.value)}
          error={error("duration_seconds")}
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
        <label htmlFor="is_pleasant">{t("This is a pleasant habit (something I enjoy)")}</label>
        <div id="is_pleasant-hint" className="hint">
          {t(
            "A pleasant habit is its own reward: it has no reward and no linked habit, and other habits can be followed by it.",
          )}
        </div>
        {error("is_pleasant") && <p className="field-error">{error("is_pleasant")}</p>}
      </div>
      {!values.is_pleasant && (
        <FollowUpFields
          values={values}
          set={set}
          followUp={form.followUp}
          setFollowUp={form.setFollowUp}
          shown={form.shown}
          pleasantHabits={pleasantHabits}
        />
      )}
      <div className="field checkbox">
        <input
          id="is_public"
          type="checkbox"
          checked={values.is_public}
          onChange={(event) => set("is_public", event.target.checked)}
          aria-describedby="is_public-hint"
        />
        <label htmlFor="is_public">{t("Public")}</label>
        <div id="is_public-hint" className="hint">
          {t("Others can see and copy this habit, never who it belongs to.")}
        </div>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("Saving…") : submitLabel}
        </button>
        <Link className="button" to="/habits">{t("Cancel")}</Link>
      </div>
    </form>
  );
}
