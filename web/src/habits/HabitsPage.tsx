import { useEffect, useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import type { Habit } from "../lib/database.ts";
import { useQuery } from "../lib/use-query.ts";
import { telegramStatusOf } from "../profile/profile-api.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { pageFromSearch, Pagination } from "../ui/Pagination.tsx";
import { HabitCard } from "./HabitCard.tsx";
import { habitSentence } from "./habit-text.ts";
import { deleteHabit, fetchHabitsPage, HABITS_PER_PAGE } from "./habits-api.ts";

export function HabitsPage() {
  usePageTitle("My habits");
  const location = useLocation();
  const [search, setSearch] = useSearchParams();
  const page = pageFromSearch(search);
  const profile = useProfile();
  const habits = useQuery(() => fetchHabitsPage(page), [page]);
  const [toDelete, setToDelete] = useState<Habit>();
  const [deleting, setDeleting] = useState(false);
  const [notice, setNotice] = useState<
    { kind: "success" | "error"; text: string }
  >();
  const flash = location.state as { welcome?: boolean; saved?: string } | null;

  const pageCount = Math.max(
    1,
    Math.ceil((habits.data?.total ?? 0) / HABITS_PER_PAGE),
  );
  const goToPage = (next: number) => setSearch(next === 1 ? {} : { page: String(next) });

  // After deleting the last habit of the last page, show the page before it.
  useEffect(() => {
    if (habits.data && page > pageCount) goToPage(pageCount);
  });

  const confirmDelete = async () => {
    if (!toDelete) return;
    setDeleting(true);
    try {
      await deleteHabit(toDelete.id);
      setNotice({
        kind: "success",
        text: `Deleted “${habitSentence(toDelete)}”.`,
      });
      habits.reload();
    } catch (error) {
      setNotice({
        kind: "error",
        text: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setDeleting(false);
      setToDelete(undefined);
    }
  };

  const timeZone = profile.data?.timezone ?? "UTC";
  const notLinked = profile.data && telegramStatusOf(profile.data) !== "linked";

  return (
    <section>
      <div className="page-heading">
        <h1>My habits</h1>
        <Link className="button primary" to="/habits/new">New habit</Link>
      </div>
      {flash?.welcome && <Alert kind="success">Your e-mail is confirmed. Welcome!</Alert>}
      {flash?.saved && <Alert kind="success">{flash.saved}</Alert>}
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {notLinked && (
        <Alert kind="info">
          Reminders are sent in Telegram. <Link to="/telegram">Connect your Telegram chat</Link>{" "}
          before creating habits.
        </Alert>
      )}
      {habits.error && <Alert kind="error">{habits.error}</Alert>}
      {habits.loading && !habits.data && <Loading label="Loading your habits…" />}
      {habits.data && habits.data.total === 0 && (
        <div className="empty">
          <p>
            No habits yet. Start with something that takes less than two minutes.
          </p>
          <p>
            <Link to="/habits/new">Create your first habit</Link> or{" "}
            <Link to="/public">borrow one from the public habits</Link>.
          </p>
        </div>
      )}
      {habits.data && habits.data.habits.length > 0 && (
        <>
          <p className="hint" aria-live="polite">
            {habits.data.total} {habits.data.total === 1 ? "habit" : "habits"}
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
        label="Habit pages"
      />
      <ConfirmDialog
        open={toDelete !== undefined}
        title="Delete this habit?"
        message={toDelete
          ? `“${habitSentence(toDelete)}” and its history will be deleted. This cannot be undone.`
          : ""}
        confirmLabel="Delete habit"
        busy={deleting}
        onConfirm={confirmDelete}
        onCancel={() => setToDelete(undefined)}
      />
    </section>
  );
}
