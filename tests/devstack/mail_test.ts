import assert from "node:assert/strict";
import { expect } from "expect";
import nodemailer from "nodemailer";
import { type RunningMail, startMail } from "../../devstack/mail/server.ts";

interface Outgoing {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
}
type Send = (message: Outgoing) => Promise<unknown>;

async function withMail(fn: (mail: RunningMail, send: Send) => Promise<void>) {
  const mail = await startMail({ port: 0, smtpPort: 0 });
  const transport = nodemailer.createTransport({ host: mail.smtpHost, port: mail.smtpPort, secure: false });
  const send: Send = (message) => transport.sendMail(message);
  try {
    await fn(mail, send);
  } finally {
    transport.close();
    await mail.close();
  }
}

Deno.test("mail catcher lists caught messages newest first in Mailpit's shape", async () => {
  await withMail(async (mail, send) => {
    await send({
      from: '"Habits" <noreply@habits.test>',
      to: "ana@example.com",
      subject: "first",
      text: "one",
    });
    await send({
      from: "noreply@habits.test",
      to: "Bo <bo@example.com>",
      subject: "Confirm your signup",
      html:
        '<p>Follow <a href="http://127.0.0.1:54321/auth/v1/verify?token=abc&amp;type=signup">this link</a></p>',
    });
    const response = await fetch(`${mail.url}/api/v1/messages`);
    assert.equal(response.status, 200);
    const list = await response.json();
    assert.equal(list.total, 2);
    assert.equal(list.count, 2);
    expect(list.messages[0]).toMatchObject({
      From: { Name: "", Address: "noreply@habits.test" },
      To: [{ Name: "Bo", Address: "bo@example.com" }],
      Subject: "Confirm your signup",
      Snippet: "Follow this link",
    });
    expect(list.messages[1]).toMatchObject({
      From: { Name: "Habits", Address: "noreply@habits.test" },
      To: [{ Name: "", Address: "ana@example.com" }],
      Subject: "first",
    });
    expect(typeof list.messages[0].ID).toBe("string");
    expect(typeof list.messages[0].MessageID).toBe("string");
    expect(Date.parse(list.messages[0].Created)).not.toBeNaN();

    const limited = await (await fetch(`${mail.url}/api/v1/messages?limit=1`)).json();
    assert.equal(limited.count, 1);
    assert.equal(limited.total, 2);
    assert.equal(limited.messages[0].Subject, "Confirm your signup");
  });
});

Deno.test("mail catcher returns one message with text and HTML, and searches by recipient", async () => {
  await withMail(async (mail, send) => {
    await send({ from: "a@habits.test", to: "x@example.com", subject: "for x", text: "hello x" });
    await send({
      from: "a@habits.test",
      to: "y@example.com",
      subject: "for y",
      text: "hello y http://127.0.0.1:5173/confirm",
      html: "<b>hello y</b>",
    });
    const found = await (await fetch(`${mail.url}/api/v1/search?query=to:y@example.com`)).json();
    assert.equal(found.messages.length, 1);
    const id = found.messages[0].ID;
    const message = await (await fetch(`${mail.url}/api/v1/message/${id}`)).json();
    expect(message).toMatchObject({
      ID: id,
      Subject: "for y",
      From: { Address: "a@habits.test" },
      To: [{ Address: "y@example.com" }],
      Text: expect.stringContaining("hello y"),
      HTML: "<b>hello y</b>",
    });
    expect(Date.parse(message.Date)).not.toBeNaN();

    const missing = await fetch(`${mail.url}/api/v1/message/nope`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();

    const page = await (await fetch(`${mail.url}/view/${id}`)).text();
    expect(page).toContain('<a href="http://127.0.0.1:5173/confirm">');
    const inbox = await (await fetch(`${mail.url}/`)).text();
    expect(inbox).toContain(`/view/${id}`);
  });
});

Deno.test("mail catcher deletes some or all messages", async () => {
  await withMail(async (mail, send) => {
    for (const n of [1, 2, 3]) {
      await send({ from: "a@habits.test", to: `u${n}@example.com`, subject: `m${n}`, text: "." });
    }
    const list = await (await fetch(`${mail.url}/api/v1/messages`)).json();
    const m3 = list.messages[0].ID;
    const one = await fetch(`${mail.url}/api/v1/messages`, {
      method: "DELETE",
      body: JSON.stringify({ IDs: [m3] }),
    });
    assert.equal(one.status, 200);
    await one.body?.cancel();
    const after = await (await fetch(`${mail.url}/api/v1/messages`)).json();
    assert.deepEqual(after.messages.map((m: { Subject: string }) => m.Subject), ["m2", "m1"]);

    const all = await fetch(`${mail.url}/api/v1/messages`, { method: "DELETE" });
    assert.equal(all.status, 200);
    await all.body?.cancel();
    const empty = await (await fetch(`${mail.url}/api/v1/messages`)).json();
    assert.equal(empty.total, 0);
    assert.deepEqual(empty.messages, []);
  });
});
