/**
 * The hand-over between runs costs no send time (issue 27, the three-per-chat phase): a run that
 * stops claiming with a backlog asks for the next run then, before it sends its last slots, and
 * the next run waits for the lease instead of answering busy, so that however long asking takes
 * (pg_net's latency, a cold start), the next run's first send follows the last run's last send as
 * any send follows another: one spacing of the bot's budget (1,030 ms / 28), within a margin.
 */
import assert from "node:assert/strict";
import { connectTestDatabase, peopleWithHabits, quietOutbox, remindersDueNow } from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { startFunctionsForTests, TEST_BOT_TOKEN, TEST_REMINDERS_SECRET } from "../support/functions.ts";
import { startHandOverPath } from "../support/hand-over.ts";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";

const SPACING_MS = 1030 / 28;
/** How long asking for a run takes to reach the function. */
const HAND_OVER_LATENCY_MS = 300;
/** What a seam may cost beyond one spacing: the lease's poll, a claim and its slots. */
const SEAM_MARGIN_MS = 120;

Deno.test("the next run's first send follows the last run's last send within one spacing and 120 ms, even when asking for it takes 300 ms", async () => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN, enforceRateLimits: true });
  const functions = await startFunctionsForTests(telegram.apiRoot, {
    // Each run starts sends for 2.5 s (4 s less the 1 s send timeout and 0.5 s to record): 150
    // reminders at 28 a second take two runs and a part of a third.
    REMINDERS_WORKING_TIME_MS: "4000",
    REMINDERS_SEND_TIMEOUT_SECONDS: "1",
    REMINDERS_DISPATCHER_LEASE_SECONDS: "5",
  });
  const run = async () => {
    const response = await fetch(`${functions.url}/reminders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
    });
    return await response.json() as Record<string, number | boolean>;
  };
  await quietOutbox(sql);
  const people = await peopleWithHabits(sql, 150);
  const handOvers = await startHandOverPath(sql, {
    dbUrl: Deno.env.get("TEST_DB_URL")!,
    functionsUrl: functions.url,
    remindersSecret: TEST_REMINDERS_SECRET,
    delayMs: HAND_OVER_LATENCY_MS,
  });
  try {
    await run(); // boots the function
    await remindersDueNow(sql, people);
    const first = await run();
    for (let waited = 0; telegram.callsOf("sendMessage").length < 150 && waited < 20_000; waited += 100) {
      await sleep(100);
    }
    // The last run's report arrives once it has recorded.
    await sleep(1_500);
    const reports = [first, ...await handOvers.runReports()].filter((report) => report.busy === false);
    const sends = telegram.callsOf("sendMessage").map((call) => call.at);
    assert.equal(sends.length, 150, "every reminder sent once");
    assert.equal(telegram.rateLimited, 0, "no 429");
    assert.ok(reports.length >= 3, `three runs at least: ${JSON.stringify(reports)}`);
    let sent = 0;
    for (const report of reports.slice(0, -1)) {
      sent += Number(report.sent);
      const seam = sends[sent] - sends[sent - 1];
      console.log(`the seam after send ${sent}: ${Math.round(seam)} ms`);
      assert.ok(
        seam <= SPACING_MS + SEAM_MARGIN_MS,
        `the seam after send ${sent} took ${Math.round(seam)} ms (runs: ${JSON.stringify(reports)})`,
      );
    }
  } finally {
    await handOvers.close();
    await quietOutbox(sql);
    await sql`delete from auth.users where id = any(${people.map((u) => u.id)}::uuid[])`;
    await functions.close();
    await telegram.close();
    await sql.end();
  }
});
