/**
 * Telegram delivers only the update kinds a bot asks for (setWebhook's and getUpdates'
 * allowed_updates; Bot API: "Specify an empty list to receive all update types except
 * chat_member, message_reaction, and message_reaction_count"). The bot answers a group once when
 * it is added there (a my_chat_member update) and a command for it in a channel (a channel_post):
 * each way the bot is given its updates, production's webhook and the local forwarder, must ask
 * for those kinds, or those answers never happen outside tests that post updates directly.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { forwardUpdates } from "../../scripts/telegram/poll-updates.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { TEST_BOT_TOKEN, TEST_WEBHOOK_SECRET } from "../support/functions.ts";

const KINDS_THE_BOT_ANSWERS = ["message", "callback_query", "my_chat_member", "channel_post"];

Deno.test("telegram:set-webhook asks Telegram for every update kind the bot answers", async () => {
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", "--allow-env", "scripts/telegram/set-webhook.ts"],
      env: {
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        SUPABASE_URL: "http://127.0.0.1:54321",
        TELEGRAM_API_ROOT: telegram.apiRoot,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    const [setWebhook] = telegram.callsOf("setWebhook");
    expect([...(setWebhook.payload.allowed_updates as string[])].sort()).toEqual(
      [...KINDS_THE_BOT_ANSWERS].sort(),
    );
  } finally {
    await telegram.close();
  }
});

Deno.test("telegram:poll asks getUpdates for every update kind the bot answers", async () => {
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const stop = new AbortController();
  try {
    const forwarding = forwardUpdates({
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      SUPABASE_URL: "http://127.0.0.1:54321",
      POLL_TIMEOUT_SECONDS: 1,
    }, stop.signal);
    await telegram.waitFor((calls) => calls.some((call) => call.method === "getUpdates"));
    stop.abort();
    await forwarding;
    const [getUpdates] = telegram.callsOf("getUpdates");
    expect([...(getUpdates.payload.allowed_updates as string[])].sort()).toEqual(
      [...KINDS_THE_BOT_ANSWERS].sort(),
    );
  } finally {
    stop.abort();
    await telegram.close();
  }
});
