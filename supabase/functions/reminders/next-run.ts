import type { Database } from "../_shared/db.ts";
import type { DispatchReport } from "./dispatcher.ts";

/**
 * A run that ends with messages still deliverable (its working time ran out in a backlog) asks for
 * the next run at once, through pg_net as the tick does, instead of leaving the rest of the minute
 * idle until pg_cron's next tick. A run that found another holder (busy) asks for nothing: that
 * run is sending. True when the next run was asked for.
 */
export async function startNextRunIfWorkLeft(
  db: Database,
  report: DispatchReport,
): Promise<boolean> {
  if (report.busy) return false;
  const [row] = await db<{ kicked: boolean }[]>`
    select case when private.has_deliverable_notifications()
      then private.invoke_reminders_function() is not null else false end as kicked`;
  return row.kicked;
}
