import { Link, useParams } from "react-router";
import { habitSentence, intervalText } from "../habits/habit-text.ts";
import { fetchHabit } from "../habits/habits-api.ts";
import { dueDates, localDate, occurrenceToMarkDone, streaks } from "../habits/schedule.ts";
import type { Habit, HabitCompletion, Notification } from "../lib/database.ts";
import { useQuery } from "../lib/use-query.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { DeliveriesTable } from "./DeliveriesTable.tsx";
import { Heatmap } from "./Heatmap.tsx";
import { fetchCompletions, fetchRecentDeliveries } from "./history-api.ts";
import { markOccurrenceDone } from "./mark-done.ts";

interface HabitHistory {
  habit: Habit;
  completions: HabitCompletion[];
  deliveries: Notification[];
}

async function fetchHistory(habitId: string): Promise<HabitHistory> {
  const [habit, completions, deliveries] = await Promise.all([
    fetchHabit(habitId),
    fetchCompletions(habitId),
    fetchRecentDeliveries(habitId),
  ]);
  return { habit, completions, deliveries };
}

export function HistoryPage() {
  usePageTitle("History");
  const { habitId = "" } = useParams();
  const history = useQuery(() => fetchHistory(habitId), [habitId]);
  const profile = useProfile();
  const { busy, message, run } = useAction();

  if (history.error) {
    return (
      <section>
        <h1>History</h1>
        <Alert kind="error">{history.error}</Alert>
        <Link to="/habits">Back to my habits</Link>
      </section>
    );
  }
  if (!history.data || !profile.data) {
    return <Loading label="Loading the history…" />;
  }

  const { habit, completions, deliveries } = history.data;
  const timeZone = profile.data.timezone;
  const now = new Date();
  const doneDates = new Set(
    completions.map((completion) => localDate(new Date(completion.occurrence_at), timeZone)),
  );
  const latest = occurrenceToMarkDone(habit, timeZone, now);
  // Today's occurrence counts as due once it can be marked, even before its time.
  const due = dueDates(habit, timeZone, latest && latest > now ? latest : now);
  const { current, best } = streaks(due, doneDates);
  const latestDate = latest ? localDate(latest, timeZone) : null;
  const latestDone = latestDate !== null && doneDates.has(latestDate);

  const markDone = () =>
    run(async () => {
      const text = await markOccurrenceDone(habit, timeZone);
      history.reload();
      return text;
    });

  return (
    <section>
      <p>
        <Link to="/habits">← My habits</Link>
      </p>
      <h1>{habitSentence(habit)}</h1>
      <p className="meta">
        {intervalText(habit.interval_days)} · since {habit.starts_on} · times in {timeZone}
      </p>
      <dl className="stats">
        <div>
          <dt>Current streak</dt>
          <dd data-testid="current-streak">{current}</dd>
        </div>
        <div>
          <dt>Best streak</dt>
          <dd data-testid="best-streak">{best}</dd>
        </div>
        <div>
          <dt>Done in total</dt>
          <dd>{completions.length}</dd>
        </div>
      </dl>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={markDone}
          disabled={busy || !latest || latestDone}
        >
          {latestDone ? "Done for this time ✓" : "Mark as done"}
        </button>
        <Link className="button" to={`/habits/${habit.id}/edit`}>Edit</Link>
      </div>
      {!latest && <p className="hint">This habit starts on a later day.</p>}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <h2>Completions</h2>
      <Heatmap
        habit={habit}
        today={localDate(now, timeZone)}
        doneDates={doneDates}
        latestDueDate={latestDate}
      />
      <h2>Recent deliveries</h2>
      <DeliveriesTable deliveries={deliveries} timeZone={timeZone} />
    </section>
  );
}
