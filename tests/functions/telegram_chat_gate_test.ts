/**
 * Who may link a chat, and to which account: only private chats are linked and served (a group's
 * members could otherwise act for its owner), and a chat linked to one account moves to another
 * only when its person confirms (someone else's deep link must not take the chat over).
 */
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
import { startFunctionsForTests, TEST_BOT_TOKEN, TEST_WEBHOOK_SECRET } from "../support/functions.ts";
import {
  botAddedTo,
  buttonPress,
  groupButtonPress,
  groupMessage,
  postUpdate,
  textMessage,
} from "../support/telegram-updates.ts";

Deno.test("telegram chats: private chats only, and a linked chat moves only when confirmed", async (t) => {
  const sql = connectTestDatabase();
  const restoreChatGap = await liftChatGap(sql);
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const functions = await startFunctionsForTests(telegram.apiRoot);
  const webhook = `${functions.url}/telegram-webhook`;
  const users: TestUser[] = [];
  const post = async (update: unknown) => {
    const response = await postUpdate(webhook, update, TEST_WEBHOOK_SECRET);
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.undeliverable, undefined, "every reply reached its chat");
    return body;
  };
  const sentTo = (chatId: number) =>
    telegram.callsOf("sendMessage").filter((call) => call.payload.chat_id === chatId).map((call) =>
      call.payload
    );
  const lastSentTo = (chatId: number) => sentTo(chatId).at(-1);
  const lastEdit = () => String(telegram.callsOf("editMessageText").at(-1)?.payload.text ?? "");
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
  const codeUsed = async (code: string) => {
    const [row] =
      await sql`select used_at is not null as used from public.telegram_link_codes where code = ${code}`;
    return row.used as boolean;
  };
  // Telegram: groups have negative ids, supergroups and channels -100…
  const groupId = () => -(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
  const supergroupId = () => -(1_000_000_000_000 + Math.floor(Math.random() * 1_000_000_000));

  try {
    const owner = await createTestUser(sql, { linkTelegram: false });
    users.push(owner);

    await t.step("a group's /start <code> links nothing and gets one polite line", async () => {
      for (const [chatId, type] of [[groupId(), "group"], [supergroupId(), "supergroup"]] as const) {
        const code = await linkCodeFor(owner);
        await post(groupMessage(chatId, owner.chatId, `/start ${code}`, type));
        assert.equal(await chatOf(owner), null, `the ${type} is not linked`);
        assert.equal(await codeUsed(code), false, "the code stays unused");
        const sent = sentTo(chatId);
        assert.equal(sent.length, 1, `one line in the ${type}`);
        expect(String(sent[0].text)).toContain("only work in a private chat");
        expect(String(sent[0].text)).toContain("@habits_test_bot");
        assert.equal(sent[0].reply_markup, undefined, "no buttons");
      }
    });

    await t.step("the line is in the sender's language, and a channel's /start links nothing", async () => {
      const chatId = groupId();
      await post(groupMessage(chatId, owner.chatId, "/help", "group", "ru"));
      expect(String(lastSentTo(chatId)?.text)).toContain("только в личном чате");

      const channel = supergroupId();
      const code = await linkCodeFor(owner);
      await post(groupMessage(channel, owner.chatId, `/start ${code}`, "channel"));
      assert.equal(await chatOf(owner), null);
      assert.equal(sentTo(channel).length, 1);
    });

    await t.step("a busy group is not answered message by message", async () => {
      const chatId = groupId();
      await post(groupMessage(chatId, owner.chatId, "good morning everyone"));
      await post(groupMessage(chatId, owner.chatId, "/start@some_other_bot"));
      assert.equal(sentTo(chatId).length, 0, "plain text and other bots' commands get no answer");
      await post(groupMessage(chatId, owner.chatId, "@some_other_bot hello"));
      assert.equal(sentTo(chatId).length, 0, "a mention of another bot gets no answer");
      await post(groupMessage(chatId, owner.chatId, "/habits@habits_test_bot"));
      assert.equal(sentTo(chatId).length, 1, "a command for this bot gets the line");
      await post(groupMessage(chatId, owner.chatId, "@habits_test_bot what do you do?"));
      assert.equal(sentTo(chatId).length, 2, "a mention of this bot gets the line");
    });

    await t.step("being added to a group or channel gets one line there", async () => {
      const group = groupId();
      await post(botAddedTo(group, owner.chatId));
      assert.equal(sentTo(group).length, 1);
      expect(String(lastSentTo(group)?.text)).toContain("only work in a private chat");
      const channel = supergroupId();
      await post(botAddedTo(channel, owner.chatId, "channel"));
      assert.equal(sentTo(channel).length, 1);
    });

    await t.step("a group's /stop and delete:yes change nothing for the owner", async () => {
      const chatId = groupId();
      const ownChat = owner.chatId;
      await post(textMessage(ownChat, `/start ${await linkCodeFor(owner)}`));
      const habitId = await createHabit(sql, owner, { action: "water the plants", place: "balcony" });
      // The owner tries to connect the group; a member then sends /stop and presses /stop's and
      // /delete's buttons there.
      await post(groupMessage(chatId, owner.chatId, `/start ${await linkCodeFor(owner)}`));
      const member = uniqueChatId();
      const answersBefore = telegram.callsOf("answerCallbackQuery").length;
      await post(groupMessage(chatId, member, "/stop"));
      await post(groupButtonPress(chatId, member, `delete:yes:${habitId}`));
      await post(groupButtonPress(chatId, member, "stop:confirm"));
      const [row] = await sql`select count(*)::int as n from public.habits where id = ${habitId}`;
      assert.equal(row.n, 1, "the habit is not deleted");
      assert.equal(await chatOf(owner), ownChat, "the owner's private chat stays linked");
      const answers = telegram.callsOf("answerCallbackQuery").slice(answersBefore);
      assert.equal(answers.length, 2, "each press is answered once, as an alert");
      for (const answer of answers) {
        assert.equal(answer.payload.show_alert, true);
        expect(String(answer.payload.text)).toContain("only work in a private chat");
      }
      assert.equal(
        telegram.callsOf("editMessageText").filter((call) => call.payload.chat_id === chatId).length,
        0,
      );
      assert.equal(sentTo(chatId).length, 2, "one line for each command, nothing else");
    });

    const alice = await createTestUser(sql, { linkTelegram: false });
    const bob = await createTestUser(sql, { linkTelegram: false });
    users.push(alice, bob);
    const aliceChat = alice.chatId;
    await post(textMessage(aliceChat, `/start ${await linkCodeFor(alice)}`));
    assert.equal(await chatOf(alice), aliceChat);

    /** Bob's deep link opened in alice's chat: the question, its buttons and the code it carries. */
    const openBobsLink = async () => {
      const code = await linkCodeFor(bob);
      await post(textMessage(aliceChat, `/start ${code}`));
      return { code, question: lastSentTo(aliceChat)! };
    };

    await t.step(
      "/start <code> in a chat linked to another account asks first and changes nothing",
      async () => {
        const { code, question } = await openBobsLink();
        expect(String(question.text)).toContain("connected to another account");
        expect(String(question.text)).not.toContain(bob.email);
        expect(String(question.text)).not.toContain(alice.email);
        const buttons = JSON.stringify(question.reply_markup);
        expect(buttons).toContain(`link:move:${code}`);
        expect(buttons).toContain("link:cancel");
        assert.equal(await chatOf(alice), aliceChat, "the chat stays with alice");
        assert.equal(await chatOf(bob), null, "bob gets nothing");
        assert.equal(await codeUsed(code), false, "the code is not used up by the question");

        // A code too long for Move's button (callback_data holds 64 bytes; the app issues 24
        // characters) is never moved by a button: the question says how to move it instead.
        const long = "L".repeat(60);
        await sql`insert into public.telegram_link_codes (code, user_id) values (${long}, ${bob.id})`;
        await post(textMessage(aliceChat, `/start ${long}`));
        expect(String(lastSentTo(aliceChat)?.text)).toContain("send /stop first");
        assert.equal(lastSentTo(aliceChat)?.reply_markup, undefined);
        assert.equal(await chatOf(alice), aliceChat);
      },
    );

    await t.step("Cancel leaves the chat with its account", async () => {
      const { code } = await openBobsLink();
      await post(buttonPress(aliceChat, "link:cancel"));
      expect(lastEdit()).toContain("Nothing changed");
      expect(lastEdit()).toContain("still connected");
      assert.equal(await chatOf(alice), aliceChat);
      assert.equal(await chatOf(bob), null);
      assert.equal(await codeUsed(code), false);
    });

    await t.step(
      "a confirmation pressed after its code expired changes nothing and says how things stand",
      async () => {
        const { code } = await openBobsLink();
        await sql`update public.telegram_link_codes
        set created_at = now() - interval '1 hour', expires_at = now() - interval '30 minutes' where code = ${code}`;
        await post(buttonPress(aliceChat, `link:move:${code}`));
        expect(lastEdit()).toContain("expired");
        expect(lastEdit()).toContain("still connected");
        assert.equal(await chatOf(alice), aliceChat);
        assert.equal(await chatOf(bob), null);
      },
    );

    await t.step("/start with a link of the account the chat already belongs to just says so", async () => {
      const code = await linkCodeFor(alice);
      await post(textMessage(aliceChat, `/start ${code}`));
      expect(String(lastSentTo(aliceChat)?.text)).toContain("already connected to this account");
      assert.equal(lastSentTo(aliceChat)?.reply_markup, undefined);
      assert.equal(await chatOf(alice), aliceChat);
      assert.equal(await codeUsed(code), false);
    });

    await t.step("Move moves the chat to the link's account, once", async () => {
      const { code } = await openBobsLink();
      await post(buttonPress(aliceChat, `link:move:${code}`));
      expect(lastEdit()).toContain("Connected");
      expect(lastEdit()).toContain("connected to another account before");
      assert.equal(await chatOf(bob), aliceChat);
      assert.equal(await chatOf(alice), null);
      assert.equal(await codeUsed(code), true);

      await post(buttonPress(aliceChat, `link:move:${code}`));
      expect(lastEdit()).toContain("already used");
      assert.equal(await chatOf(bob), aliceChat, "pressed again, nothing changes");
    });
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await telegram.close();
    await restoreChatGap();
    await sql.end();
  }
});
