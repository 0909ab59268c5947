import type postgres from "postgres";
import { TEST_REMINDERS_SECRET } from "./functions.ts";

/** Runs the reminders dispatcher (as the tick does) until nothing of `ownerId`'s due now is left to send. */
export async function deliverOutbox(
  sql: postgres.Sql,
  functionsUrl: string,
  ownerId: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.notifications
      where owner_id = ${ownerId}
        and (status = 'sending' or (status in ('pending', 'retry') and next_attempt_at <= now()))`;
    if (row.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${row.n} messages still queued after ${timeoutMs} ms`);
    const response = await fetch(`${functionsUrl}/reminders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
    });
    await response.body?.cancel();
  }
}
