import type { Database } from "../_shared/db.ts";
import type { DispatchReport } from "./dispatcher.ts";

/**
 * A run that ends with messages still deliverable (its working time ran out in a backlog) asks for
 * the next run at once, through pg_net as the tick does, instead of leaving the rest of the minute
 * idle until pg_cron's next tick. A run that found another holder (busy) asks for nothing: that
 * run is sending. Nor does a run that claimed nothing: what is left it could not take (rows locked
 * elsewhere), and asking at once would only start the same empty run again, a loop through pg_net
 * until the rows free up; the tick comes back to them. True when the next run was asked for.
 */
export async function startNextRunIfWorkLeft(
  db: Database,
  report: DispatchReport,
): Promise<boolean> {
  if (report.busy || report.claimed === 0) return false;
  const [row] = await db<{ kicked: boolean }[]>`
    select case when private.has_deliverable_notifications()
      then private.invoke_reminders_function() is not null else false end as kicked`;
  return row.kicked;
}
