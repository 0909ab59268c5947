import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { expect } from "expect";
import { Api, GrammyError, HttpError } from "grammy";
import { type RunningTelegram, startTelegram, type TelegramOptions } from "../../devstack/telegram/server.ts";

const TOKEN = "777000:stand-in-test-token";
const JSON_TYPE = { "content-type": "application/json" };

async function withStandIn(
  options: Partial<TelegramOptions>,
  body: (telegram: RunningTelegram, api: Api) => Promise<void>,
) {
  const telegram = await startTelegram({ port: 0, token: TOKEN, ...options });
  try {
    await body(telegram, new Api(TOKEN, { apiRoot: telegram.apiRoot, timeoutSeconds: 5 }));
  } finally {
    await telegram.close();
  }
}

/** A person who has started the bot (so it may write to them). */
function person(telegram: RunningTelegram, name = "Ann"): number {
  const user = telegram.api.createUser({ first_name: name });
  telegram.api.sendText(user.id, "/start");
  return user.id;
}

async function rejection(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrammyError) return error;
    throw error;
  }
  throw new Error("the call succeeded");
}

async function raw(telegram: RunningTelegram, method: string, init: RequestInit = {}) {
  const response = await fetch(`${telegram.apiRoot}/bot${TOKEN}/${method}`, init);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

Deno.test("the Telegram stand-in", async (t) => {
  await t.step("answers getMe, case-insensitive method names, and Telegram's 401/404 shapes", async () => {
    await withStandIn({ username: "local_test_bot" }, async (telegram, api) => {
      const me = await api.getMe();
      expect(me).toMatchObject({ id: 777000, is_bot: true, username: "local_test_bot" });
      assert.equal((await raw(telegram, "GETME")).status, 200);
      assert.deepEqual((await raw(telegram, "sendSticker")).body, {
        ok: false,
        error_code: 404,
        description: "Not Found",
      });
      const wrongToken = await fetch(`${telegram.apiRoot}/bot1:wrong/getMe`);
      assert.equal(wrongToken.status, 401);
      assert.deepEqual(await wrongToken.json(), { ok: false, error_code: 401, description: "Unauthorized" });
    });
  });

  await t.step("refuses parameters it does not implement, by name", async () => {
    await withStandIn({}, async (telegram) => {
      const chat = person(telegram);
      const answer = await raw(telegram, "sendMessage", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: chat, text: "hi", message_effect_id: "1" }),
      });
      assert.equal(answer.status, 400);
      expect(answer.body.description).toContain('"message_effect_id"');
    });
  });

  await t.step("reads form-encoded and query-string parameters as Telegram does", async () => {
    await withStandIn({}, async (telegram) => {
      const chat = person(telegram);
      const form = await raw(telegram, "sendMessage", {
        method: "POST",
        body: new URLSearchParams({
          chat_id: String(chat),
          text: "<b>hi</b>",
          parse_mode: "HTML",
          reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] }),
          disable_notification: "yes",
        }),
      });
      assert.equal(form.status, 200);
      expect(form.body.result).toMatchObject({
        text: "hi",
        entities: [{ type: "bold", offset: 0, length: 2 }],
        reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] },
      });
      const message = telegram.api.model.chat(chat)!.messages.at(-1)!;
      assert.equal(message.silent, true, "disable_notification=yes is honoured");
      const query = await fetch(`${telegram.apiRoot}/bot${TOKEN}/getMe?x=1`);
      assert.equal(query.status, 400);
    });
  });

  await t.step("checks HTML: bad entities get 400 can't parse entities, with Telegram's detail", async () => {
    await withStandIn({}, async (telegram, api) => {
      const chat = person(telegram);
      const cases: [string, string][] = [
        ["<p>x</p>", 'Unsupported start tag "p" at byte offset 0'],
        ["a < b", 'Unsupported start tag "" at byte offset 2'],
        ["<b>x", `Can't find end tag corresponding to start tag "b"`],
        ["<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
        ["x</b>", "Unexpected end tag at byte offset 1"],
        ["<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
        ["ä<p>", 'Unsupported start tag "p" at byte offset 2'],
      ];
      for (const [text, detail] of cases) {
        const error = await rejection(api.sendMessage(chat, text, { parse_mode: "HTML" }));
        assert.equal(error.error_code, 400);
        assert.equal(error.description, `Bad Request: can't parse entities: ${detail}`, text);
      }
      const ok = await api.sendMessage(chat, "a &amp; b > c & <i>d</i> &lt;3", { parse_mode: "HTML" });
      assert.equal(ok.text, "a & b > c & d <3");
      assert.deepEqual(ok.entities, [{ type: "italic", offset: 12, length: 1 }]);
      assert.equal(telegram.counters().deliveredPerChat[String(chat)], 1, "failed sends deliver nothing");
    });
  });

  await t.step("rejects text over 4096 characters after entity parsing, and empty text", async () => {
    await withStandIn({ enforceLimits: false }, async (telegram, api) => {
      const chat = person(telegram);
      const tooLong = await rejection(api.sendMessage(chat, "x".repeat(4097)));
      assert.equal(tooLong.description, "Bad Request: message is too long");
      // 4096 visible characters are fine even though the markup makes the raw text longer.
      await api.sendMessage(chat, `<b>${"x".repeat(4096)}</b>`, { parse_mode: "HTML" });
      assert.equal(
        (await rejection(api.sendMessage(chat, "  "))).description,
        "Bad Request: text must be non-empty",
      );
      assert.equal(
        (await rejection(api.sendMessage(chat, ""))).description,
        "Bad Request: message text is empty",
      );
    });
  });

  await t.step(
    "refuses strings that are not well-formed UTF-16 (a lone surrogate) anywhere in a call",
    async () => {
      // td's CLEAN_INPUT_STRING (td/telegram/Requests.cpp) and the Bot API's own checks answer
      // 400 "Strings must be encoded in UTF-8": a lone surrogate decodes to no valid UTF-8.
      await withStandIn({ enforceLimits: false }, async (telegram, api) => {
        const chat = person(telegram);
        const cut = "😀".slice(0, 1);
        const inText = await rejection(api.sendMessage(chat, `habit ${cut}`));
        assert.equal(inText.description, "Bad Request: strings must be encoded in UTF-8");
        const inButton = await rejection(
          api.sendMessage(chat, "ok", {
            reply_markup: { inline_keyboard: [[{ text: `a${cut}`, callback_data: "x" }]] },
          }),
        );
        assert.equal(inButton.description, "Bad Request: strings must be encoded in UTF-8");
        await api.sendMessage(chat, "a whole 😀 is fine");
      });
    },
  );

  await t.step("checks inline keyboards: callback_data is 1-64 bytes", async () => {
    await withStandIn({ enforceLimits: false }, async (telegram, api) => {
      const chat = person(telegram);
      const keyboard = (data: string) => ({ inline_keyboard: [[{ text: "b", callback_data: data }]] });
      await api.sendMessage(chat, "ok", { reply_markup: keyboard("x".repeat(64)) });
      const tooLong = await rejection(
        api.sendMessage(chat, "no", { reply_markup: keyboard("é".repeat(33)) }),
      );
      assert.equal(tooLong.description, "Bad Request: BUTTON_DATA_INVALID");
      const empty = await rejection(api.sendMessage(chat, "no", { reply_markup: keyboard("") }));
      expect(empty.description).toContain("can't parse inline keyboard button");
    });
  });

  await t.step("unknown chats get 400 chat not found; a blocked bot gets 403", async () => {
    await withStandIn({}, async (telegram, api) => {
      assert.equal(
        (await rejection(api.sendMessage(424242, "hi"))).description,
        "Bad Request: chat not found",
      );
      const neverStarted = telegram.api.createUser({ first_name: "Quiet" }).id;
      assert.equal(
        (await rejection(api.sendMessage(neverStarted, "hi"))).description,
        "Bad Request: chat not found",
      );
      const chat = person(telegram);
      telegram.api.setBlocked(chat, true);
      const blocked = await rejection(api.sendMessage(chat, "hi"));
      assert.equal(blocked.error_code, 403);
      assert.equal(blocked.description, "Forbidden: bot was blocked by the user");
    });
  });

  await t.step("answers 429 with retry_after beyond one message a second to a chat", async () => {
    await withStandIn({}, async (telegram, api) => {
      const chat = person(telegram);
      await api.sendMessage(chat, "one");
      const limited = await rejection(api.sendMessage(chat, "two"));
      assert.equal(limited.error_code, 429);
      assert.equal(limited.description, "Too Many Requests: retry after 1");
      assert.equal(limited.parameters.retry_after, 1);
      await sleep(1000);
      await api.sendMessage(chat, "three");
      const counters = telegram.counters();
      assert.equal(counters.rateLimited, 1);
      assert.equal(counters.deliveredPerChat[String(chat)], 2);
      assert.ok(counters.minChatGapMs! >= 1000, `gap ${counters.minChatGapMs}`);
      const header = await raw(telegram, "sendMessage", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: chat, text: "four" }),
      });
      assert.equal(header.status, 429);
      assert.equal(header.headers.get("retry-after"), "1");
    });
  });

  await t.step("answers 429 beyond 30 messages a second per bot", async () => {
    await withStandIn({}, async (telegram, api) => {
      const chats = Array.from({ length: 35 }, (_, i) => person(telegram, `P${i}`));
      const results = await Promise.allSettled(chats.map((chat) => api.sendMessage(chat, "hello")));
      const refused = results.filter((r) => r.status === "rejected");
      assert.equal(refused.length, 5);
      for (const r of refused) {
        assert.equal(((r as PromiseRejectedResult).reason as GrammyError).error_code, 429);
      }
      assert.equal(telegram.counters().maxPerSecond, 30);
    });
  });

  await t.step("models what the person sees: edits, keyboards, callback answers", async () => {
    await withStandIn({ enforceLimits: false }, async (telegram, api) => {
      const chat = person(telegram);
      const sent = await api.sendMessage(chat, "Sure?", {
        reply_markup: { inline_keyboard: [[{ text: "Yes", callback_data: "yes" }]] },
      });
      const queryId = telegram.api.press(chat, sent.message_id, "yes");
      await api.answerCallbackQuery(queryId, { text: "Noted" });
      const again = await rejection(api.answerCallbackQuery(queryId));
      expect(again.description).toContain("query is too old");
      await api.editMessageText(chat, sent.message_id, "<i>Done</i>", { parse_mode: "HTML" });
      const same = await rejection(
        api.editMessageText(chat, sent.message_id, "<i>Done</i>", { parse_mode: "HTML" }),
      );
      expect(same.description).toContain("message is not modified");
      const missing = await rejection(api.editMessageText(chat, 999_999, "x"));
      assert.equal(missing.description, "Bad Request: message to edit not found");
      const seen = telegram.api.model.chat(chat)!;
      const shown = seen.messages.find((m) => m.message_id === sent.message_id)!;
      assert.equal(shown.text, "Done");
      assert.equal(shown.reply_markup, undefined, "an edit without reply_markup removes the keyboard");
      assert.ok(shown.edit_date);
      expect(seen.answers).toMatchObject([{ text: "Noted", show_alert: false }]);
    });
  });

  await t.step(
    "delivers updates to the webhook with the secret, in order per chat, retrying failures",
    async () => {
      const received: { secret: string | null; update: Record<string, unknown> }[] = [];
      let failures = 2;
      const webhook = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
        const update = await request.json();
        if (failures-- > 0) return new Response("down", { status: 500 });
        received.push({ secret: request.headers.get("x-telegram-bot-api-secret-token"), update });
        return Response.json({ ok: true });
      });
      try {
        await withStandIn({ webhookMaxBackoffMs: 200 }, async (telegram, api) => {
          await api.setWebhook(`http://127.0.0.1:${webhook.addr.port}/hook`, {
            secret_token: "s3cret_token",
          });
          const chat = telegram.api.createUser({ first_name: "Ann" }).id;
          telegram.api.sendText(chat, "/start abc");
          telegram.api.sendText(chat, "/help");
          const deadline = Date.now() + 5000;
          while (received.length < 2 && Date.now() < deadline) await sleep(20);
          assert.deepEqual(
            received.map((r) => (r.update.message as { text: string }).text),
            ["/start abc", "/help"],
            "the second update waited for the first",
          );
          assert.ok(received.every((r) => r.secret === "s3cret_token"));
          expect(received[0].update.message).toMatchObject({
            chat: { id: chat, type: "private" },
            from: { id: chat, is_bot: false },
            entities: [{ type: "bot_command", offset: 0, length: 6 }],
          });
          const info = await api.getWebhookInfo();
          assert.equal(info.pending_update_count, 0);
          expect(info.last_error_message).toContain("500");
          assert.equal(telegram.counters().webhook.failures, 2);
        });
      } finally {
        await webhook.shutdown();
      }
    },
  );

  await t.step("refuses non-loopback http webhooks and bad secret tokens", async () => {
    await withStandIn({}, async (_telegram, api) => {
      const http = await rejection(api.setWebhook("http://example.com/hook"));
      assert.equal(http.description, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
      await sleep(1000);
      const port = await rejection(api.setWebhook("https://example.com:9000/hook"));
      assert.equal(
        port.description,
        "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
      );
      await sleep(1000);
      const secret = await rejection(api.setWebhook("https://example.com/hook", { secret_token: "a b" }));
      assert.equal(secret.description, "Bad Request: secret token contains unallowed characters");
    });
  });

  await t.step(
    "serves getUpdates with offsets and long polling, and 409 while a webhook is set",
    async () => {
      await withStandIn({}, async (telegram, api) => {
        const chat = telegram.api.createUser({ first_name: "Ann" }).id;
        const polling = api.getUpdates({ timeout: 5 });
        await sleep(100);
        telegram.api.sendText(chat, "/help");
        const first = await polling;
        assert.equal(first.length, 1);
        assert.equal(first[0].message?.text, "/help");
        assert.equal(
          (await api.getUpdates({ offset: first[0].update_id + 1 })).length,
          0,
          "confirmed by offset",
        );
        await api.setWebhook("http://127.0.0.1:9/hook");
        const conflict = await rejection(api.getUpdates());
        assert.equal(conflict.error_code, 409);
        expect(conflict.description).toContain("can't use getUpdates method while webhook is active");
      });
    },
  );
});

Deno.test("the chat page and the people API", async () => {
  await withStandIn({ username: "local_test_bot" }, async (telegram) => {
    const call = (path: string, body?: unknown) =>
      fetch(
        `${telegram.url}${path}`,
        body === undefined ? {} : { method: "POST", headers: JSON_TYPE, body: JSON.stringify(body) },
      );
    const page = await call("/");
    assert.equal(page.status, 200);
    expect(await page.text()).toContain("@local_test_bot");
    const deepLink = await call("/local_test_bot?start=abc_DEF-123");
    expect(await deepLink.text()).toContain('"start":"abc_DEF-123"');
    assert.equal((await call("/local_test_bot?start=bad%20payload")).status, 400);

    assert.equal((await call("/api/users", { first_name: "" })).status, 400);
    assert.equal((await call("/api/users", { first_name: "Ann", username: "no" })).status, 400);
    const ann = await (await call("/api/users", { first_name: "Ann", username: "ann_local" })).json();
    assert.equal((await call(`/api/chats/${ann.id}/messages`, { text: " " })).status, 400);
    const sent = await call(`/api/chats/${ann.id}/messages`, { text: "/start payload", shown: "/start" });
    assert.equal(sent.status, 201);
    expect(await sent.json()).toMatchObject({ from: "user", text: "/start payload", shown: "/start" });
    const [update] = await new Api(TOKEN, { apiRoot: telegram.apiRoot }).getUpdates();
    expect(update.message).toMatchObject({ text: "/start payload", from: { username: "ann_local" } });
    assert.equal((await call(`/api/chats/${ann.id}/press`, { message_id: 1, data: "x" })).status, 400);
    assert.equal((await call(`/api/chats/${ann.id}/remind-now`, {})).status, 404, "only on the devstack");
    assert.equal((await call("/api/chats/999/messages", { text: "hi" })).status, 404);
  });
});

Deno.test("chaos mode", async (t) => {
  await t.step("slow: the message arrives, the answer comes later", async () => {
    await withStandIn({}, async (telegram, api) => {
      const chat = person(telegram);
      telegram.chaos.add({ kind: "slow", delayMs: 600, methods: ["sendMessage"] });
      const started = performance.now();
      const sending = api.sendMessage(chat, "slow one");
      await sleep(200);
      assert.equal(telegram.counters().deliveredPerChat[String(chat)], 1, "delivered before the answer");
      await sending;
      assert.ok(performance.now() - started >= 600);
    });
  });

  await t.step("drop_connection: the message arrives, the client gets no answer", async () => {
    await withStandIn({}, async (telegram, api) => {
      const chat = person(telegram);
      telegram.chaos.add({ kind: "drop_connection", times: 1 });
      await assert.rejects(api.sendMessage(chat, "lost answer"), HttpError);
      assert.equal(telegram.counters().deliveredPerChat[String(chat)], 1);
    });
  });

  await t.step("hang: no answer until the client gives up", async () => {
    await withStandIn({}, async (telegram) => {
      const chat = person(telegram);
      telegram.chaos.add({ kind: "hang", times: 1 });
      const api = new Api(TOKEN, { apiRoot: telegram.apiRoot, timeoutSeconds: 1 });
      const started = performance.now();
      await assert.rejects(api.sendMessage(chat, "never"), HttpError);
      assert.ok(performance.now() - started >= 900);
      assert.equal(telegram.counters().deliveredPerChat[String(chat)], undefined);
    });
  });

  await t.step("429 windows, 5xx bursts and 403 for chosen chats, driven over HTTP", async () => {
    await withStandIn({ enforceLimits: false }, async (telegram, api) => {
      const ann = person(telegram, "Ann");
      const bob = person(telegram, "Bob");
      const control = (path: string, init?: RequestInit) => fetch(`${telegram.url}/_control/${path}`, init);
      const add = async (rule: unknown) => {
        const response = await control("chaos", {
          method: "POST",
          headers: JSON_TYPE,
          body: JSON.stringify(rule),
        });
        assert.equal(response.status, 201);
        return (await response.json()).id as number;
      };
      const window = await add({ kind: "too_many_requests", retryAfter: 7, forMs: 300 });
      const limited = await rejection(api.sendMessage(ann, "x"));
      assert.equal(limited.parameters.retry_after, 7);
      await sleep(350);
      await api.sendMessage(ann, "after the window");
      assert.equal(
        (await control(`chaos/${window}`, { method: "DELETE" })).status,
        404,
        "expired rules are gone",
      );

      await add({ kind: "server_error", times: 2, status: 502 });
      assert.equal((await rejection(api.getMe())).error_code, 502);
      assert.equal((await rejection(api.getMe())).error_code, 502);
      await api.getMe();

      await add({ kind: "blocked", chats: [bob] });
      assert.equal((await rejection(api.sendMessage(bob, "x"))).error_code, 403);
      await api.sendMessage(ann, "ann still gets hers");

      assert.equal(
        (await control("chaos", { method: "POST", headers: JSON_TYPE, body: '{"kind":"melt"}' })).status,
        400,
      );
      const counters = await (await control("counters")).json();
      expect(counters).toMatchObject({ tooManyRequests: 1, callsPerMethod: { getMe: 3, sendMessage: 4 } });
      assert.equal(counters.deliveredPerChat[String(ann)], 2);
      assert.equal((await control("reset", { method: "POST", headers: JSON_TYPE })).status, 204);
      assert.deepEqual((await (await control("counters")).json()).callsPerMethod, {});
    });
  });
});
