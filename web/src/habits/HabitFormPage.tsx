import { useCallback, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useQuery } from "../ui/use-query.ts";
import { telegramStatusOf } from "../profile/profile-api.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { clearDraft, loadDraft, saveDraft } from "./habit-draft.ts";
import { EMPTY_HABIT_FORM, type HabitFormValues, habitToFormValues } from "./habit-schema.ts";
import { hasExactDuplicate } from "./duplicate-habit.ts";
import { HabitForm } from "./HabitForm.tsx";
import { useUserId } from "../auth/session.tsx";

import { createHabit, fetchHabit, fetchPleasantHabits, HabitNotFound, updateHabit } from "./habits-api.ts";
import { newestSavedHabit, savedPleasantHabits } from "./saved-habits.ts";
import { requireConnection } from "../offline/need-connection.ts";

const saveNewDraft = (values: HabitFormValues) => saveDraft(values);

export function NewHabitPage() {
  const { t } = useTranslation();
  usePageTitle(t("New habit"));
  const navigate = useNavigate();
  const location = useLocation();
  const template = (location.state as { template?: HabitFormValues } | null)
    ?.template;
  const pleasant = useQuery(fetchPleasantHabits, [], { readsServer: true });
  const profile = useProfile();
  const userId = useUserId();
  // A draft restored from this tab, which the person may discard (it may hold invalid values).
  const [draft, setDraft] = useState(() => template ? undefined : loadDraft());
  const [formKey, setFormKey] = useState(0);
  const discardDraft = () => {
    clearDraft();
    setDraft(undefined);
    setFormKey((key) => key + 1);
  };
  // The exact duplicate already warned about: pressing Create again creates it.
  const warnedDuplicate = useRef<string | null>(null);

  if (pleasant.loading && !pleasant.data) return <Loading />;
  return (
    <section className="narrow">
      <h1>{t("New habit")}</h1>
      {template && (
        <Alert kind="info">
          {t("Copied from a public habit. Adjust it to fit your day.")}
        </Alert>
      )}
      {profile.data && telegramStatusOf(profile.data) !== "linked" && (
        <Alert kind="info">
          {t("Habits need a Telegram chat for their reminders.")}{" "}
          <Link to="/telegram">{t("Connect Telegram")}</Link> {t("first; this form keeps what you type.")}
        </Alert>
      )}
      {draft && (
        <Alert kind="info">
          {t("This is the draft you left unsaved.")}{" "}
          <button type="button" onClick={discardDraft}>{t("Discard the draft")}</button>
        </Alert>
      )}
      {pleasant.error && <Alert kind="error">{pleasant.error}</Alert>}
      <HabitForm
        key={formKey}
        initial={template ?? draft ?? EMPTY_HABIT_FORM}
        pleasantHabits={pleasant.data ?? []}
        submitLabel={t("Create habit")}
        onChange={saveNewDraft}
        onSubmit={async (row) => {
          const key = JSON.stringify(row);
          if (warnedDuplicate.current !== key && await hasExactDuplicate(userId, row)) {
            warnedDuplicate.current = key;
            throw new Error(
              t("You already have this exact habit. Press “Create habit” again to add it anyway."),
            );
          }
          const habit = await createHabit(row);
          clearDraft();
          navigate("/habits", {
            state: { saved: t("Created “I will {{action}}”.", { action: habit.action }) },
          });
        }}
      />
    </section>
  );
}

export function EditHabitPage() {
  const { t } = useTranslation();
  usePageTitle(t("Edit habit"));
  const { habitId = "" } = useParams();
  const navigate = useNavigate();
  const userId = useUserId();
  // Offline, or with the server out of reach, the form opens from the newest saved copy of the habit
  // (Today, My habits) and reads afresh once online; not a habit the server says is gone.
  const habit = useQuery(() => fetchHabit(habitId), [habitId, userId], {
    readsServer: true,
    savedIn: (failure) => failure instanceof HabitNotFound ? undefined : newestSavedHabit(userId, habitId),
  });
  const pleasant = useQuery(fetchPleasantHabits, [userId], {
    readsServer: true,
    savedIn: () => savedPleasantHabits(userId),
  });
  const saveEditDraft = useCallback((values: HabitFormValues) => saveDraft(values, habitId), [habitId]);
  // What the person typed (the draft) wins over the habit as loaded, saved or fresh.
  const initial = useMemo(
    () => habit.data && (loadDraft(habitId) ?? habitToFormValues(habit.data)),
    [habit.data, habitId],
  );

  if (habit.error) {
    return (
      <section className="narrow">
        <h1>{t("Edit habit")}</h1>
        <Alert kind="error">{habit.error}</Alert>
        <Link to="/habits">{t("Back to my habits")}</Link>
      </section>
    );
  }
  if (!habit.data || !initial || (pleasant.loading && !pleasant.data)) return <Loading />;
  return (
    <section className="narrow">
      <h1>{t("Edit habit")}</h1>
      <HabitForm
        // A fresh load after a saved one starts the form again, from the draft if one was typed.
        key={`${habit.data.id}:${habit.savedAt ?? "fresh"}`}
        initial={initial}
        pleasantHabits={(pleasant.data ?? []).filter((candidate) => candidate.id !== habitId)}
        submitLabel={t("Save changes")}
        onChange={saveEditDraft}
        onSubmit={async (row) => {
          requireConnection();
          await updateHabit(habitId, row);
          clearDraft(habitId);
          navigate("/habits", { state: { saved: t("Saved your changes.") } });
        }}
      />
    </section>
  );
}
