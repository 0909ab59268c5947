/**
 * The devstack's own tools refuse requests that other web pages can send: a page on another local
 * port (the SPA's dev server, any site the developer opens) must not drive the simulated people,
 * the Telegram stand-in's control endpoints or the mail catcher. Browsers send "simple" requests
 * (a text/plain POST, a form, an <img> GET) without a preflight, so each endpoint that changes
 * state is tried here with the headers such a page's request carries, and must answer 403 and
 * change nothing; the tool's own page and programs sending JSON keep working.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import nodemailer from "nodemailer";
import { startMail } from "../../devstack/mail/server.ts";
import { startTelegram } from "../../devstack/telegram/server.ts";

const TOKEN = "777000:stand-in-test-token";
const OTHER_PAGE = "http://127.0.0.1:5173";

/** The ways a page on another origin can reach a local port without asking first. */
function foreignRequests(method: string, body?: string): [string, RequestInit][] {
  const withBody = body === undefined ? {} : { body };
  return [
    ["text/plain from another port", {
      method,
      headers: {
        origin: OTHER_PAGE,
        "content-type": "text/plain;charset=UTF-8",
        "sec-fetch-site": "same-site",
      },
      ...withBody,
    }],
    ["JSON claiming another origin", {
      method,
      headers: { origin: "http://localhost:8080", "content-type": "application/json" },
      ...withBody,
    }],
    ["a cross-site request without Origin", {
      method,
      headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      ...withBody,
    }],
    ["a same-site request without Origin", {
      method,
      headers: { "sec-fetch-site": "same-site", "content-type": "application/json" },
      ...withBody,
    }],
    ["a DNS-rebound page", {
      method,
      headers: { origin: "http://evil.example:54326", "content-type": "text/plain" },
      ...withBody,
    }],
  ];
}

Deno.test("the chat page's API and the control endpoints accept their own origin only", async () => {
  let reminded = 0;
  const telegram = await startTelegram({ port: 0, token: TOKEN }, {
    remindNow: () => Promise.resolve({ message: `reminded ${++reminded}` }),
  });
  try {
    const ann = telegram.api.createUser({ first_name: "Ann" });
    telegram.api.sendText(ann.id, "/start");
    const ruleId = telegram.chaos.add({ kind: "server_error", times: 1, methods: ["getMe"] } as never);
    const snapshot = async () => ({
      users: await (await fetch(`${telegram.url}/api/users`)).json(),
      chat: await (await fetch(`${telegram.url}/api/chats/${ann.id}`)).json(),
      chaos: await (await fetch(`${telegram.url}/_control/chaos`)).json(),
      calls: await (await fetch(`${telegram.url}/_control/calls`)).json(),
    });
    const before = await snapshot();

    const endpoints: [string, string, string?][] = [
      ["POST", "/api/users", JSON.stringify({ first_name: "Mallory" })],
      ["POST", `/api/chats/${ann.id}/messages`, JSON.stringify({ text: "/habits" })],
      ["POST", `/api/chats/${ann.id}/press`, JSON.stringify({ message_id: 1, data: "x" })],
      ["POST", `/api/chats/${ann.id}/blocked`, JSON.stringify({ blocked: true })],
      ["POST", `/api/chats/${ann.id}/remind-now`, "{}"],
      ["POST", "/_control/chaos", JSON.stringify({ kind: "blocked" })],
      ["DELETE", "/_control/chaos", undefined],
      ["DELETE", `/_control/chaos/${ruleId}`, undefined],
      ["POST", "/_control/reset", undefined],
    ];
    for (const [method, path, body] of endpoints) {
      for (const [how, init] of foreignRequests(method, body)) {
        const response = await fetch(`${telegram.url}${path}`, init);
        const answer = await response.text();
        assert.equal(
          response.status,
          403,
          `${method} ${path} (${how}) answered ${response.status} ${answer}`,
        );
      }
    }
    // A text/plain POST from a program or an old browser that sends no Origin is refused as well.
    const plain = await fetch(`${telegram.url}/api/chats/${ann.id}/messages`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ text: "/habits" }),
    });
    assert.equal(plain.status, 403);
    assert.match((await plain.json()).error, /Content-Type: application\/json/);

    // The Bot API takes GET for every method, so an <img> on another page could call it.
    const image = await fetch(`${telegram.url}/bot${TOKEN}/sendMessage?chat_id=${ann.id}&text=hi`, {
      headers: { "sec-fetch-site": "same-site", "sec-fetch-dest": "image" },
    });
    assert.equal(image.status, 403);
    await image.body?.cancel();
    const posted = await fetch(`${telegram.url}/bot${TOKEN}/setWebhook`, {
      method: "POST",
      headers: { origin: OTHER_PAGE, "content-type": "application/x-www-form-urlencoded" },
      body: "url=http%3A%2F%2Fevil.example%2Fhook",
    });
    assert.equal(posted.status, 403);
    expect(await posted.json()).toMatchObject({ ok: false, error_code: 403 });

    assert.deepEqual(await snapshot(), before, "nothing changed");
    assert.equal(reminded, 0);

    // The chat page itself (any loopback spelling of its origin) and programs sending JSON work.
    const port = new URL(telegram.url).port;
    for (const origin of [telegram.url, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      const own = await fetch(`${telegram.url}/api/chats/${ann.id}/messages`, {
        method: "POST",
        headers: { origin, "content-type": "application/json", "sec-fetch-site": "same-origin" },
        body: JSON.stringify({ text: "/habits" }),
      });
      assert.equal(own.status, 201, await own.text());
    }
    const program = await fetch(`${telegram.url}/_control/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    assert.equal(program.status, 204);
    const form = await fetch(`${telegram.url}/bot${TOKEN}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({ chat_id: String(ann.id), text: "from the bot" }),
    });
    assert.equal(form.status, 200, "the Bot API still takes forms from programs");
    await form.body?.cancel();
  } finally {
    await telegram.close();
  }
});

Deno.test("the mail catcher's delete API accepts its own origin only", async () => {
  const mail = await startMail({ port: 0, smtpPort: 0 });
  const transport = nodemailer.createTransport({ host: mail.smtpHost, port: mail.smtpPort, secure: false });
  try {
    await transport.sendMail({ from: "a@habits.test", to: "u@example.com", subject: "keep me", text: "." });
    for (const [how, init] of foreignRequests("DELETE", "")) {
      const response = await fetch(`${mail.url}/api/v1/messages`, init);
      await response.body?.cancel();
      assert.equal(response.status, 403, how);
    }
    assert.equal((await (await fetch(`${mail.url}/api/v1/messages`)).json()).total, 1);
    const own = await fetch(`${mail.url}/api/v1/messages`, {
      method: "DELETE",
      headers: { origin: mail.url },
    });
    await own.body?.cancel();
    assert.equal(own.status, 200);
    assert.equal((await (await fetch(`${mail.url}/api/v1/messages`)).json()).total, 0);
  } finally {
    transport.close();
    await mail.close();
  }
});
