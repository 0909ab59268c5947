import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useUserId } from "../auth/session.tsx";
import type { Habit } from "../lib/database.ts";
import { useQuery } from "../ui/use-query.ts";
import { useLiveUpdates } from "../live/live-updates.ts";
import { telegramStatusOf } from "../profile/profile-api.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { Flash } from "../ui/Flash.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { pageFromSearch, Pagination, useLastPageFallback } from "../ui/Pagination.tsx";
import { HabitCard } from "./HabitCard.tsx";
import { habitSentence } from "./habit-text.ts";
import { deleteHabit, fetchHabitsPage, HABITS_PER_PAGE } from "./habits-api.ts";
import { habitsPageSavedKey } from "./saved-habits.ts";

export function HabitsPage() {
  const { t } = useTranslation();
  usePageTitle(t("My habits"));
  const [search, setSearch] = useSearchParams();
  const page = pageFromSearch(search);
  const profile = useProfile();
  const userId = useUserId();
  const habits = useQuery(() => fetchHabitsPage(page), [page], { savedAs: habitsPageSavedKey(userId, page) });
  useLiveUpdates(["habits", "habit_completions"], habits.reload);
  const [toDelete, setToDelete] = useState<Habit>();
  const { busy: deleting, message: notice, run } = useAction();

  const pageCount = Math.max(
    1,
    Math.ceil((habits.data?.total ?? 0) / HABITS_PER_PAGE),
  );
  const goToPage = (next: number) => setSearch(next === 1 ? {} : { page: String(next) });

  useLastPageFallback(page, pageCount, habits.data !== undefined, goToPage);

  const confirmDelete = () =>
    run(async () => {
      if (!toDelete) return undefined;
      try {
        await deleteHabit(toDelete.id);
        habits.reload();
        return t("Deleted “{{habit}}”.", { habit: habitSentence(toDelete) });
      } finally {
        setToDelete(undefined);
      }
    });

  const timeZone = profile.data?.timezone ?? "UTC";
  const notLinked = profile.data && telegramStatusOf(profile.data) !== "linked";

  return (
    <section>
      <div className="page-heading">
        <h1>{t("My habits")}</h1>
        <Link className="button primary" to="/habits/new">{t("New habit")}</Link>
      </div>
      <Flash />
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {notLinked && (
        <Alert kind="info">
          {t("Reminders are sent in Telegram.")}{" "}
          <Link to="/telegram">{t("Connect your Telegram chat before creating habits")}</Link>
        </Alert>
      )}
      {habits.error && <Alert kind="error">{habits.error}</Alert>}
      {habits.loading && !habits.data && <Loading label={t("Loading your habits…")} />}
      {habits.data && habits.data.total === 0 && (
        <div className="empty">
          <p>
            {t("No habits yet. Start with something that takes less than two minutes.")}
          </p>
          <p>
            <Link to="/habits/new">{t("Create your first habit")}</Link>
            {" · "}
            <Link to="/public">{t("Borrow one from the public habits")}</Link>
          </p>
        </div>
      )}
      {habits.data && habits.data.habits.length > 0 && (
        <>
          <p className="hint" aria-live="polite">
            {t("{{count}} habits", { count: habits.data.total })}
          </p>
          <ul className="card-list" aria-busy={habits.loading}>
            {habits.data.habits.map((habit) => (
              <HabitCard
                key={habit.id}
                habit={habit}
                timeZone={timeZone}
                onChanged={habits.reload}
                onDelete={setToDelete}
              />
            ))}
          </ul>
        </>
      )}
      <Pagination
        page={page}
        pageCount={pageCount}
        onPage={goToPage}
        label={t("Habit pages")}
      />
      <ConfirmDialog
        open={toDelete !== undefined}
        title={t("Delete this habit?")}
        message={toDelete
          ? t("“{{habit}}” and its history will be deleted. This cannot be undone.", {
            habit: habitSentence(toDelete),
          })
          : ""}
        confirmLabel={t("Delete habit")}
        busy={deleting}
        onConfirm={confirmDelete}
        onCancel={() => setToDelete(undefined)}
      />
    </section>
  );
}
