import assert from "node:assert/strict";
import { expect } from "expect";
import { forwardUpdates } from "../../scripts/telegram/poll-updates.ts";
import { uniqueChatId } from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { startFunctionsForTests, TEST_BOT_TOKEN, TEST_WEBHOOK_SECRET } from "../support/functions.ts";
import { textMessage } from "../support/telegram-updates.ts";

Deno.test("the polling forwarder hands getUpdates results to the local webhook, retrying failed ones", async () => {
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const functions = await startFunctionsForTests(telegram.apiRoot);
  // The forwarder posts to <SUPABASE_URL>/functions/v1/telegram-webhook; stand in for the gateway's prefix.
  const gateway = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    return fetch(`${functions.url}${url.pathname.replace(/^\/functions\/v1/, "")}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
  });
  const stop = new AbortController();
  const chatId = uniqueChatId();
  try {
    const forwarding = forwardUpdates({
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      SUPABASE_URL: `http://127.0.0.1:${gateway.addr.port}`,
      POLL_TIMEOUT_SECONDS: 1,
    }, stop.signal);

    const { update_id: _ignored, ...help } = textMessage(chatId, "/help");
    telegram.failNext("sendMessage", { kind: "server_error" }, { chatId });
    telegram.queueUpdate(help);
    await telegram.waitFor((calls) =>
      calls.filter((call) => call.method === "sendMessage" && call.payload.chat_id === chatId).length >= 2
    );
    // The reply reaches Telegram before the webhook answers the forwarder: wait until the forwarder
    // has moved past the update (it asks for the next ones from a later offset), then stop it.
    await telegram.waitFor((calls) =>
      calls.some((call) => call.method === "getUpdates" && Number(call.payload.offset) > 0)
    );
    stop.abort();
    const forwarded = await forwarding;

    assert.equal(telegram.callsOf("deleteWebhook").length, 1, "a webhook is removed before polling");
    const replies = telegram.callsOf("sendMessage").filter((call) => call.payload.chat_id === chatId);
    expect(String(replies[1].payload.text)).toContain("/habits");
    assert.equal(forwarded, 1, "the update failed once, was fetched again and forwarded once");
  } finally {
    stop.abort();
    await gateway.shutdown();
    await functions.close();
    await telegram.close();
  }
});

Deno.test("telegram:poll reports an unreachable Telegram in one line, without a stack trace", async () => {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const apiRoot = `http://127.0.0.1:${closed.addr.port}`;
  closed.close();
  const script = new URL("../../scripts/telegram/poll-updates.ts", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", script],
    env: {
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: apiRoot,
    },
    stdout: "null",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(output.stderr).split("\n").filter((line) =>
    line.trim() !== "" && !line.includes("DeprecationWarning")
  );
  assert.equal(output.code, 1);
  assert.equal(lines.length, 1, lines.join("\n"));
  expect(lines[0]).toContain(`Telegram is unreachable at ${apiRoot}`);
});
