/**
 * Updates an outside tester sends a strict bot: a /today Done pressed after its habit was paused,
 * text Postgres cannot store, edited messages, update kinds the bot does not handle, and one
 * update delivered twice at once. Each is answered (never a 500 and a redelivery loop) and
 * changes only what the promise says.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { createMessages } from "../../supabase/functions/telegram-webhook/messages/index.ts";
import { createHabit, createTestUser } from "../support/database.ts";
import { TEST_SITE_URL } from "../support/functions.ts";
import { buttonPress, textMessage } from "../support/telegram-updates.ts";
import { startWebhookHarness } from "../support/webhook-harness.ts";

const en = createMessages(TEST_SITE_URL)("en");

Deno.test("odd updates: each is answered and changes only what it may", async (t) => {
  const { sql, telegram, users, postRaw, post, stop } = await startWebhookHarness();
  const sentTo = (chatId: number) =>
    telegram.calls.filter((call) =>
      (call.method === "sendMessage" || call.method === "editMessageText") && call.payload.chat_id === chatId
    );
  const alerts = () => telegram.callsOf("answerCallbackQuery").map((call) => call.payload);
  const completionsOf = async (habitId: string) =>
    Number((await sql`select count(*) as n from public.habit_completions where habit_id = ${habitId}`)[0].n);

  try {
    const alice = await createTestUser(sql);
    users.push(alice);
    const chat = alice.chatId;
    const now = new Date();
    const soon = `${String(now.getUTCHours()).padStart(2, "0")}:59`;

    await t.step("/today's Done on a habit paused since refuses and records nothing", async () => {
      const habitId = await createHabit(sql, alice, { action: "stretch", time: soon });
      await post(textMessage(chat, "/today"));
      expect(String(sentTo(chat).at(-1)?.payload.text)).toContain("stretch");
      await sql`update public.habits set is_paused = true where id = ${habitId}`;
      await post(buttonPress(chat, `today:${habitId}`));
      assert.equal(await completionsOf(habitId), 0, "no completion of a paused habit");
      expect(alerts().at(-1)).toMatchObject({ text: en.buttonAlert.paused, show_alert: true });
    });

    await t.step(
      "text Postgres cannot store (U+0000) is acknowledged as out of range, not a 500",
      async () => {
        await post(textMessage(chat, "/new"));
        const before = sentTo(chat).length;
        const body = await post(textMessage(chat, "read\u0000 one page"));
        expect(body).toMatchObject({ ok: true, ignored: "out_of_range" });
        assert.equal(sentTo(chat).length, before, "nothing reached a handler");
        const linking = textMessage(chat, "/start AAAAAAAAAAAAAAAAAAAAAAAA");
        Object.assign(linking.message.from, { username: "a\u0000b" });
        expect(await post(linking)).toMatchObject({ ok: true, ignored: "out_of_range" });
        await post(textMessage(chat, "read one page"));
        expect(String(sentTo(chat).at(-1)?.payload.text)).toBe(en.askTime);
        await post(textMessage(chat, "/cancel"));
      },
    );

    await t.step("an edited message and an unknown update kind get no answer and no 500", async () => {
      const before = sentTo(chat).length;
      const edited = textMessage(chat, "/stop");
      const editedUpdate = {
        update_id: edited.update_id,
        edited_message: { ...edited.message, edit_date: Math.floor(Date.now() / 1000) },
      };
      await post(editedUpdate);
      await post({
        update_id: edited.update_id + 100_000,
        message_reaction: { chat: { id: chat, type: "private" } },
      });
      await post({ update_id: edited.update_id + 100_001, some_future_kind: { x: 1 } });
      assert.equal(sentTo(chat).length, before, "nothing was sent");
    });

    await t.step(
      "a 403 to a reply (the bot blocked) unlinks the chat and remembers when, as a reminder's does",
      async () => {
        const blocker = await createTestUser(sql);
        users.push(blocker);
        const habitId = await createHabit(sql, blocker, { action: "walk", time: soon });
        telegram.failNext("sendMessage", { kind: "blocked" }, { chatId: blocker.chatId });
        const body = await post(textMessage(blocker.chatId, "/help"));
        assert.equal(body.ok, true);
        const [profile] = await sql`
        select telegram_chat_id, telegram_blocked_at from public.profiles where id = ${blocker.id}`;
        assert.equal(profile.telegram_chat_id, null, "the chat is unlinked");
        assert.ok(profile.telegram_blocked_at, "the profile remembers when");
        const queued = await sql`
        select status from public.notifications where habit_id = ${habitId} and status in ('pending', 'retry')`;
        assert.equal(queued.length, 0, "nothing stays queued for the chat");
      },
    );

    await t.step(
      "a zone that no longer resolves gets the zone's sentence, never a 500 and a redelivery loop",
      async () => {
        // As when tzdata-legacy leaves the server (supabase/tests/161): the profile's zone was
        // valid when written. The tick pauses that person with a reason; the bot must say why too.
        const lost = await createTestUser(sql, { timezone: "Europe/Berlin" });
        users.push(lost);
        const habitId = await createHabit(sql, lost, { action: "read" });
        const [reminder] = await sql<{ id: bigint }[]>`
        insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at, status)
        values (${habitId}, ${lost.id}, 'reminder', now() - interval '1 minute', now() - interval '1 minute', now(), 'sent')
        returning id`;
        await sql`alter table public.profiles drop constraint profiles_timezone_is_known`;
        await sql`alter table public.profiles disable trigger profiles_reschedule_habits`;
        try {
          await sql`update public.profiles set timezone = 'Mars/Olympus_Mons' where id = ${lost.id}`;
          for (const command of ["/today", "/stats", "/new"]) {
            await post(textMessage(lost.chatId, command));
            expect(String(sentTo(lost.chatId).at(-1)?.payload.text)).toBe(
              en.zoneUnknown("Mars/Olympus_Mons"),
            );
          }
          await post(buttonPress(lost.chatId, `done:${reminder.id}`));
          expect(String(sentTo(lost.chatId).at(-1)?.payload.text)).toBe(en.zoneUnknown("Mars/Olympus_Mons"));
        } finally {
          await sql`update public.profiles set timezone = 'UTC' where id = ${lost.id}`;
          await sql`alter table public.profiles enable trigger profiles_reschedule_habits`;
          await sql`alter table public.profiles
          add constraint profiles_timezone_is_known check (private.is_known_time_zone(timezone))`;
        }
      },
    );

    await t.step("one link code opened in two chats at once links exactly one of them", async () => {
      const owner = await createTestUser(sql, { linkTelegram: false });
      users.push(owner);
      const code = await sql.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true),
          set_config('request.jwt.claims', ${
          JSON.stringify({ sub: owner.id, role: "authenticated" })
        }, true)`;
        const [row] = await tx<{ code: string }[]>`select code from public.create_telegram_link_code()`;
        return row.code;
      });
      const chats = [owner.chatId, owner.chatId + 1];
      await Promise.all(chats.map((chatId) => post(textMessage(chatId, `/start ${code}`))));
      const [row] = await sql`select telegram_chat_id from public.profiles where id = ${owner.id}`;
      assert.ok(chats.includes(Number(row.telegram_chat_id)), "one of the two chats is linked");
      const other = chats.find((chatId) => chatId !== Number(row.telegram_chat_id))!;
      expect(String(sentTo(other).at(-1)?.payload.text)).toContain(en.used_code);
    });

    await t.step("Done pressed twice at once (two updates) records one completion", async () => {
      const habitId = await createHabit(sql, alice, { action: "double tap" });
      const [reminder] = await sql<{ id: bigint }[]>`
        insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at, next_attempt_at, status)
        values (${habitId}, ${alice.id}, 'reminder', now() - interval '1 minute', now() - interval '1 minute', now(), 'sent')
        returning id`;
      await Promise.all([1, 2].map(() => post(buttonPress(chat, `done:${reminder.id}`))));
      assert.equal(await completionsOf(habitId), 1);
    });

    await t.step("one update delivered twice at once is handled once", async () => {
      const update = textMessage(chat, "/help");
      const before = sentTo(chat).length;
      const [a, b] = await Promise.all([postRaw(update), postRaw(update)]);
      const statuses = [a.status, b.status].sort();
      assert.ok(
        (statuses[0] === 200 && statuses[1] === 200) || (statuses[0] === 200 && statuses[1] === 503),
        JSON.stringify([a, b]),
      );
      await post(update);
      assert.equal(sentTo(chat).length, before + 1, "one answer");
    });
  } finally {
    await stop();
  }
});
