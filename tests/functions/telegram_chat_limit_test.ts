/**
 * One message a second per chat, shared by the webhook's replies and the reminders dispatcher,
 * against the Telegram stand-in with its real limits on (issue 11, as found by issue 10's whole
 * loop): a Done pressed right after a reminder is recorded and answered without a 429 or a 500;
 * a reply Telegram refuses longer than the webhook waits never starts a redelivery loop; and a
 * queued message Telegram refused with a 429 goes out as soon as retry_after allows.
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
import { type RecordedCall, startFakeTelegram } from "../support/fake-telegram.ts";
import {
  startFunctionsForTests,
  TEST_BOT_TOKEN,
  TEST_REMINDERS_SECRET,
  TEST_WEBHOOK_SECRET,
} from "../support/functions.ts";
import { buttonPress, postUpdate, textMessage } from "../support/telegram-updates.ts";

/** Telegram's own per-chat limit, as the stand-in enforces it. */
const TELEGRAM_CHAT_GAP_MS = 1000;

function smallestGap(sends: RecordedCall[]): number {
  const times = sends.map((call) => call.at).sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, times[i] - times[i - 1]);
  return gap;
}

Deno.test("one message a second per chat, whichever function sends it", async (t) => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN, enforceRateLimits: true });
  const functions = await startFunctionsForTests(telegram.apiRoot, {
    REMINDERS_WORKING_TIME_MS: "8000",
    // A run ends within its working time: its last send starts by 8 s less this.
    REMINDERS_SEND_TIMEOUT_SECONDS: "2",
    REMINDERS_DISPATCHER_LEASE_SECONDS: "3",
  });
  const users: TestUser[] = [];
  const press = async (update: unknown) => {
    const response = await postUpdate(`${functions.url}/telegram-webhook`, update, TEST_WEBHOOK_SECRET);
    return { status: response.status, body: await response.json() };
  };
  const runReminders = async () => {
    const response = await fetch(`${functions.url}/reminders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
    });
    assert.equal(response.status, 200);
    return await response.json();
  };
  const sendsTo = (user: TestUser) =>
    telegram.callsOf("sendMessage").filter((call) => String(call.payload.chat_id) === String(user.chatId));
  const completions = async (habit: string) =>
    (await sql<
      { n: number }[]
    >`select count(*)::int as n from public.habit_completions where habit_id = ${habit}`)[0]
      .n;
  /**
   * A fresh chat with one habit and one reminder in `status` (sendable in `inSeconds`). Its
   * "habit created" message stays queued only when `keepCreated`.
   */
  const chatWithReminder = async (
    action: string,
    reminder: { status: "pending" | "retry" | "sent"; inSeconds?: number; keepCreated?: boolean },
  ) => {
    await quietOutbox(sql);
    telegram.reset();
    const user = await createTestUser(sql);
    users.push(user);
    const habit = await createHabit(sql, user, { action });
    if (!reminder.keepCreated) {
      await sql`update public.notifications set status = 'skipped' where habit_id = ${habit}`;
    }
    const [row] = await sql<{ id: bigint }[]>`
      insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status, next_attempt_at)
      values (${habit}, ${user.id}, 'reminder', date_trunc('minute', now()), date_trunc('minute', now()),
        ${reminder.status}, now() + make_interval(secs => ${reminder.inSeconds ?? 0}))
      returning id`;
    return { user, habit, done: buttonPress(user.chatId, `done:${row.id}`) };
  };

  try {
    await t.step(
      "per-chat limit shared: Done pressed right after a reminder is recorded and answered, no 429, no 500, no redelivery",
      async () => {
        const { user, habit, done } = await chatWithReminder("stretch", {
          status: "pending",
          keepCreated: true,
        });
        // "Habit created", then the reminder 1.1 s later, both from one run.
        await runReminders();
        expect(sendsTo(user).map((call) => String(call.payload.text))).toEqual([
          expect.stringContaining("New habit"),
          expect.stringContaining("Time for your habit"),
        ]);
        assert.deepEqual(await press(done), { status: 200, body: { ok: true } });
        assert.equal(await completions(habit), 1);
        expect(String(sendsTo(user).at(-1)?.payload.text)).toContain("is recorded");
        assert.equal(telegram.counters().rateLimited, 0, "no send was refused with a 429");
        expect(smallestGap(sendsTo(user))).toBeGreaterThanOrEqual(TELEGRAM_CHAT_GAP_MS);
      },
    );

    await t.step(
      "per-chat limit shared: a reminder right after the webhook's reply waits out the chat's gap (no 429)",
      async () => {
        const { user } = await chatWithReminder("walk", { status: "pending" });
        assert.equal((await press(textMessage(user.chatId, "/help"))).status, 200);
        const report = await runReminders();
        assert.equal(report.sent, 1);
        assert.equal(report.rateLimited + report.rateLimitWaits, 0);
        assert.equal(telegram.counters().rateLimited, 0);
        assert.equal(sendsTo(user).length, 2);
        expect(smallestGap(sendsTo(user))).toBeGreaterThanOrEqual(TELEGRAM_CHAT_GAP_MS);
      },
    );

    await t.step(
      "no 500 loop: a reply refused with a 429 longer than the webhook waits leaves the completion recorded and the update handled",
      async () => {
        const { user, habit, done } = await chatWithReminder("floss", { status: "sent" });
        telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 60 }, {
          chatId: user.chatId,
        });
        const started = performance.now();
        const answer = await press(done);
        assert.equal(answer.status, 200);
        assert.equal(answer.body.undeliverable, true);
        expect(performance.now() - started).toBeLessThan(5_000);
        assert.equal(await completions(habit), 1);
        // Telegram's redelivery (had it come) is a duplicate, not another failing attempt.
        assert.deepEqual(await press(done), { status: 200, body: { ok: true, duplicate: true } });
        assert.equal(await completions(habit), 1);
      },
    );

    await t.step(
      "a reply refused with a short 429 is sent once retry_after is over, in the same request",
      async () => {
        const { user, habit, done } = await chatWithReminder("read", { status: "sent" });
        telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 1 }, {
          chatId: user.chatId,
        });
        assert.deepEqual(await press(done), { status: 200, body: { ok: true } });
        expect(String(sendsTo(user).at(-1)?.payload.text)).toContain("is recorded");
        assert.equal(await completions(habit), 1);
      },
    );

    await t.step(
      "an already answered callback query (a redelivered Done) never fails the update",
      async () => {
        const { user, habit, done } = await chatWithReminder("stretch twice", { status: "sent" });
        // The first delivery answers the button, then its reply fails: Telegram delivers it again.
        telegram.failNext("sendMessage", { kind: "server_error" }, { chatId: user.chatId });
        assert.equal((await press(done)).status, 503);
        // The 400 for the answered query is taken as answered: the update is handled, not refused.
        assert.deepEqual(await press(done), { status: 200, body: { ok: true } });
        assert.equal(await completions(habit), 1);
        assert.deepEqual(await press(done), { status: 200, body: { ok: true, duplicate: true } });
      },
    );

    await t.step(
      "a 429 on a queued message: sent within retry_after + 1 s by the same run, not at the next tick",
      async () => {
        const { user } = await chatWithReminder("drink water", { status: "pending" });
        telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 2 }, {
          chatId: user.chatId,
        });
        const report = await runReminders();
        assert.equal(report.sent, 1);
        const [refused, sent] = sendsTo(user);
        assert.ok(sent, "the message was sent again");
        expect(sent.at - refused.at).toBeGreaterThanOrEqual(2_000);
        expect(sent.at - refused.at).toBeLessThan(3_000);
      },
    );

    await t.step(
      "a 429 on a queued message: a run with nothing sendable yet stays until retry_after allows, not the next tick",
      async () => {
        // As an earlier run left it after a 429 with retry_after 2.
        const { user } = await chatWithReminder("meditate", { status: "retry", inSeconds: 2 });
        const started = performance.now();
        const report = await runReminders();
        const took = performance.now() - started;
        assert.equal(report.sent, 1);
        assert.equal(sendsTo(user).length, 1);
        expect(took).toBeGreaterThanOrEqual(1_900);
        expect(took).toBeLessThan(3_000);
      },
    );
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await telegram.close();
    await sql.end();
  }
});
