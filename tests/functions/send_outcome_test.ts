/**
 * Issue 27, item 9a: what a failed sendMessage means. "Maybe delivered" is only a request that
 * left and got no answer (a timeout, a connection lost), or a 2xx whose body was lost: an answer
 * with an error status is Telegram's, or its front end's, whatever its body, and nothing was sent.
 * So `notifications.maybe_delivered_attempts` is an upper bound on the copies.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { callBotApi } from "../../supabase/functions/_shared/telegram.ts";
import { classifySendError } from "../../supabase/functions/reminders/send-outcome.ts";

/** A Bot API stand-in answering every request with `answer`, on a free port. */
async function withServer(
  answer: (request: Request) => Response | Promise<Response>,
  test: (apiRoot: string) => Promise<void>,
) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, answer);
  try {
    await test(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

const outcomeOf = async (apiRoot: string, timeoutSeconds = 2) => {
  try {
    await callBotApi({ token: "1:x", apiRoot, timeoutSeconds }, "sendMessage", { chat_id: 1, text: "hi" });
    return { outcome: "sent" };
  } catch (error) {
    return classifySendError(error);
  }
};

// nginx's own 502 page (src/http/ngx_http_special_response.c): what Telegram's front end sends.
const NGINX_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
  "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

Deno.test("a 502 with nginx's HTML page is a plain retry, not maybe delivered", async () => {
  await withServer(
    () =>
      new Response(NGINX_502, {
        status: 502,
        statusText: "Bad Gateway",
        headers: { "content-type": "text/html" },
      }),
    async (apiRoot) => {
      assert.deepEqual(await outcomeOf(apiRoot), {
        outcome: "retry",
        error: `502: Bad Gateway (an HTML page "502 Bad Gateway" from Telegram's front end, not the Bot API)`,
      });
    },
  );
});

Deno.test("any answer with an error status is Telegram's: a 504 with no body is a retry, a 429 page keeps Retry-After", async () => {
  await withServer(() => new Response(null, { status: 504 }), async (apiRoot) => {
    assert.equal((await outcomeOf(apiRoot)).outcome, "retry");
  });
  await withServer(
    () => new Response("<html>slow down</html>", { status: 429, headers: { "retry-after": "7" } }),
    async (apiRoot) => {
      const outcome = await outcomeOf(apiRoot);
      assert.equal(outcome.outcome, "rate_limited");
      assert.equal("retryAfterSeconds" in outcome && outcome.retryAfterSeconds, 7);
    },
  );
});

Deno.test("only no answer after the request left is maybe delivered: a timeout, or a 2xx without its body", async () => {
  await withServer(async () => {
    await sleep(1_500);
    return Response.json({ ok: true, result: { message_id: 1 } });
  }, async (apiRoot) => {
    assert.equal((await outcomeOf(apiRoot, 1)).outcome, "uncertain");
  });
  await withServer(() => new Response("<html>ok</html>", { status: 200 }), async (apiRoot) => {
    assert.equal((await outcomeOf(apiRoot)).outcome, "uncertain");
  });
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = closed.addr.port;
  closed.close();
  const refused = await outcomeOf(`http://127.0.0.1:${port}`);
  assert.equal(refused.outcome, "retry", "refused: nothing was sent");
  assert.ok(
    "error" in refused && /Connection refused/.test(refused.error),
    "error" in refused ? refused.error : "",
  );
  assert.ok("error" in refused && !refused.error.includes("1:x"), "the bot's token never reaches last_error");
});
