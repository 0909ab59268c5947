/**
 * pg_cron's command for the tick (cron.job 'reminder-tick'), run as pg_cron runs it: one simple
 * query at top level. With nothing queued ahead (after an outage) it queues a burst of due
 * reminders a batch of `reminder_tick_batch` per committed transaction, until a batch writes
 * nothing (issue 27), and every due occurrence is queued exactly once.
 */
import assert from "node:assert/strict";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
} from "../support/database.ts";

Deno.test("pg_cron's tick command queues a burst with nothing queued ahead in committed batches, each occurrence once", async () => {
  const sql = connectTestDatabase();
  const users: TestUser[] = [];
  const [{ batch }] = await sql<{ batch: number }[]>`
    select value as batch from private.settings where name = 'reminder_tick_batch'`;
  try {
    const [{ due }] = await sql<
      { due: Date }[]
    >`select date_trunc('minute', now()) - interval '1 minute' as due`;
    const habits: string[] = [];
    for (let i = 0; i < 7; i++) {
      const user = await createTestUser(sql);
      users.push(user);
      habits.push(await createHabit(sql, user, { time: due.toISOString().slice(11, 16) }));
    }
    // Due a minute ago and not queued ahead, as after an outage.
    await sql`update public.habits set next_reminder_at = ${due} where id = any(${habits}::uuid[])`;
    await sql`update private.settings set value = 3 where name = 'reminder_tick_batch'`;

    const [{ command }] = await sql<{ command: string }[]>`
      select command from cron.job where jobname = 'reminder-tick'`;
    await sql.unsafe(command).simple();

    const rows = await sql<{ habit_id: string; queued: number; transactions: number }[]>`
      select habit_id, count(*)::int as queued, count(distinct xmin::text)::int as transactions
      from public.notifications
      where habit_id = any(${habits}::uuid[]) and kind = 'reminder' and due_at = ${due}
      group by habit_id`;
    assert.equal(rows.length, 7, "every due habit has its reminder");
    assert.ok(rows.every((row) => row.queued === 1), "each due occurrence is queued exactly once");
    const [{ transactions }] = await sql<{ transactions: number }[]>`
      select count(distinct xmin::text)::int as transactions from public.notifications
      where habit_id = any(${habits}::uuid[]) and kind = 'reminder' and due_at = ${due}`;
    assert.ok(
      transactions >= 3,
      `7 reminders at a batch of 3 take at least 3 transactions (took ${transactions})`,
    );
    const [{ advanced }] = await sql<{ advanced: number }[]>`
      select count(*)::int as advanced from public.habits
      where id = any(${habits}::uuid[]) and next_reminder_at = ${due}::timestamptz + interval '1 day'`;
    assert.equal(advanced, 7, "every habit moved on to its next occurrence");
  } finally {
    await sql`update private.settings set value = ${batch} where name = 'reminder_tick_batch'`;
    await deleteTestUsers(sql, users);
    await sql.end();
  }
});
