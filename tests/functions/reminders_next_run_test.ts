/**
 * A backlog goes on at once (issue 27, the ceiling): a run that stops claiming after its working
 * time with messages still deliverable asks for the next run through pg_net, as the tick does,
 * instead of leaving the rest of the minute idle until pg_cron's next tick. A run that empties the
 * outbox asks for nothing.
 */
import assert from "node:assert/strict";
import {
  connectTestDatabase,
  peopleWithHabits,
  quietOutbox,
  remindersDueNow,
  type TestUser,
} from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { startFunctionsForTests, TEST_BOT_TOKEN, TEST_REMINDERS_SECRET } from "../support/functions.ts";

/** Where the test's Vault points the kick: nothing listens there; the request only waits in the queue. */
const PROJECT_URL = "http://127.0.0.1:9/next-run-test";

Deno.test("a run that ends with work left starts the next run at once, through pg_net", async (t) => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN, enforceRateLimits: true });
  const functions = await startFunctionsForTests(telegram.apiRoot, {
    // The last send starts by 1.5 s (3 s less the 1 s send timeout and the 0.5 s kept to record).
    REMINDERS_WORKING_TIME_MS: "3000",
    REMINDERS_SEND_TIMEOUT_SECONDS: "1",
    REMINDERS_DISPATCHER_LEASE_SECONDS: "3",
  });
  const users: TestUser[] = [];
  const kicks = async () =>
    (await sql<{ n: number }[]>`
      select count(*)::int as n from net.http_request_queue where url = ${
      PROJECT_URL + "/functions/v1/reminders"
    }`)[0]
      .n;
  const run = async () => {
    const response = await fetch(`${functions.url}/reminders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
    });
    return await response.json() as { sent: number; claimed: number };
  };
  try {
    await sql`delete from vault.secrets where name in ('project_url', 'reminders_secret')`;
    await sql`select vault.create_secret(${PROJECT_URL}, 'project_url')`;
    await sql`select vault.create_secret(${TEST_REMINDERS_SECRET}, 'reminders_secret')`;
    await quietOutbox(sql);
    await run(); // boots the function

    await t.step(
      "100 reminders, 1.5 s of working time at 28 a second: the run asks for the next one",
      async () => {
        await quietOutbox(sql);
        const people = await peopleWithHabits(sql, 100);
        users.push(...people);
        await remindersDueNow(sql, people);
        const before = await kicks();
        const report = await run();
        assert.ok(report.sent > 0 && report.sent < 100, `a part was sent: ${report.sent}`);
        assert.ok(await kicks() >= before + 1, "the next run was asked for");
      },
    );

    await t.step("a run that empties the outbox asks for nothing", async () => {
      await quietOutbox(sql);
      const people = await peopleWithHabits(sql, 3);
      users.push(...people);
      await remindersDueNow(sql, people);
      const before = await kicks();
      const report = await run();
      assert.equal(report.sent, 3);
      assert.equal(await kicks(), before);
    });

    await t.step("a run that could claim nothing asks for nothing, even with rows waiting", async () => {
      await quietOutbox(sql);
      const people = await peopleWithHabits(sql, 1);
      users.push(...people);
      await remindersDueNow(sql, people);
      const before = await kicks();
      // The waiting row is locked elsewhere (the claim skips locked rows): deliverable, not claimable.
      const report = await sql.begin(async (tx) => {
        await tx`select id from public.notifications
          where owner_id = ${people[0]!.id} and status in ('pending', 'retry') for update`;
        return await run();
      });
      assert.equal(report.claimed, 0);
      assert.equal(await kicks(), before, "no next run: it would find the same rows locked");
    });
  } finally {
    await sql`delete from net.http_request_queue where url like ${PROJECT_URL + "%"}`;
    await sql`delete from vault.secrets where name in ('project_url', 'reminders_secret')`;
    await quietOutbox(sql);
    await sql`delete from auth.users where id = any(${users.map((u) => u.id)}::uuid[])`;
    await functions.close();
    await telegram.close();
    await sql.end();
  }
});
