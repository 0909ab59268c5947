/**
 * The telegram-webhook function served by the functions host against the fake Bot API, with the
 * test database and the users a test creates: what the webhook tests start with and tear down.
 * The gap between one chat's messages is lifted while it runs (chat-gap.ts): these tests are about
 * what the bot answers.
 */
import assert from "node:assert/strict";
import { liftChatGap } from "./chat-gap.ts";
import { connectTestDatabase, deleteTestUsers, type TestUser } from "./database.ts";
import { startFakeTelegram } from "./fake-telegram.ts";
import { startFunctionsForTests, TEST_BOT_TOKEN, TEST_WEBHOOK_SECRET } from "./functions.ts";
import { postUpdate } from "./telegram-updates.ts";

export async function startWebhookHarness() {
  const sql = connectTestDatabase();
  const restoreChatGap = await liftChatGap(sql);
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const functions = await startFunctionsForTests(telegram.apiRoot);
  const webhook = `${functions.url}/telegram-webhook`;
  const users: TestUser[] = [];
  /** Posts an update as Telegram does and returns the answer, whatever its status. */
  const postRaw = async (update: unknown, secret = TEST_WEBHOOK_SECRET) => {
    const response = await postUpdate(webhook, update, secret);
    return { status: response.status, body: await response.json() };
  };
  /** Posts an update that must be answered 200, and returns the answer's body. */
  const post = async (update: unknown) => {
    const { status, body } = await postRaw(update);
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };
  const stop = async () => {
    await deleteTestUsers(sql, users);
    await functions.close();
    await telegram.close();
    await restoreChatGap();
    await sql.end();
  };
  return { sql, telegram, functions, webhook, users, postRaw, post, stop };
}
