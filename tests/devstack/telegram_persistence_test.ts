/**
 * The local Telegram remembers (issue 24): people, chats, messages and the next ids survive a
 * restart through the state file the start command gives it, and no id is handed out twice.
 * Real Telegram never reuses a user id or an update id (https://core.telegram.org/bots/api#update:
 * "update identifiers start from a certain positive number and increase sequentially").
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { startTelegram } from "../../devstack/telegram/server.ts";

const TOKEN = "1000000001:persistence-test-token";

Deno.test("a person and their conversation survive a restart of the local Telegram, and ids never repeat", async () => {
  const dir = await Deno.makeTempDir({ prefix: "telegram-state-" });
  const stateFile = `${dir}/telegram.json`;
  try {
    const first = await startTelegram({ hostname: "127.0.0.1", port: 0, token: TOKEN, stateFile });
    const ann = first.api.createUser({ first_name: "Ann" });
    first.api.sendText(ann.id, "/start");
    const firstMessage = first.api.model.chat(ann.id)!.messages[0];
    const nextUpdateBefore = first.api.updates.nextUpdateId;
    await first.close();

    const second = await startTelegram({ hostname: "127.0.0.1", port: 0, token: TOKEN, stateFile });
    try {
      const chat = second.api.model.chat(ann.id);
      assert.ok(chat, "Ann is still there");
      expect(chat.user.first_name).toBe("Ann");
      expect(chat.started).toBe(true);
      expect(chat.messages.map((m) => m.text)).toEqual(["/start"]);
      const people = await (await fetch(`${second.url}/api/users`)).json() as { id: number }[];
      expect(people.map((p) => p.id)).toEqual([ann.id]);

      const bob = second.api.createUser({ first_name: "Bob" });
      assert.notEqual(bob.id, ann.id, "a new person never gets an earlier person's id");
      second.api.sendText(bob.id, "hi");
      const bobMessage = second.api.model.chat(bob.id)!.messages[0];
      assert.ok(bobMessage.message_id > firstMessage.message_id, "message ids go on");
      assert.ok(second.api.updates.nextUpdateId > nextUpdateBefore, "update ids go on");
    } finally {
      await second.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a fresh state file starts people's ids from the clock, unlike an earlier folder's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "telegram-state-" });
  try {
    const telegram = await startTelegram({
      hostname: "127.0.0.1",
      port: 0,
      token: TOKEN,
      stateFile: `${dir}/telegram.json`,
    });
    try {
      const person = telegram.api.createUser({ first_name: "Cleo" });
      assert.ok(person.id >= Math.floor(Date.now() / 1000) - 60, `id ${person.id} comes from the clock`);
    } finally {
      await telegram.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
