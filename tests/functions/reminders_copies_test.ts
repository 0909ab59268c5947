/**
 * Issue 27, items 6 and 9a: a slow Telegram must not multiply reminders, and "maybe delivered"
 * counts only what could have been delivered. Driven through the Telegram stand-in's chaos mode:
 * `slow` (the message reaches the chat, the answer comes late), `drop_connection` (the message
 * reaches the chat, then the connection closes: accept-then-drop) and a 502 with nginx's HTML page.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  quietOutbox,
  type TestUser,
} from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { spawnFunctionProcess, startFunctionsForTests, TEST_REMINDERS_SECRET } from "../support/functions.ts";

// The function's own defaults for the send timeout (20 s) and the attempts (5). A working time
// shorter than a plain retry's 30 s, so that a run leaves a retry to the next run.
const FUNCTION_ENV = {
  REMINDERS_WORKING_TIME_MS: "28000",
  REMINDERS_DISPATCHER_LEASE_SECONDS: "3",
  REMINDERS_BATCH_SIZE: "20",
};

Deno.test("a slow or flaky Telegram makes at most one extra copy of a reminder", async (t) => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({ token: "123456:TEST-token-for-the-fake-bot-api" });
  const functions = await startFunctionsForTests(telegram.apiRoot, FUNCTION_ENV);
  const users: TestUser[] = [];
  const run = async () => {
    const response = await fetch(`${functions.url}/reminders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
    });
    return { status: response.status, body: await response.json() };
  };
  const rowsOf = (group: TestUser[]) =>
    sql<
      {
        status: string;
        attempts: number;
        maybe_delivered_attempts: number;
        last_error: string | null;
        wait: number;
      }[]
    >`
      select status, attempts, maybe_delivered_attempts, last_error,
        extract(epoch from next_attempt_at - now())::float as wait
      from public.notifications where owner_id = any(${group.map((user) => user.id)}::uuid[]) order by id`;
  /** Retries waiting out their backoff are due now: the next run is the next attempt. */
  const bringRetriesForward = (group: TestUser[]) =>
    sql`update public.notifications set next_attempt_at = now()
        where status = 'retry' and owner_id = any(${group.map((user) => user.id)}::uuid[])`;
  const copiesIn = (user: TestUser) => telegram.counters().deliveredPerChat[String(user.chatId)] ?? 0;
  const newUsers = async (count: number) => {
    const group = await Promise.all(Array.from({ length: count }, () => createTestUser(sql)));
    users.push(...group);
    for (const user of group) await createHabit(sql, user);
    return group;
  };

  try {
    await t.step(
      "no copies with every answer 15 s late: a slow answer is a wait, not a failure",
      async () => {
        await quietOutbox(sql);
        const group = await newUsers(3);
        telegram.chaos({
          kind: "slow",
          delayMs: 15_000,
          methods: ["sendMessage"],
          chats: group.map((user) => String(user.chatId)),
        });
        const first = await run();
        assert.equal(first.status, 200);
        assert.equal(first.body.maybeDelivered, 0, "no send was given up on");
        await bringRetriesForward(group);
        await run();
        for (const user of group) assert.equal(copiesIn(user), 1, "one message in the chat, not two");
        for (const row of await rowsOf(group)) {
          assert.equal(row.status, "sent");
          assert.equal(row.maybe_delivered_attempts, 0);
        }
      },
    );

    await t.step(
      "at most one extra copy of any message with accept-then-drop: resent once, after a growing wait, then unconfirmed",
      async () => {
        await quietOutbox(sql);
        const group = await newUsers(3);
        telegram.chaos({
          kind: "drop_connection",
          methods: ["sendMessage"],
          chats: group.map((user) => String(user.chatId)),
        });
        assert.equal((await run()).body.maybeDelivered, 3);
        for (const row of await rowsOf(group)) {
          assert.equal(row.status, "retry");
          assert.ok(
            row.wait > 55 && row.wait <= 60,
            `resent in ${row.wait} s: longer than a plain retry's 30 s`,
          );
        }
        // As many runs as a message has attempts: main resent it on each one.
        for (let attempt = 2; attempt <= 5; attempt++) {
          await bringRetriesForward(group);
          await run();
        }
        for (const user of group) {
          assert.equal(copiesIn(user), 2, "the message and one resend, no third copy");
        }
        for (const row of await rowsOf(group)) {
          assert.equal(row.status, "unconfirmed", "maybe delivered twice is not dead");
          assert.equal(row.maybe_delivered_attempts, 2, "every copy beyond the first has a recorded cause");
          expect(row.last_error).toMatch(/^maybe delivered 2 times; not sent again/);
        }
      },
    );

    await t.step(
      "a 502 with nginx's HTML page is not maybe delivered: a plain retry, sent once after it",
      async () => {
        await quietOutbox(sql);
        const [user] = await newUsers(1);
        // What Telegram's front end answers in an outage (docs: the Bot API reference's 502 note).
        telegram.chaos({
          kind: "server_error",
          status: 502,
          page: "nginx",
          methods: ["sendMessage"],
          chats: [String(user.chatId)],
          times: 1,
        });
        const first = await run();
        assert.equal(first.body.maybeDelivered, 0);
        assert.equal(first.body.retried, 1);
        const [row] = await rowsOf([user]);
        assert.equal(row.status, "retry");
        assert.equal(row.maybe_delivered_attempts, 0, "Telegram answered: nothing was delivered");
        expect(row.last_error).toBe(
          `502: Bad Gateway (an HTML page "502 Bad Gateway" from Telegram's front end, not the Bot API)`,
        );
        assert.ok(row.wait > 25 && row.wait <= 30, "a plain retry's 30 s");
        await bringRetriesForward([user]);
        assert.equal((await run()).body.sent, 1);
        assert.equal(copiesIn(user), 1, "delivered once: the counter is an upper bound on copies");
      },
    );

    await t.step(
      "a send timeout that would outlive the edge runtime's wall clock is refused by name",
      async () => {
        const misconfigured = spawnFunctionProcess("reminders", telegram.apiRoot, {
          REMINDERS_WORKING_TIME_MS: "110000",
        });
        try {
          const response = await misconfigured.fetch(
            new Request("http://function/reminders", {
              method: "POST",
              headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
            }),
          );
          assert.equal(response.status, 500);
          const body = await response.json();
          expect(body.problems.join(" ")).toContain(
            "REMINDERS_WORKING_TIME_MS + REMINDERS_SEND_TIMEOUT_SECONDS",
          );
        } finally {
          await misconfigured.stop();
        }
      },
    );
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await telegram.close();
    await sql.end();
  }
});
