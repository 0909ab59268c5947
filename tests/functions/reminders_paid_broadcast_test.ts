import assert from "node:assert/strict";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
} from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { startFunctionsForTests, TEST_BOT_TOKEN, TEST_REMINDERS_SECRET } from "../support/functions.ts";

Deno.test("the Telegram stand-in allows more than 30 a second only to paid broadcasts, and one a second per chat to all", async () => {
  const telegram = await startFakeTelegram({
    token: TEST_BOT_TOKEN,
    enforceRateLimits: true,
  });
  const send = async (chatId: number, paid: boolean) => {
    const response = await fetch(
      `${telegram.apiRoot}/bot${TEST_BOT_TOKEN}/sendMessage`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          chat_id: chatId,
          text: "hello",
          ...(paid ? { allow_paid_broadcast: true } : {}),
        }),
      },
    );
    return await response.json() as { ok: boolean; error_code?: number };
  };
  const burst = (firstChat: number, paid: boolean) =>
    Promise.all(
      Array.from({ length: 60 }, (_, i) => send(firstChat + i, paid)),
    );
  try {
    const free = await burst(7_100_000, false);
    assert.ok(
      free.filter((answer) => answer.ok).length <= 30,
      "at most 30 free sends pass in a second",
    );
    assert.ok(
      free.some((answer) => answer.error_code === 429),
      "the rest are answered 429",
    );

    const paid = await burst(7_200_000, true);
    assert.deepEqual(
      paid.filter((answer) => !answer.ok),
      [],
      "60 paid sends in a second all pass",
    );
    assert.equal(
      (await send(7_200_000, true)).error_code,
      429,
      "a paid send keeps the chat's one-a-second limit",
    );
  } finally {
    await telegram.close();
  }
});

Deno.test("REMINDERS_PAID_BROADCAST: the function sets allow_paid_broadcast and sends a burst faster than 30 a second, with no 429", async () => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({
    token: TEST_BOT_TOKEN,
    enforceRateLimits: true,
  });
  const env = {
    REMINDERS_WORKING_TIME_MS: "20000",
    REMINDERS_SEND_TIMEOUT_SECONDS: "5",
    REMINDERS_DISPATCHER_LEASE_SECONDS: "3",
  };
  const users: TestUser[] = [];
  const runOnce = async (paid: boolean, count: number) => {
    await sql`update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending')`;
    for (let i = 0; i < count; i++) {
      const user = await createTestUser(sql);
      users.push(user);
      await createHabit(sql, user); // queues its "habit created" message
    }
    telegram.reset();
    const functions = await startFunctionsForTests(telegram.apiRoot, {
      ...env,
      ...(paid ? { REMINDERS_PAID_BROADCAST: "true" } : {}),
    });
    try {
      const response = await fetch(`${functions.url}/reminders`, {
        method: "POST",
        headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
      });
      return {
        report: await response.json() as { sent: number },
        sends: telegram.callsOf("sendMessage"),
      };
    } finally {
      await functions.close();
    }
  };
  try {
    const paid = await runOnce(true, 90);
    assert.equal(paid.report.sent, 90);
    assert.equal(telegram.rateLimited, 0, "no 429");
    assert.ok(
      paid.sends.every((call) => call.payload.allow_paid_broadcast === true),
    );
    const windowMs = paid.sends.at(-1)!.at - paid.sends[0].at;
    assert.ok(
      windowMs < 2_000,
      `90 messages left within ${Math.round(windowMs)} ms (30 a second needs 3 s)`,
    );

    const normal = await runOnce(false, 3);
    assert.equal(normal.report.sent, 3);
    assert.ok(
      normal.sends.every((call) => !("allow_paid_broadcast" in call.payload)),
      "off by default",
    );
  } finally {
    await deleteTestUsers(sql, users);
    await telegram.close();
    await sql.end();
  }
});
