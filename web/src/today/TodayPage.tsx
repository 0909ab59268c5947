import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useUserId } from "../auth/session.tsx";
import { habitSentence } from "../habits/habit-text.ts";
import { todaySavedKey } from "../habits/saved-habits.ts";
import { formatDate } from "../i18n/format.ts";
import { useQuery } from "../ui/use-query.ts";
import { useLiveUpdates } from "../live/live-updates.ts";
import { Alert } from "../ui/Alert.tsx";
import { Flash } from "../ui/Flash.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useOnline } from "../ui/use-online.ts";
import { fetchTodayData, todayView } from "./today-api.ts";
import { TelegramFirst } from "./TelegramFirst.tsx";
import { TodayEntry } from "./TodayEntry.tsx";

/** The habit formula, taught when there is nothing yet. */
function HabitFormula() {
  const { t } = useTranslation();
  return (
    <div className="empty formula" data-testid="habit-formula">
      <TelegramFirst />
      <h2>{t("Start with one small habit")}</h2>
      <p>{t("A habit that sticks names an action, a time and a place:")}</p>
      <p className="formula-line">
        <strong>{t("I will [ACTION] at [TIME] in [PLACE].")}</strong>
      </p>
      <p>{t("For example: I will read one page at 7:30 in the kitchen.")}</p>
      <p>
        {t("Keep it under two minutes, and follow it with a small reward or something you enjoy.")}
      </p>
      <p>
        <Link className="button primary" to="/habits/new">{t("Create your first habit")}</Link>{" "}
        <Link className="button" to="/public">{t("Borrow one from the public habits")}</Link>
      </p>
    </div>
  );
}

/** Today, the page people land on: what is due today in their zone, in time order. */
export function TodayPage() {
  const { t } = useTranslation();
  usePageTitle(t("Today"));
  const userId = useUserId();
  const online = useOnline();
  // Offline (or with the server out of reach) the last load shows at once; the frame says so.
  const today = useQuery(() => fetchTodayData(userId), [userId], { savedAs: todaySavedKey(userId) });
  useLiveUpdates(["habits", "habit_completions"], today.reload);

  const { data } = today;
  if (!data) {
    if (today.error) return <Alert kind="error">{today.error}</Alert>;
    return <Loading label={t("Loading today…")} />;
  }
  const view = todayView(data);
  const { timeZone } = view;
  const stale = today.savedAt !== undefined;
  const doneCount = view.due.filter((item) => item.completion).length;

  return (
    <section>
      <div className="page-heading">
        <h1>{t("Today")}</h1>
        <Link className="button" to="/habits/new">{t("New habit")}</Link>
      </div>
      <Flash />
      <p className="meta">
        {formatDate(view.today, { weekday: "long", day: "numeric", month: "long" })} · {timeZone}
      </p>
      {view.habitCount === 0 && <HabitFormula />}
      {view.habitCount > 0 && view.due.length === 0 && (
        <p className="empty">{t("Nothing is due today. Enjoy the day!")}</p>
      )}
      {view.due.length > 0 && (
        <>
          <p className="hint" aria-live="polite" data-testid="today-progress">
            {t("{{done}} of {{count}} done", { done: doneCount, count: view.due.length })}
          </p>
          <ul className="card-list today-list">
            {view.due.map((item) => (
              <TodayEntry
                key={item.habit.id}
                item={item}
                timeZone={timeZone}
                onChanged={today.reload}
                disabled={stale || !online}
              />
            ))}
          </ul>
        </>
      )}
      {view.paused.length > 0 && (
        <section aria-labelledby="paused-title" className="paused-habits">
          <h2 id="paused-title">{t("Paused")}</h2>
          <ul>
            {view.paused.map((habit) => (
              <li key={habit.id}>
                <Link to={`/habits/${habit.id}`}>{habitSentence(habit)}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
