/**
 * A send that cannot leave within the late tolerance of its slot (a busy machine) takes a new
 * slot, and costs the bot that one slot only (issue 27, the three-per-chat phase): its new slot is
 * taken with the next claim's, where its chat's gap, counted from the slot it gave up, is met
 * inside the claim's span. Taken alone, the new slot came a chat gap (1.1 s) after the voided one
 * and pushed every later slot past it: about half a second of the budget idle per late send.
 * The run is the real dispatcher against the test database; only the late departure is made up.
 */
import assert from "node:assert/strict";
import { connectDatabase } from "../../supabase/functions/_shared/db.ts";
import { createSendBudgetStore, SendBudget } from "../../supabase/functions/_shared/send-budget.ts";
import { dispatchOutbox } from "../../supabase/functions/reminders/dispatcher.ts";
import { createOutboxStore } from "../../supabase/functions/reminders/store.ts";
import { peopleWithHabits, quietOutbox, remindersDueNow, testDatabaseUrl } from "../support/database.ts";

const SPACING_MS = 1030 / 28;

/** The bot's budget, where the `lateAt`-th departure finds its slot passed (as a stalled process would). */
class OneLateDeparture extends SendBudget {
  departures = 0;
  constructor(store: ReturnType<typeof createSendBudgetStore>, private readonly lateAt: number) {
    super(store, { lateToleranceMs: 10 });
  }
  override async depart(slot: number): Promise<boolean> {
    const mayGo = await super.depart(slot);
    return ++this.departures === this.lateAt ? false : mayGo;
  }
}

Deno.test("a send too late for its slot costs the bot one slot, not half a second: the others keep the budget's spacing", async () => {
  const db = connectDatabase(testDatabaseUrl(), 5);
  await quietOutbox(db);
  const people = await peopleWithHabits(db, 60);
  try {
    await remindersDueNow(db, people);
    const sentAt: number[] = [];
    const budget = new OneLateDeparture(createSendBudgetStore(db), 29);
    const report = await dispatchOutbox({
      store: createOutboxStore(db, { leaseSeconds: 120, maxAttempts: 5 }),
      send: () => Promise.resolve(sentAt.push(performance.now())),
      budget,
      batchSize: 30,
      workingTimeMs: 6_000,
      sendTimeoutMs: 1_000,
      dispatcherLeaseSeconds: 15,
    });
    assert.equal(report.sent, 60, JSON.stringify(report));
    assert.ok(report.slotsRetaken >= 1, JSON.stringify(report));
    const gaps = sentAt.slice(1).map((at, i) => at - sentAt[i]);
    const longest = Math.max(...gaps);
    console.log(
      `slots retaken: ${report.slotsRetaken}; the longest gap between sends: ${Math.round(longest)} ms`,
    );
    // The voided slot leaves one spacing empty: two spacings between its neighbours, and jitter.
    assert.ok(longest <= 2 * SPACING_MS + 40, `the longest gap between sends was ${Math.round(longest)} ms`);
  } finally {
    await quietOutbox(db);
    await db`delete from auth.users where id = any(${people.map((u) => u.id)}::uuid[])`;
    await db.end();
  }
});
