import { liftChatGap } from "../support/chat-gap.ts";
import assert from "node:assert/strict";
import { expect } from "expect";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
  uniqueChatId,
} from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import {
  startFunctionsForTests,
  TEST_BOT_TOKEN,
  TEST_SITE_URL,
  TEST_WEBHOOK_SECRET,
} from "../support/functions.ts";
import { buttonPress, postUpdate, textMessage } from "../support/telegram-updates.ts";

Deno.test("telegram-webhook through the functions host, against the fake Bot API", async (t) => {
  const sql = connectTestDatabase();
  const restoreChatGap = await liftChatGap(sql);
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const functions = await startFunctionsForTests(telegram.apiRoot);
  const webhook = `${functions.url}/telegram-webhook`;
  const users: TestUser[] = [];
  const post = async (update: unknown, secret = TEST_WEBHOOK_SECRET) => {
    const response = await postUpdate(webhook, update, secret);
    return { status: response.status, body: await response.json() };
  };
  const repliesTo = (chatId: number) =>
    telegram.callsOf("sendMessage").filter((call) => call.payload.chat_id === chatId).map((call) =>
      String(call.payload.text)
    );
  const lastReplyTo = (chatId: number) => repliesTo(chatId).at(-1) ?? "";
  const linkCodeFor = async (user: TestUser) => {
    return await sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', ${JSON.stringify({ sub: user.id, role: "authenticated" })}, true)`;
      const [row] = await tx<{ code: string }[]>`select code from public.create_telegram_link_code()`;
      return row.code;
    });
  };
  const chatOf = async (user: TestUser) => {
    const [row] = await sql<
      { telegram_chat_id: bigint | null }[]
    >`select telegram_chat_id from public.profiles where id = ${user.id}`;
    return row.telegram_chat_id === null ? null : Number(row.telegram_chat_id);
  };

  try {
    await t.step("a wrong or missing secret is refused with 401 and nothing is recorded", async () => {
      const update = textMessage(uniqueChatId(), "/help");
      assert.equal((await post(update, "wrong-secret-0123456789")).status, 401);
      assert.equal((await post(update, "")).status, 401);
      const [row] =
        await sql`select count(*)::int as n from private.telegram_updates where update_id = ${update.update_id}`;
      assert.equal(row.n, 0);
      assert.equal(telegram.callsOf("sendMessage").length, 0);
    });

    await t.step("malformed bodies are answered 400 or 413 and change nothing", async () => {
      const badJson = await post("{not json");
      assert.equal(badJson.status, 400);
      assert.equal(badJson.body.error, "bad_json");
      const noUpdateId = await post({ message: { text: "hi" } });
      assert.equal(noUpdateId.status, 400);
      assert.equal(noUpdateId.body.error, "bad_update");
      const oversized = await post({ update_id: 1, padding: "x".repeat(300 * 1024) });
      assert.equal(oversized.status, 413);
      const wrongMethod = await fetch(webhook, {
        headers: { "X-Telegram-Bot-Api-Secret-Token": TEST_WEBHOOK_SECRET },
      });
      assert.equal(wrongMethod.status, 405);
      await wrongMethod.body?.cancel();
      assert.equal(telegram.callsOf("sendMessage").length, 0);
    });

    await t.step("/start without a code explains how to connect, with the SPA's URL", async () => {
      const chatId = uniqueChatId();
      assert.equal((await post(textMessage(chatId, "/start"))).status, 200);
      expect(lastReplyTo(chatId)).toContain(`${TEST_SITE_URL}/telegram`);
    });

    const alice = await createTestUser(sql, { linkTelegram: false, timezone: "Europe/Berlin" });
    users.push(alice);
    const aliceChat = uniqueChatId();

    await t.step("/start <code> links the chat to the account that asked for the code", async () => {
      const code = await linkCodeFor(alice);
      const response = await post(textMessage(aliceChat, `/start ${code}`));
      assert.equal(response.status, 200);
      expect(lastReplyTo(aliceChat)).toContain("Connected");
      assert.equal(await chatOf(alice), aliceChat);
      const [profile] = await sql`select telegram_username from public.profiles where id = ${alice.id}`;
      assert.equal(profile.telegram_username, `tester${aliceChat}`);

      await post(textMessage(uniqueChatId(), `/start ${code}`));
      assert.equal(await chatOf(alice), aliceChat, "a used code does not move the link");
    });

    await t.step("a used, expired, unknown or malformed code links nothing and says why", async () => {
      const stranger = uniqueChatId();
      const used =
        await sql`select code from public.telegram_link_codes where user_id = ${alice.id} and used_at is not null`;
      await post(textMessage(stranger, `/start ${used[0].code}`));
      expect(lastReplyTo(stranger)).toContain("already used");

      await sql`insert into public.telegram_link_codes (code, user_id, created_at, expires_at)
        values ('expired_webhook_code_01', ${alice.id}, now() - interval '1 hour', now() - interval '30 minutes')`;
      await post(textMessage(stranger, "/start expired_webhook_code_01"));
      expect(lastReplyTo(stranger)).toContain("expired");

      await post(textMessage(stranger, "/start no_such_code_000000000"));
      expect(lastReplyTo(stranger)).toContain("don't know that link");

      await post(textMessage(stranger, `/start ${"x'; drop table habits; --".repeat(200)}`));
      expect(lastReplyTo(stranger)).toContain("don't know that link");
      const [linked] =
        await sql`select count(*)::int as n from public.profiles where telegram_chat_id = ${stranger}`;
      assert.equal(linked.n, 0);
    });

    await t.step("a repeated update_id is answered but not handled again", async () => {
      const update = textMessage(aliceChat, "/help");
      const first = await post(update);
      const before = repliesTo(aliceChat).length;
      const again = await post(update);
      assert.equal(first.status, 200);
      assert.equal(again.status, 200);
      assert.equal(again.body.duplicate, true);
      assert.equal(repliesTo(aliceChat).length, before);
    });

    const pleasant = await createHabit(sql, alice, {
      action: "play guitar",
      place: "living room",
      is_pleasant: true,
      time: "19:30",
    });
    const withPleasant = await createHabit(sql, alice, {
      action: "do the dishes",
      place: "kitchen",
      time: "19:00",
      related_habit_id: pleasant,
    });
    const withReward = await createHabit(sql, alice, {
      action: "run <fast>",
      place: "park",
      reward: "a smoothie & rest",
    });

    await t.step(
      "/habits lists the user's habits with their rhythm and follow-up, HTML-escaped",
      async () => {
        await post(textMessage(aliceChat, "/habits"));
        const text = lastReplyTo(aliceChat);
        assert.equal(
          telegram.callsOf("sendMessage").at(-1)?.payload.reply_markup,
          undefined,
          "one page, no buttons",
        );
        expect(text).toContain(
          "I will <b>do the dishes</b> at <b>7:00 PM</b> in <b>kitchen</b>, every day, 60 s",
        );
        expect(text).toContain("Then enjoy: play guitar in living room");
        expect(text).toContain("run &lt;fast&gt;");
        expect(text).toContain("Reward: a smoothie &amp; rest");
      },
    );

    await t.step("/today lists what is due on the user's local day", async () => {
      await post(textMessage(aliceChat, "/today"));
      const text = lastReplyTo(aliceChat);
      expect(text).toContain("Europe/Berlin");
      expect(text).toContain("⏳ 7:00 PM do the dishes in kitchen");
    });

    await t.step("/today's Done button records today's occurrence, early if need be", async () => {
      await post(textMessage(aliceChat, "/today"));
      const keyboard = telegram.callsOf("sendMessage").at(-1)?.payload.reply_markup as
        | { inline_keyboard: { text: string; callback_data: string }[][] }
        | undefined;
      const button = keyboard?.inline_keyboard.flat().find((b) => b.callback_data === `today:${withReward}`);
      assert.ok(button, "a Done button for each habit not done today");
      expect(button.text).toContain("run <fast>");
      await post(buttonPress(aliceChat, button.callback_data));
      expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain("Recorded");
      expect(lastReplyTo(aliceChat)).toContain("Reward: a smoothie &amp; rest");
      const [row] = await sql<{ today: boolean; source: string }[]>`
        select occurrence_at = (((now() at time zone 'Europe/Berlin')::date + h.time) at time zone 'Europe/Berlin') as today,
          c.source
        from public.habit_completions c join public.habits h on h.id = c.habit_id
        where c.habit_id = ${withReward}`;
      assert.deepEqual(row, { today: true, source: "telegram" });
      await post(buttonPress(aliceChat, button.callback_data));
      expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain(
        "Already recorded",
      );
      await post(buttonPress(uniqueChatId(), button.callback_data));
      expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain(
        "no longer exists",
      );
      await post(textMessage(aliceChat, "/today"));
      expect(lastReplyTo(aliceChat)).toContain("✅");
    });

    await t.step("/help and unknown text get helpful answers", async () => {
      await post(textMessage(aliceChat, "/help"));
      expect(lastReplyTo(aliceChat)).toContain("/habits");
      await post(textMessage(aliceChat, "y".repeat(4096)));
      expect(lastReplyTo(aliceChat)).toContain("/help");
    });

    await t.step("an unknown update type is acknowledged and ignored", async () => {
      const before = telegram.calls.length;
      const response = await post({
        update_id: 9_000_000_000 + Math.floor(Math.random() * 1e6),
        poll: { id: "1" },
      });
      assert.equal(response.status, 200);
      assert.equal(telegram.calls.length, before, "no Bot API call was made");
    });

    await t.step("a chat that is not linked gets a helpful answer to every command", async () => {
      const stranger = uniqueChatId();
      for (const command of ["/habits", "/today", "/stop"]) {
        assert.equal((await post(textMessage(stranger, command))).status, 200);
        expect(lastReplyTo(stranger)).toContain("isn't connected");
      }
    });

    const reminderFor = async (habitId: string, occurrence: string) => {
      const [row] = await sql<{ id: bigint }[]>`
        insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, status)
        values (${habitId}, ${alice.id}, 'reminder', ${occurrence}, ${occurrence}, 'sent') returning id`;
      return row.id;
    };

    await t.step(
      "Done records one completion however often it is pressed, and answers with the pleasant habit",
      async () => {
        const reminder = await reminderFor(withPleasant, "2026-01-05T18:00:00Z");
        assert.equal((await post(buttonPress(aliceChat, `done:${reminder}`))).status, 200);
        expect(lastReplyTo(aliceChat)).toContain("Then enjoy: play guitar");
        const answers = telegram.callsOf("answerCallbackQuery");
        expect(String(answers.at(-1)?.payload.text)).toContain("Recorded");

        await post(buttonPress(aliceChat, `done:${reminder}`));
        expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain(
          "Already recorded",
        );
        const [row] =
          await sql`select count(*)::int as n, min(source) as source from public.habit_completions where habit_id = ${withPleasant}`;
        assert.equal(row.n, 1);
        assert.equal(row.source, "telegram");
      },
    );

    await t.step("Done answers with the reward", async () => {
      const reminder = await reminderFor(withReward, "2026-01-05T07:00:00Z");
      await post(buttonPress(aliceChat, `done:${reminder}`));
      expect(lastReplyTo(aliceChat)).toContain("Reward: a smoothie &amp; rest");
    });

    await t.step("Snooze sends the reminder again 15 minutes later, once per message", async () => {
      const reminder = await reminderFor(withPleasant, "2026-01-06T18:00:00Z");
      await post(buttonPress(aliceChat, `snooze:${reminder}`));
      expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain("15 minutes");
      const [snoozed] = await sql`
        select due_at, occurrence_at, status, extract(epoch from due_at - now())::int as seconds_away
        from public.notifications where snoozed_from_id = ${reminder.toString()}`;
      assert.equal(snoozed.status, "pending");
      assert.ok(
        snoozed.seconds_away > 14 * 60 && snoozed.seconds_away <= 15 * 60,
        `due in ${snoozed.seconds_away} s`,
      );
      await post(buttonPress(aliceChat, `snooze:${reminder}`));
      expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain(
        "Already snoozed",
      );
    });

    await t.step(
      "a button pressed in another chat, for a deleted habit, or with foreign data is refused politely",
      async () => {
        const reminder = await reminderFor(withReward, "2026-01-07T07:00:00Z");
        const otherChat = uniqueChatId();
        await post(buttonPress(otherChat, `done:${reminder}`));
        expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain(
          "another chat",
        );

        await sql`delete from public.habits where id = ${withReward}`;
        await post(buttonPress(aliceChat, `done:${reminder}`));
        expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain(
          "no longer exists",
        );

        await post(buttonPress(aliceChat, "done:1; delete from habits"));
        expect(String(telegram.callsOf("answerCallbackQuery").at(-1)?.payload.text)).toContain(
          "no longer valid",
        );
        const [row] = await sql`select count(*)::int as n from public.habits where owner_id = ${alice.id}`;
        assert.equal(row.n, 2);
      },
    );

    await t.step("when Telegram fails, the update is answered 503 and handled on redelivery", async () => {
      const update = textMessage(aliceChat, "/help");
      telegram.failNext("sendMessage", { kind: "server_error" }, { chatId: aliceChat });
      assert.equal((await post(update)).status, 503);
      const before = repliesTo(aliceChat).length;
      assert.equal((await post(update)).status, 200);
      assert.equal(repliesTo(aliceChat).length, before + 1);
    });

    await t.step("/stop asks first, then unlinks the chat", async () => {
      await post(textMessage(aliceChat, "/stop"));
      const question = telegram.callsOf("sendMessage").at(-1)!;
      expect(JSON.stringify(question.payload.reply_markup)).toContain("stop:confirm");
      await post(buttonPress(aliceChat, "stop:cancel"));
      assert.equal(await chatOf(alice), aliceChat);
      await post(buttonPress(aliceChat, "stop:confirm"));
      assert.equal(await chatOf(alice), null);
      expect(String(telegram.callsOf("editMessageText").at(-1)?.payload.text)).toContain("Disconnected");
    });

    await t.step(
      "a chat linked to one account moves to another account that sends its code, once confirmed",
      async () => {
        const bob = await createTestUser(sql, { linkTelegram: false });
        users.push(bob);
        await post(textMessage(aliceChat, `/start ${await linkCodeFor(alice)}`));
        const bobsCode = await linkCodeFor(bob);
        await post(textMessage(aliceChat, `/start ${bobsCode}`));
        expect(lastReplyTo(aliceChat)).toContain("Move it to the account that made this link?");
        assert.equal(await chatOf(alice), aliceChat);
        await post(buttonPress(aliceChat, `link:move:${bobsCode}`));
        const moved = String(telegram.callsOf("editMessageText").at(-1)?.payload.text);
        expect(moved).toContain("connected to another account before");
        assert.equal(await chatOf(bob), aliceChat);
        assert.equal(await chatOf(alice), null);
      },
    );
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await telegram.close();
    await restoreChatGap();
    await sql.end();
  }
});
