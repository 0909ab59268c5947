/**
 * Issue 27 (the ceiling): Bot API calls reuse keep-alive connections, and still every call is
 * exactly one request (issue 11). Deno's fetch resends a request once when a pooled connection
 * breaks before the answer (denoland/deno#32566, kept for pooled connections by #36415), but only
 * a body it can clone: callBotApi hands its body over as a stream, which it never resends.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { callBotApi } from "../../supabase/functions/_shared/telegram.ts";
import { classifySendError } from "../../supabase/functions/reminders/send-outcome.ts";

/** A Bot API stand-in on node:http (dropping a connection needs the socket), on a free port. */
async function withNodeServer(
  answer: (request: IncomingMessage, response: ServerResponse, body: string) => void,
  test: (apiRoot: string) => Promise<void>,
) {
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => body += chunk);
    request.on("end", () => answer(request, response, body));
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  try {
    await test(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

const send = (apiRoot: string, text: string) =>
  callBotApi<{ message_id: number }>({ token: "1:x", apiRoot, timeoutSeconds: 5 }, "sendMessage", {
    chat_id: 1,
    text,
  });

Deno.test("a sendMessage on a reused connection that breaks before the answer is sent once, and maybe delivered", async () => {
  const received: { text: string; socket: Socket }[] = [];
  await withNodeServer((request, response, body) => {
    received.push({ text: JSON.parse(body).text, socket: request.socket });
    // The first is answered (the connection stays open); the second arrives, then the connection drops.
    if (received.length === 1) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: true, result: { message_id: 7 } }));
    } else {
      request.socket.destroy();
    }
  }, async (apiRoot) => {
    assert.equal((await send(apiRoot, "first")).message_id, 7);
    let outcome;
    try {
      await send(apiRoot, "second");
      assert.fail("the dropped call resolved");
    } catch (error) {
      outcome = classifySendError(error);
    }
    assert.equal(outcome.outcome, "uncertain", JSON.stringify(outcome));
    assert.deepEqual(received.map((call) => call.text), ["first", "second"], "the second left exactly once");
    assert.equal(received[1].socket, received[0].socket, "the second call reused the first one's connection");
  });
});

Deno.test("Bot API calls in a row share one keep-alive connection", async () => {
  const sockets = new Set<Socket>();
  let calls = 0;
  await withNodeServer((request, response) => {
    sockets.add(request.socket);
    calls++;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ ok: true, result: { message_id: calls } }));
  }, async (apiRoot) => {
    for (let i = 0; i < 20; i++) await send(apiRoot, `message ${i} é`);
  });
  assert.equal(calls, 20);
  assert.equal(sockets.size, 1);
});
