/**
 * Telegram's limits are the bot's, whoever sends (issue 27, items 1 and 5): the reminders
 * dispatcher and the webhook's replies, in two instances each, take their sends from one budget
 * in Postgres. Driven through the strict Telegram stand-in (devstack/telegram/) with its limits
 * on (30 a second per bot, one a second per chat, 429 with retry_after beyond them) and its chaos
 * mode for an announced retry_after.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import {
  connectTestDatabase,
  peopleWithHabits,
  quietOutbox,
  remindersDueNow,
  type TestUser,
  uniqueChatId,
} from "../support/database.ts";
import { type RecordedCall, startFakeTelegram } from "../support/fake-telegram.ts";
import {
  spawnFunctionProcess,
  startFunctionsForTests,
  TEST_BOT_TOKEN,
  TEST_REMINDERS_SECRET,
  TEST_WEBHOOK_SECRET,
} from "../support/functions.ts";
import { postUpdate, textMessage } from "../support/telegram-updates.ts";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";

/** What the README promises: at most 28 messages in any one second, for the bot as a whole. */
const BOT_MESSAGES_PER_SECOND = 28;

/** The largest number of calls in any window of `windowMs` (half-open). */
function mostInAnyWindow(calls: RecordedCall[], windowMs: number): number {
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

Deno.test("Telegram's limits hold for the bot as a whole: every process and both functions share one budget", async (t) => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN, enforceRateLimits: true });
  const env = {
    REMINDERS_WORKING_TIME_MS: "20000",
    REMINDERS_SEND_TIMEOUT_SECONDS: "5",
    REMINDERS_DISPATCHER_LEASE_SECONDS: "5",
  };
  // Two instances of each function, as on Supabase when they scale out.
  const instances = [
    await startFunctionsForTests(telegram.apiRoot, env),
    await startFunctionsForTests(telegram.apiRoot, env),
  ];
  const users: TestUser[] = [];
  const runReminders = (instance: number) =>
    fetch(`${instances[instance].url}/reminders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
    }).then((response) => response.json());
  const help = async (instance: number, chatId: number) => {
    const response = await postUpdate(
      `${instances[instance].url}/telegram-webhook`,
      textMessage(chatId, "/help"),
      TEST_WEBHOOK_SECRET,
    );
    return { status: response.status, body: await response.json() };
  };
  /** 90 /help commands from their own chats, through both webhook instances, over about 4.5 s. */
  const helpDuringBurst = async (chats: number[]) => {
    const answers = [];
    for (const [i, chat] of chats.entries()) {
      answers.push(help(i % 2, chat));
      await sleep(50);
    }
    return await Promise.all(answers);
  };
  const sendsTo = (chats: number[]) => {
    const wanted = new Set(chats.map(String));
    return telegram.callsOf("sendMessage").filter((call) => wanted.has(String(call.payload.chat_id)));
  };

  try {
    // Boot every function process first, so the burst is not measured against a cold start.
    await quietOutbox(sql);
    await Promise.all([runReminders(0), runReminders(1)]);
    await Promise.all([0, 1].map((i) => help(i, uniqueChatId())));

    await t.step(
      "a reminder burst at 28 a second with 90 /help replies through two instances: no second over 28, no 429, no reply dropped",
      async () => {
        await quietOutbox(sql);
        telegram.reset();
        const reminded = await peopleWithHabits(sql, 150);
        users.push(...reminded);
        await remindersDueNow(sql, reminded);
        const helpChats = Array.from({ length: 90 }, () => uniqueChatId());
        const runs = Promise.all([runReminders(0), runReminders(1)]);
        await sleep(500);
        const answers = await helpDuringBurst(helpChats);
        const reports = await runs;

        expect(answers.filter((answer) => answer.status !== 200 || answer.body.undeliverable)).toEqual([]);
        const replies = sendsTo(helpChats);
        assert.equal(replies.length, 90, "every /help got its reply");
        assert.equal(new Set(replies.map((call) => String(call.payload.chat_id))).size, 90);
        const sent = reports.reduce((sum, report) => sum + (report.sent ?? 0), 0);
        assert.equal(sent, 150, `every reminder went out: ${JSON.stringify(reports)}`);

        const counters = telegram.counters();
        assert.equal(counters.tooManyRequests, 0, "Telegram never answered 429");
        const sends = telegram.callsOf("sendMessage");
        expect(mostInAnyWindow(sends, 1000)).toBeLessThanOrEqual(BOT_MESSAGES_PER_SECOND);
        expect(counters.maxPerSecond).toBeLessThanOrEqual(BOT_MESSAGES_PER_SECOND);
      },
    );

    await t.step(
      "a retry_after announced to a webhook reply holds back the dispatcher too: no send inside it, and the reply still goes out",
      async () => {
        await quietOutbox(sql);
        telegram.reset();
        const reminded = await peopleWithHabits(sql, 100);
        users.push(...reminded);
        await remindersDueNow(sql, reminded);
        const runs = Promise.all([runReminders(0), runReminders(1)]);
        await telegram.waitFor((calls) => calls.filter((c) => c.method === "sendMessage").length >= 20);
        const helpChat = uniqueChatId();
        telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 2 }, { chatId: helpChat });
        const answer = await help(1, helpChat);
        const reports = await runs;

        assert.deepEqual(answer, { status: 200, body: { ok: true } });
        const [refused, reply] = sendsTo([helpChat]);
        assert.ok(reply, "the reply was sent again after retry_after");
        expect(reply.at - refused.at).toBeGreaterThanOrEqual(2_000);
        // A send already on its way when the 429 was answered may arrive just after it, and a
        // sender checks for a pause 40 ms before its slot; nothing later may arrive before it ends.
        const inside = telegram.callsOf("sendMessage").filter((call) =>
          call.at > refused.at + 100 && call.at < refused.at + 2_000
        );
        expect(inside.map((call) => Math.round(call.at - refused.at))).toEqual([]);
        expect(telegram.counters().sendsInsideRetryAfter).toBeLessThanOrEqual(3);
        assert.equal(reports.reduce((sum, report) => sum + (report.sent ?? 0), 0), 100);
      },
    );

    await t.step(
      "one home for the budget: REMINDERS_CHAT_INTERVAL_MS and REMINDERS_MESSAGES_PER_SECOND are refused by name",
      async () => {
        for (
          const [variable, setting] of [
            ["REMINDERS_CHAT_INTERVAL_MS", "telegram_chat_interval_ms"],
            ["REMINDERS_MESSAGES_PER_SECOND", "telegram_messages_per_second"],
          ]
        ) {
          const misconfigured = spawnFunctionProcess("reminders", telegram.apiRoot, { [variable]: "0" });
          try {
            const response = await misconfigured.fetch(
              new Request("http://function/reminders", {
                method: "POST",
                headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
              }),
            );
            assert.equal(response.status, 500);
            expect((await response.json()).problems).toEqual([
              `${variable}: set ${setting} in private.settings instead: every sender shares it`,
            ]);
          } finally {
            await misconfigured.stop();
          }
        }
      },
    );
  } finally {
    await sql`delete from auth.users where id = any(${users.map((u) => u.id)}::uuid[])`;
    for (const instance of instances) await instance.close();
    await telegram.close();
    await sql.end();
  }
});
