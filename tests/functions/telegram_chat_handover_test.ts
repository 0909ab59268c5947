/**
 * An unfinished /new or /edit belongs to the account the chat was linked to when it began: once
 * the chat leaves that account (/stop, the web app's Disconnect, a 403, the account linking
 * another chat), the next account to link it must not continue it. The Move button kept this rule
 * from the start; these are the other ways a chat changes hands.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { createMessages } from "../../supabase/functions/telegram-webhook/messages/index.ts";
import { createTestUser, type TestUser, uniqueChatId } from "../support/database.ts";
import { TEST_SITE_URL } from "../support/functions.ts";
import { buttonPress, textMessage } from "../support/telegram-updates.ts";
import { startWebhookHarness } from "../support/webhook-harness.ts";

const en = createMessages(TEST_SITE_URL)("en");

Deno.test("a chat's unfinished /new or /edit ends when the chat leaves its account", async (t) => {
  const { sql, telegram, users, post, stop } = await startWebhookHarness();
  const say = (chatId: number, text: string) => post(textMessage(chatId, text));
  const lastText = (chatId: number) =>
    String(
      telegram.calls.filter((call) =>
        (call.method === "sendMessage" || call.method === "editMessageText") &&
        call.payload.chat_id === chatId
      ).at(-1)?.payload.text ?? "",
    );
  const linkCodeFor = async (user: TestUser) =>
    await sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', ${JSON.stringify({ sub: user.id, role: "authenticated" })}, true)`;
      const [row] = await tx<{ code: string }[]>`select code from public.create_telegram_link_code()`;
      return row.code;
    });
  const conversationIn = async (chatId: number) =>
    (await sql<{ user_id: string }[]>`
      select user_id from private.telegram_conversations where chat_id = ${chatId}`)[0]?.user_id ?? null;
  const habitsOf = async (user: TestUser) =>
    (await sql<{ action: string }[]>`select action from public.habits where owner_id = ${user.id}`)
      .map((row) => row.action);
  /** Alice begins /new in her chat and answers the first question. */
  const aliceBeginsNew = async (alice: TestUser, chat: number) => {
    await say(chat, "/new");
    await say(chat, "alice's private words");
    expect(lastText(chat)).toBe(en.askTime);
    assert.equal(await conversationIn(chat), alice.id);
  };
  /** Bob links the chat and answers on: his answers must not finish Alice's /new. */
  const bobLinksAndTypes = async (bob: TestUser, chat: number) => {
    await say(chat, `/start ${await linkCodeFor(bob)}`);
    assert.equal(
      (await sql`select telegram_chat_id from public.profiles where id = ${bob.id}`)[0].telegram_chat_id,
      BigInt(chat),
    );
    assert.equal(await conversationIn(chat), null, "no conversation of the previous account in the chat");
    await say(chat, "19:30");
    expect(lastText(chat)).toBe(en.unknownMessage);
    assert.deepEqual(await habitsOf(bob), [], "the previous account's answers made no habit for Bob");
  };

  try {
    await t.step("/stop, then another account's link", async () => {
      const alice = await createTestUser(sql);
      const bob = await createTestUser(sql, { linkTelegram: false });
      users.push(alice, bob);
      await aliceBeginsNew(alice, alice.chatId);
      await say(alice.chatId, "/stop");
      await post(buttonPress(alice.chatId, "stop:confirm"));
      expect(lastText(alice.chatId)).toBe(en.stopped);
      await bobLinksAndTypes(bob, alice.chatId);
    });

    await t.step("the web app's Disconnect, then another account's link", async () => {
      const alice = await createTestUser(sql);
      const bob = await createTestUser(sql, { linkTelegram: false });
      users.push(alice, bob);
      await aliceBeginsNew(alice, alice.chatId);
      await sql.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true),
          set_config('request.jwt.claims', ${
          JSON.stringify({ sub: alice.id, role: "authenticated" })
        }, true)`;
        await tx`select public.disconnect_telegram()`;
      });
      await bobLinksAndTypes(bob, alice.chatId);
    });

    await t.step("a 403 (the bot blocked, then unblocked), then another account's link", async () => {
      const alice = await createTestUser(sql);
      const bob = await createTestUser(sql, { linkTelegram: false });
      users.push(alice, bob);
      await aliceBeginsNew(alice, alice.chatId);
      await sql`select private.mark_telegram_chat_blocked(${alice.chatId})`;
      await bobLinksAndTypes(bob, alice.chatId);
    });

    await t.step("the account links another chat, then another account links the first", async () => {
      const alice = await createTestUser(sql);
      const bob = await createTestUser(sql, { linkTelegram: false });
      users.push(alice, bob);
      const first = alice.chatId;
      await aliceBeginsNew(alice, first);
      const second = uniqueChatId();
      await say(second, `/start ${await linkCodeFor(alice)}`);
      assert.equal(
        (await sql`select telegram_chat_id from public.profiles where id = ${alice.id}`)[0].telegram_chat_id,
        BigInt(second),
      );
      await bobLinksAndTypes(bob, first);
    });
  } finally {
    await stop();
  }
});
