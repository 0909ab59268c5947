/**
 * Long replies are handled once, and a Done press always shows its result (issue 27 items 7, 8),
 * driven through the strict Telegram stand-in (devstack/telegram) and its chaos mode.
 *
 * Telegram's facts pinned here (shared/reference/telegram-bot-api.md):
 * - sendMessage's text is "1-4096 characters after entities parsing" (core.telegram.org/bots/api#sendmessage;
 *   TDLib MessageContent.cpp): `&amp;` is one character, so pages are counted on the parsed text;
 * - a webhook answer later than 60 s is a failure and the update is delivered again (telegram-bot-api
 *   WebhookActor.cpp);
 * - a callback query is answerable once and only for a while; after that answerCallbackQuery gives 400
 *   "query is too old and response timeout expired or query ID is invalid" (Client.cpp). The
 *   stand-in's window is shortened here (callbackTtlMs) to reach that state quickly.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
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
import {
  spawnFunctionProcess,
  startFunctionsForTests,
  TEST_BOT_TOKEN,
  TEST_WEBHOOK_SECRET,
} from "../support/functions.ts";
import { deliverOutbox } from "../support/outbox.ts";
import { postUpdate, textMessage } from "../support/telegram-updates.ts";
import type { FunctionProcess } from "../../devstack/functions/process.ts";

const TELEGRAM_TEXT_LIMIT = 4096;
const LEASE_SECONDS = 2;
const CALLBACK_TTL_MS = 1_500;
/** 200 characters (the longest action and place) of what HTML escapes: `&amp;` is 5 raw characters for 1 shown. */
const SPECIAL = "&<>".repeat(67).slice(0, 200);
/** Each habit's action starts with this, in /today's lines and in /stats'. */
const ACTION_START = SPECIAL.slice(0, 196);

function postToProcess(process: FunctionProcess, update: unknown): Promise<void> {
  return process.fetch(
    new Request("http://function/telegram-webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TEST_WEBHOOK_SECRET },
      body: JSON.stringify(update),
    }),
  ).then((response) => response.body?.cancel()).catch(() => {});
}

Deno.test("long replies are handled once, and a Done press always shows its result", async (t) => {
  const sql = connectTestDatabase();
  await quietOutbox(sql);
  const telegram = await startFakeTelegram({
    token: TEST_BOT_TOKEN,
    standIn: { callbackTtlMs: CALLBACK_TTL_MS },
  });
  const functions = await startFunctionsForTests(telegram.apiRoot, {
    TELEGRAM_UPDATE_LEASE_SECONDS: String(LEASE_SECONDS),
  });
  const webhook = `${functions.url}/telegram-webhook`;
  const users: TestUser[] = [];
  const newUser = async () => {
    const user = await createTestUser(sql);
    users.push(user);
    return user;
  };
  /** A person with `count` habits whose action and place are all `&`, `<` and `>`. */
  const personWithSpecialHabits = async (count: number) => {
    const user = await newUser();
    await sql`
      insert into public.habits (owner_id, action, place, time, duration_seconds)
      select ${user.id}, ${ACTION_START} || lpad(i::text, 4, '0'), ${SPECIAL}, '07:00', 60
      from generate_series(1, ${count}) i`;
    // Their "habit created" notes are not what these tests are about.
    await sql`update public.notifications set status = 'skipped' where owner_id = ${user.id} and kind = 'habit_created'`;
    return user;
  };
  /** What the person sees: the bot's messages in the chat, as Telegram shows them (entities parsed). */
  const seen = (chatId: number) =>
    (telegram.standIn.api.model.chat(chatId)?.messages ?? []).filter((message) => message.from === "bot");
  const sentTexts = (chatId: number) =>
    // The webhook sends chat_id as a number, the dispatcher as a string: both are the chat.
    telegram.callsOf("sendMessage").filter((call) => String(call.payload.chat_id) === String(chatId)).map((
      call,
    ) => String(call.payload.text));
  /** The lines naming a habit in what the person sees. */
  const shownLines = (chatId: number) =>
    seen(chatId).flatMap((message) => message.text.split("\n")).filter((line) => line.includes(ACTION_START));
  const post = (update: unknown) => postUpdate(webhook, update, TEST_WEBHOOK_SECRET);
  const deliver = (user: TestUser) => deliverOutbox(sql, functions.url, user.id);
  const wait = (ms: number) => sleep(ms);
  /** The person presses a button of a message in the stand-in: the update Telegram posts for it. */
  const pressOn = (user: TestUser, messageId: number, data: string) => {
    const message = seen(user.chatId).find((m) => m.message_id === messageId)!;
    const callbackId = telegram.standIn.api.press(user.chatId, messageId, data);
    const update = {
      update_id: 2_000_000_000 + Math.floor(Math.random() * 100_000_000),
      callback_query: {
        id: callbackId,
        from: { id: user.chatId, is_bot: false, first_name: "Test" },
        chat_instance: String(-user.chatId * 7),
        data,
        message: {
          message_id: messageId,
          date: message.date,
          chat: { id: user.chatId, type: "private", first_name: "Test" },
          from: telegram.standIn.api.botUser,
          text: message.text,
          reply_markup: structuredClone(message.reply_markup),
        },
      },
    };
    return { update, callbackId };
  };

  /** Each message is as full as Telegram allows: the next one's first line would not have fit. */
  const assertFewestPages = (texts: string[]) => {
    for (const [index, text] of texts.entries()) {
      assert.ok(text.length <= TELEGRAM_TEXT_LIMIT, `part ${index + 1}: ${text.length} characters`);
      const next = texts[index + 1];
      if (next === undefined) break;
      const firstLine = next.split("\n")[0];
      assert.ok(
        text.length + 1 + firstLine.length > TELEGRAM_TEXT_LIMIT,
        `part ${
          index + 1
        } holds ${text.length} characters; the next line (${firstLine.length}) would have fit`,
      );
    }
  };

  try {
    await t.step(
      "every reply fits Telegram: a habit text full of &<> makes /today and /stats fit in the pages Telegram would count",
      async () => {
        const user = await personWithSpecialHabits(30);
        for (const command of ["/today", "/stats"]) {
          const before = seen(user.chatId).length;
          assert.equal((await post(textMessage(user.chatId, command))).status, 200);
          await deliver(user);
          const parts = seen(user.chatId).slice(before).map((message) => message.text);
          // 30 lines of about 410 characters shown (1,800 raw): 4 messages, not the 14 that raw HTML counts.
          const shown = parts.join("\n").length;
          assert.ok(
            parts.length <= Math.ceil(shown / (TELEGRAM_TEXT_LIMIT - 500)),
            `${command}: ${parts.length} parts`,
          );
          assertFewestPages(parts);
          const lines = parts.join("\n").split("\n").filter((line) => line.includes(ACTION_START));
          assert.equal(lines.length, 30, `${command}: every habit once`);
        }
        const [last] = seen(user.chatId).slice(-1);
        assert.equal(last.reply_markup, undefined, "/stats has no buttons");
        const today = seen(user.chatId).find((message) => message.reply_markup);
        expect(today?.reply_markup?.inline_keyboard.length).toBe(30);
      },
    );

    await t.step(
      "a webhook killed mid-/today, with Telegram's redelivery, sends each part once",
      async () => {
        const user = await personWithSpecialHabits(30);
        const update = textMessage(user.chatId, "/today");
        // Telegram is slow: every message arrives, its answer 1.5 s later.
        telegram.chaos({
          kind: "slow",
          delayMs: 1_500,
          methods: ["sendMessage"],
          chats: [String(user.chatId)],
          times: 3,
        });
        const doomed = spawnFunctionProcess("telegram-webhook", telegram.apiRoot, {
          TELEGRAM_UPDATE_LEASE_SECONDS: String(LEASE_SECONDS),
        });
        const pending = postToProcess(doomed, update);
        // Killed once it has acted: a part reached the chat, or the reply is queued.
        const [table] = await sql`select to_regclass('private.telegram_reply_parts') is not null as present`;
        const deadline = Date.now() + 30_000;
        while (sentTexts(user.chatId).length === 0) {
          if (table.present) {
            const [queued] = await sql`
            select count(*)::int as n from private.telegram_reply_parts where update_id = ${update.update_id}`;
            if (queued.n > 0) break;
          }
          assert.ok(Date.now() < deadline, "the first handling acted within 30 s");
          await wait(20);
        }
        await doomed.stop();
        await pending;
        await wait(LEASE_SECONDS * 1000 + 100);
        assert.equal((await post(update)).status, 200, "the redelivery is answered");
        await deliver(user);
        await wait(200);
        const texts = sentTexts(user.chatId);
        assert.equal(new Set(texts).size, texts.length, `no part twice: ${texts.length} sends`);
        const lines = shownLines(user.chatId);
        assert.equal(lines.length, 30, "every habit once");
        const numbers = lines.map((line) => Number(line.match(/(\d{4}) /)?.[1]));
        assert.deepEqual(numbers, Array.from({ length: 30 }, (_, i) => i + 1), "the parts arrive in order");
      },
    );

    await t.step(
      "a webhook slow mid-/today answers inside Telegram's wait, and the redelivery sends no part again",
      async () => {
        const user = await personWithSpecialHabits(30);
        const update = textMessage(user.chatId, "/today");
        telegram.chaos({
          kind: "slow",
          delayMs: 1_500,
          methods: ["sendMessage"],
          chats: [String(user.chatId)],
        });
        const started = performance.now();
        const first = post(update).then(async (response) => {
          await response.body?.cancel();
          return { status: response.status, ms: performance.now() - started };
        });
        // Telegram delivers the update again once the first answer is late (here: past the update's lease).
        await wait(LEASE_SECONDS * 1000 + 500);
        const again = await post(update);
        await again.body?.cancel();
        const answered = await first;
        assert.equal(answered.status, 200);
        assert.ok(answered.ms < 5_000, `the update was answered in ${Math.round(answered.ms)} ms`);
        await deliver(user);
        await wait(200);
        const texts = sentTexts(user.chatId);
        assert.equal(new Set(texts).size, texts.length, `no part twice: ${texts.length} sends`);
        assert.equal(shownLines(user.chatId).length, 30, "every habit once");
        const keyboards = seen(user.chatId).filter((message) => message.reply_markup);
        assert.equal(keyboards.length, 1, "the Done buttons come once, under the last part");
      },
    );

    await t.step(
      "a Done press killed mid-update and redelivered after its callback query expired still shows the person the result",
      async () => {
        const user = await newUser();
        const habit = await createHabit(sql, user, { action: "floss", reward: "tea" });
        const [reminder] = await sql<{ id: bigint }[]>`
          insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status)
          values (${habit}, ${user.id}, 'reminder', now(), now(), 'sent') returning id`;
        const data = `done:${reminder.id}`;
        const keyboard = {
          inline_keyboard: [[{ text: "✅ Done", callback_data: data }, {
            text: "⏰ Snooze 15 min",
            callback_data: `snooze:${reminder.id}`,
          }]],
        };
        const sent = await fetch(`${telegram.apiRoot}/bot${TEST_BOT_TOKEN}/sendMessage`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            chat_id: user.chatId,
            text: "⏰ Time for your habit: floss",
            reply_markup: keyboard,
          }),
        }).then((response) => response.json());
        const messageId = sent.result.message_id as number;
        const { update, callbackId } = pressOn(user, messageId, data);
        // The first handling records Done, then dies while Telegram holds its answer.
        telegram.failNext("answerCallbackQuery", { kind: "hang", milliseconds: 60_000 });
        const doomed = spawnFunctionProcess("telegram-webhook", telegram.apiRoot, {
          TELEGRAM_UPDATE_LEASE_SECONDS: String(LEASE_SECONDS),
        });
        const answersBefore = telegram.callsOf("answerCallbackQuery").length;
        const pending = postToProcess(doomed, update);
        await telegram.waitFor(() => telegram.callsOf("answerCallbackQuery").length > answersBefore, 30_000);
        await doomed.stop();
        await pending;
        const [done] =
          await sql`select count(*)::int as n from public.habit_completions where habit_id = ${habit}`;
        assert.equal(done.n, 1, "Done was recorded before the function died");

        // Telegram redelivers after the callback query expired (and the dead request's lease ended).
        await wait(Math.max(CALLBACK_TTL_MS, LEASE_SECONDS * 1000) + 200);
        assert.equal((await post(update)).status, 200);
        const chat = telegram.standIn.api.model.chat(user.chatId)!;
        assert.equal(
          chat.answers.filter((answer) => answer.callback_query_id === callbackId).length,
          0,
          "the expired callback query could not be answered: no toast or alert",
        );
        const message = chat.messages.find((m) => m.message_id === messageId)!;
        assert.ok(message.edit_date, "the reminder message was edited");
        expect(message.reply_markup?.inline_keyboard).toEqual([[{
          text: "☑️ Done: floss",
          callback_data: data,
        }]]);
        const [again] =
          await sql`select count(*)::int as n from public.habit_completions where habit_id = ${habit}`;
        assert.equal(again.n, 1, "Done is recorded once");
      },
    );
    await t.step("/today's Done marks its button as done and leaves the others", async () => {
      const user = await newUser();
      const read = await createHabit(sql, user, { action: "read", time: "07:00" });
      await createHabit(sql, user, { action: "run", time: "08:00" });
      assert.equal((await post(textMessage(user.chatId, "/today"))).status, 200);
      const list = seen(user.chatId).find((message) => message.reply_markup)!;
      const { update } = pressOn(user, list.message_id, `today:${read}`);
      assert.equal((await post(update)).status, 200);
      const after = seen(user.chatId).find((message) => message.message_id === list.message_id)!;
      expect(after.reply_markup?.inline_keyboard.map((row) => row.map((button) => button.text))).toEqual([
        ["☑️ Done: read"],
        ["✅ run"],
      ]);
      expect(sentTexts(user.chatId).at(-1)).toContain("Well done");
    });
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await telegram.close();
    await sql.end();
  }
});
