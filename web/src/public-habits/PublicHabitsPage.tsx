import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { habitToFormValues } from "../habits/habit-schema.ts";
import { durationText, habitSentence, intervalText } from "../habits/habit-text.ts";
import { useQuery } from "../ui/use-query.ts";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { pageFromSearch, Pagination, useLastPageFallback } from "../ui/Pagination.tsx";
import { fetchPublicHabitsPage, PUBLIC_HABITS_PER_PAGE } from "./public-habits-api.ts";

/** Everyone's public habits, without who they belong to; any of them can start a new habit. */
export function PublicHabitsPage() {
  const { t } = useTranslation();
  usePageTitle(t("Public habits"));
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const page = pageFromSearch(search);
  const habits = useQuery(() => fetchPublicHabitsPage(page), [page], { readsServer: true });
  const pageCount = Math.max(
    1,
    Math.ceil((habits.data?.total ?? 0) / PUBLIC_HABITS_PER_PAGE),
  );
  const goToPage = (next: number) => setSearch(next === 1 ? {} : { page: String(next) });
  useLastPageFallback(page, pageCount, habits.data !== undefined, goToPage);

  return (
    <section>
      <h1>{t("Public habits")}</h1>
      <p>{t("Habits others chose to share. Use one as a template for your own.")}</p>
      {habits.error && <Alert kind="error">{habits.error}</Alert>}
      {habits.loading && !habits.data && <Loading label={t("Loading public habits…")} />}
      {habits.data && habits.data.total === 0 && (
        <p className="empty">
          {t("No public habits yet. Mark one of your habits as public to share it.")}{" "}
          <Link to="/habits">{t("My habits")}</Link>
        </p>
      )}
      {habits.data && habits.data.habits.length > 0 && (
        <ul className="card-list" aria-busy={habits.loading}>
          {habits.data.habits.map((habit) => (
            <li key={habit.id} className="card" aria-labelledby={`public-${habit.id}`}>
              <h2 className="habit-title" id={`public-${habit.id}`}>{habitSentence(habit)}</h2>
              <p className="meta">
                {intervalText(habit.interval_days)} · {durationText(habit.duration_seconds)}
                {habit.reward && ` · ${t("reward: {{reward}}", { reward: habit.reward })}`}
                {habit.is_pleasant && ` · ${t("pleasant")}`}
              </p>
              <button
                type="button"
                aria-describedby={`public-${habit.id}`}
                onClick={() =>
                  navigate("/habits/new", {
                    state: {
                      template: {
                        ...habitToFormValues(habit),
                        is_public: false,
                      },
                    },
                  })}
              >
                {t("Use as template")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Pagination
        page={page}
        pageCount={pageCount}
        onPage={goToPage}
        label={t("Public habit pages")}
      />
    </section>
  );
}
