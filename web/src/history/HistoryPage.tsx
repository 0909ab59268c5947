import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useUserId } from "../auth/session.tsx";
import { FixDays } from "../completions/FixDays.tsx";
import { markOccurrenceDone } from "../completions/mark-done.ts";
import { habitSentence, intervalText } from "../habits/habit-text.ts";
import { doneDatesOf } from "../habits/progress.ts";
import { dueDates, localDate, occurrenceToMarkDone } from "../schedule/schedule.ts";
import { habitStreaks } from "../schedule/streaks.ts";
import { formatDate } from "../i18n/format.ts";
import { useQuery } from "../ui/use-query.ts";
import { useLiveUpdates } from "../live/live-updates.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { monthlyRates, weeklyRates } from "./completion-rates.ts";
import { DeliveriesTable } from "./DeliveriesTable.tsx";
import { Heatmap } from "./Heatmap.tsx";
import { fetchHabitHistory } from "./history-api.ts";
import { monthLabel, RatesChart, weekLabel } from "./RatesChart.tsx";
import { StrengthChart } from "./StrengthChart.tsx";
import { strengthOverTime } from "./strength.ts";

/** A habit's history: streaks, strength over time, completion rates, heatmap, deliveries. */
export default function HistoryPage() {
  const { t } = useTranslation();
  usePageTitle(t("History"));
  const { habitId = "" } = useParams();
  const userId = useUserId();
  const history = useQuery(() => fetchHabitHistory(habitId), [habitId], {
    savedAs: `history:${userId}:${habitId}`,
  });
  useLiveUpdates(["habits", "habit_completions", "notifications"], history.reload);
  const profile = useProfile();
  const { busy, message, run } = useAction();

  if (history.error) {
    return (
      <section>
        <h1>{t("History")}</h1>
        <Alert kind="error">{history.error}</Alert>
        <Link to="/habits">{t("Back to my habits")}</Link>
      </section>
    );
  }
  if (!history.data || !profile.data) {
    return <Loading label={t("Loading the history…")} />;
  }

  const { habit, completions, deliveries } = history.data;
  const timeZone = profile.data.timezone;
  const now = new Date();
  const today = localDate(now, timeZone);
  const doneDates = doneDatesOf(completions, timeZone);
  const latest = occurrenceToMarkDone(habit, timeZone, now);
  const { current, best } = habitStreaks(habit, completions, timeZone, now);
  const latestDate = latest ? localDate(latest, timeZone) : null;
  const latestDone = latestDate !== null && doneDates.has(latestDate);
  const due = dueDates(habit, timeZone, latest && latest > now ? latest : now);

  const markDone = () =>
    run(async () => {
      const { text } = await markOccurrenceDone(habit, timeZone);
      history.reload();
      return text;
    });

  return (
    <section>
      <p>
        <Link to="/habits">← {t("My habits")}</Link>
      </p>
      <h1>{habitSentence(habit)}</h1>
      <p className="meta">
        {t("{{interval}} · since {{date}} · times in {{zone}}", {
          interval: intervalText(habit.interval_days),
          date: formatDate(habit.starts_on),
          zone: timeZone,
        })}
      </p>
      <dl className="stats">
        <div>
          <dt>{t("Current streak")}</dt>
          <dd data-testid="current-streak">{current}</dd>
        </div>
        <div>
          <dt>{t("Best streak")}</dt>
          <dd data-testid="best-streak">{best}</dd>
        </div>
        <div>
          <dt>{t("Done in total")}</dt>
          <dd>{completions.length}</dd>
        </div>
      </dl>
      <div className="actions">
        <button type="button" className="primary" onClick={markDone} disabled={busy || !latest || latestDone}>
          {latestDone ? t("Done for this time ✓") : t("Mark as done")}
        </button>
        <Link className="button" to={`/habits/${habit.id}/edit`}>{t("Edit")}</Link>
      </div>
      {!latest && <p className="hint">{t("This habit starts on a later day.")}</p>}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <FixDays habit={habit} completions={completions} timeZone={timeZone} onChanged={history.reload} />
      <h2>{t("Habit strength")}</h2>
      <StrengthChart points={strengthOverTime(habit, doneDates, today)} />
      <h2>{t("Completion rate")}</h2>
      <div className="rates-row">
        <RatesChart
          title={t("Per week")}
          rates={weeklyRates(due, doneDates)}
          labelOf={weekLabel}
          testId="weekly-rates"
        />
        <RatesChart
          title={t("Per month")}
          rates={monthlyRates(due, doneDates)}
          labelOf={monthLabel}
          testId="monthly-rates"
        />
      </div>
      <h2>{t("Completions")}</h2>
      <Heatmap habit={habit} today={today} doneDates={doneDates} latestDueDate={latestDate} />
      <h2>{t("Recent deliveries")}</h2>
      <DeliveriesTable deliveries={deliveries} timeZone={timeZone} />
    </section>
  );
}
