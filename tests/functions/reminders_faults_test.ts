/**
 * The reminders function's promises under Telegram's real behaviour (issue 11): a 429 is not a
 * failure, exactly one request per attempt when Telegram answers late, Telegram's limits across
 * overlapping runs, fairness between accounts, a 403 stopping a chat's queue, and error bodies
 * without internals.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { expect } from "expect";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  forgetSendBudget,
  quietOutbox,
  testDatabaseUrl,
  type TestUser,
} from "../support/database.ts";
import { type RecordedCall, startFakeTelegram } from "../support/fake-telegram.ts";
import {
  spawnFunctionProcess,
  startFunctionsForTests,
  TEST_BOT_TOKEN,
  TEST_REMINDERS_SECRET,
} from "../support/functions.ts";

const FUNCTION_ENV = {
  REMINDERS_MAX_ATTEMPTS: "3",
  REMINDERS_SEND_TIMEOUT_SECONDS: "1",
  REMINDERS_WORKING_TIME_MS: "8000",
  REMINDERS_BATCH_SIZE: "20",
  REMINDERS_DISPATCHER_LEASE_SECONDS: "3",
};

/** The smallest gap between two sends to one chat, and the most sends in any one-second window. */
function limitFigures(sends: RecordedCall[]) {
  const byChat = new Map<string, number[]>();
  for (const call of sends) {
    const chat = String(call.payload.chat_id);
    byChat.set(chat, [...byChat.get(chat) ?? [], call.at]);
  }
  let smallestGap = Infinity;
  for (const times of byChat.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) smallestGap = Math.min(smallestGap, times[i] - times[i - 1]);
  }
  const times = sends.map((call) => call.at).sort((a, b) => a - b);
  let busiestSecond = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= 1000) i++;
    busiestSecond = Math.max(busiestSecond, j - i + 1);
  }
  return { smallestGap, busiestSecond };
}

Deno.test("reminders keep their promises when Telegram misbehaves and runs overlap", async (t) => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const functions = await startFunctionsForTests(telegram.apiRoot, FUNCTION_ENV);
  const endpoint = `${functions.url}/reminders`;
  const users: TestUser[] = [];
  const run = async () => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
    });
    return { status: response.status, body: await response.json() };
  };
  const messagesTo = (chatId: number) =>
    telegram.callsOf("sendMessage").filter((call) => call.payload.chat_id === String(chatId));
  const rowsOf = (user: TestUser) =>
    sql<
      { id: bigint; status: string; attempts: number; maybe_delivered_attempts: number; wait: number }[]
    >`
      select id, status, attempts, maybe_delivered_attempts, extract(epoch from next_attempt_at - now())::float as wait
      from public.notifications where owner_id = ${user.id} order by id`;
  const newUser = async () => {
    const user = await createTestUser(sql);
    users.push(user);
    return user;
  };
  const quiet = async () => {
    await quietOutbox(sql);
    telegram.reset();
  };

  try {
    await t.step(
      "a 429 is not a failed attempt: five 429s a run apart never kill a reminder, and it goes out after",
      async () => {
        await quiet();
        const user = await newUser();
        await createHabit(sql, user);
        for (let i = 0; i < 5; i++) {
          // retry_after longer than the run's working time: handed back with next_attempt_at exact.
          telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 30 }, {
            chatId: user.chatId,
          });
          const result = await run();
          assert.equal(result.body.rateLimited, 1);
          const [row] = await rowsOf(user);
          assert.equal(row.status, "retry");
          assert.equal(row.attempts, 0, "a 429 does not count as an attempt");
          assert.ok(row.wait > 29.5 && row.wait <= 30, `next attempt in ${row.wait} s, retry_after was 30`);
          await sql`update public.notifications set next_attempt_at = now() where id = ${row.id.toString()}`;
          await forgetSendBudget(sql); // the bot's pause (every sender's) has passed too
        }
        assert.equal((await run()).body.sent, 1);
        assert.equal((await rowsOf(user))[0].status, "sent");
      },
    );

    await t.step("a retry_after that fits the working time is waited out in the same run", async () => {
      await quiet();
      const user = await newUser();
      await createHabit(sql, user);
      telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 1 }, { chatId: user.chatId });
      const result = await run();
      assert.equal(result.body.sent, 1);
      const [refused, delivered] = messagesTo(user.chatId);
      assert.ok(
        delivered.at - refused.at >= 995,
        `sent again after ${delivered.at - refused.at} ms, not a tick`,
      );
    });

    await t.step(
      "exactly one send per attempt: Telegram answering after the timeout gets one request, the retry is counted as maybe delivered",
      async () => {
        await quiet();
        const user = await newUser();
        await createHabit(sql, user);
        // Telegram takes the message and answers after 2.5 s; the send timeout is 1 s.
        telegram.failNext("sendMessage", { kind: "hang", milliseconds: 2500 }, { chatId: user.chatId });
        const first = await run();
        assert.equal(first.body.maybeDelivered, 1);
        await sleep(3000);
        assert.equal(
          messagesTo(user.chatId).length,
          1,
          "the timed-out request was not sent again underneath",
        );
        const [row] = await rowsOf(user);
        assert.equal(row.status, "retry");
        assert.equal(row.maybe_delivered_attempts, 1);
        await sql`update public.notifications set next_attempt_at = now() where id = ${row.id.toString()}`;
        assert.equal((await run()).body.sent, 1);
        assert.equal(
          messagesTo(user.chatId).length,
          2,
          "at-least-once: one duplicate, from the maybe-delivered timeout, and counted",
        );
      },
    );

    await t.step(
      "exactly one send per attempt: a connection dropped after the message reached the chat is not resent underneath",
      async () => {
        await quiet();
        const user = await newUser();
        await createHabit(sql, user);
        // Earlier steps left keep-alive connections a pooling client would reuse (and resend on).
        telegram.chaos({
          kind: "drop_connection",
          methods: ["sendMessage"],
          chats: [String(user.chatId)],
          times: 1,
        });
        const first = await run();
        assert.equal(first.body.maybeDelivered, 1);
        assert.equal(messagesTo(user.chatId).length, 1, "one request for the one attempt");
        assert.equal(telegram.counters().deliveredPerChat[String(user.chatId)], 1);
        const [row] = await rowsOf(user);
        assert.equal(row.maybe_delivered_attempts, 1, "recorded as maybe delivered");
      },
    );

    await t.step(
      "Telegram's limits across overlapping runs: quick inserts and concurrent runs keep 1 s per chat and 30/s per bot",
      async () => {
        await quiet();
        const one = await newUser();
        const crowd = await Promise.all(Array.from({ length: 40 }, () => newUser()));
        const runs: Promise<{ status: number; body: Record<string, unknown> }>[] = [];
        for (let i = 0; i < 8; i++) {
          await createHabit(sql, one, { action: `quick ${i}` });
          runs.push(run());
        }
        await Promise.all(crowd.map((user) => createHabit(sql, user)));
        for (let i = 0; i < 4; i++) runs.push(run());
        const results = await Promise.all(runs);
        for (const result of results) assert.equal(result.status, 200);
        // Whatever the overlapping runs left to the next one (the lease changes hands) goes out now.
        while (
          (await sql`select 1 from public.notifications where status in ('pending', 'retry', 'sending')`)
            .length
        ) {
          await sleep(500);
          await run();
        }
        assert.equal(messagesTo(one.chatId).length, 8);
        const figures = limitFigures(telegram.callsOf("sendMessage"));
        assert.ok(
          figures.smallestGap >= 1000,
          `smallest gap to one chat: ${figures.smallestGap.toFixed(1)} ms`,
        );
        assert.ok(figures.busiestSecond <= 30, `busiest second: ${figures.busiestSecond} messages`);
      },
    );

    await t.step(
      "fairness: an account with 100 queued messages does not delay another account's message",
      async () => {
        await quiet();
        const busy = await newUser();
        await sql`
          insert into public.habits (owner_id, action, place, time, duration_seconds)
          select ${busy.id}, 'bulk ' || i, 'home', '07:00', 30 from generate_series(1, 100) i`;
        const other = await newUser();
        await createHabit(sql, other, { action: "the other person's habit" });
        const running = run();
        await telegram.waitFor(() => messagesTo(other.chatId).length === 1, 5_000);
        const sends = telegram.callsOf("sendMessage");
        const position = sends.findIndex((call) => call.payload.chat_id === String(other.chatId));
        assert.ok(position <= 1, `the other account's message was send number ${position + 1}`);
        await running;
      },
    );

    await t.step("the per-account cap refuses a 101st habit with its own rule", async () => {
      const [{ n }] = await sql`select count(*)::int as n from public.habits h
        join public.profiles p on p.id = h.owner_id where p.telegram_chat_id is not null
        group by h.owner_id order by 1 desc limit 1`;
      assert.equal(n, 100);
      const busy = users.at(-2)!;
      await assert.rejects(() => createHabit(sql, busy), /habits_per_account_limit/);
    });

    await t.step(
      "a 403 stops everything queued for that chat, including messages already claimed",
      async () => {
        await quiet();
        const user = await newUser();
        for (const action of ["one", "two", "three"]) await createHabit(sql, user, { action });
        telegram.failNext("sendMessage", { kind: "blocked" }, { chatId: user.chatId });
        await run();
        assert.equal(messagesTo(user.chatId).length, 1, "nothing was sent after the 403");
        const rows = await rowsOf(user);
        assert.deepEqual(rows.map((row) => row.status).sort(), ["dead", "skipped", "skipped"]);
      },
    );

    await t.step("an error body gives no internals (host, port, driver message)", async () => {
      const unreachable = new URL(testDatabaseUrl());
      const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      unreachable.port = String(closed.addr.port);
      closed.close();
      const broken = spawnFunctionProcess("reminders", telegram.apiRoot, {
        ...FUNCTION_ENV,
        SUPABASE_DB_URL: unreachable.href,
      });
      try {
        const response = await broken.fetch(
          new Request("http://function/reminders", {
            method: "POST",
            headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
          }),
        );
        assert.equal(response.status, 500);
        const text = await response.text();
        expect(text).not.toContain("ECONNREFUSED");
        expect(text).not.toContain("127.0.0.1");
        expect(text).not.toContain(unreachable.port);
        expect(JSON.parse(text).error).toBe("internal_error");
      } finally {
        await broken.stop();
      }
    });
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await telegram.close();
    await sql.end();
  }
});
