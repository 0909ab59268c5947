import type { Database } from "../_shared/db.ts";
import type { DispatchReport } from "./dispatcher.ts";

/**
 * Asks for a run through pg_net, as the tick does, when messages are deliverable. True when asked.
 * A run asks as soon as it stops claiming with its send time used up (a backlog): the next run is
 * there, waiting for the lease, when this one has sent its last slots and gives it up.
 */
export async function askForNextRun(db: Database): Promise<boolean> {
  const [row] = await db<{ kicked: boolean }[]>`
    select case when private.has_deliverable_notifications()
      then private.invoke_reminders_function() is not null else false end as kicked`;
  return row.kicked;
}

/**
 * After a run, asks for the next one when work is left and no run took over (the one asked for
 * as this run stopped claiming did not come, or none was asked: the rest became deliverable
 * later), instead of leaving the rest of the minute idle until pg_cron's next tick. A run that
 * found another holder (busy) asks for nothing: that run is sending. Nor does a run that claimed
 * nothing: what is left it could not take (rows locked elsewhere), and asking at once would only
 * start the same empty run again, a loop through pg_net until the rows free up; the tick comes
 * back to them. True when the next run was asked for.
 */
export async function startNextRunIfWorkLeft(
  db: Database,
  report: DispatchReport,
): Promise<boolean> {
  if (report.busy || report.claimed === 0 || report.handedOver) return false;
  return await askForNextRun(db);
}
