/**
 * Every text the bot shortens (picker and follow-up labels, /today's Done buttons, the Done mark,
 * the digest's names) stays well-formed UTF-16 when the cut falls inside an emoji: Telegram
 * refuses a lone surrogate in any string with 400 "strings must be encoded in UTF-8" (td's
 * CLEAN_INPUT_STRING), so a habit named in emoji would lose its picker, its /today list or its
 * weekly digest (a 4xx is dead at once).
 */
import assert from "node:assert/strict";
import { composeDigest } from "../../supabase/functions/reminders/digest.ts";
import { createHabit, createTestUser } from "../support/database.ts";
import { buttonPress, textMessage } from "../support/telegram-updates.ts";
import { startWebhookHarness } from "../support/webhook-harness.ts";

/** Two actions of 60 emoji, one shifted by a letter: every cut point meets one of them mid-emoji. */
const EMOJI_ACTIONS = ["😀".repeat(60), `x${"😀".repeat(60)}`];

const brokenStrings = (value: unknown): string[] => {
  if (typeof value === "string") return value.isWellFormed() ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(brokenStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(brokenStrings);
  return [];
};

Deno.test("labels cut inside an emoji stay well-formed, so Telegram takes every reply", async (t) => {
  const harness = await startWebhookHarness();
  const { sql, telegram, users } = harness;
  const post = async (update: unknown) => {
    const body = await harness.post(update);
    assert.equal(body.undeliverable, undefined, "Telegram took every reply");
  };
  const callsSince = (from: number) => telegram.calls.slice(from);

  try {
    const person = await createTestUser(sql);
    users.push(person);
    const chat = person.chatId;
    const ids: string[] = [];
    for (const action of EMOJI_ACTIONS) ids.push(await createHabit(sql, person, { action }));
    await createHabit(sql, person, { action: `😊${"😀".repeat(60)}`, is_pleasant: true, time: "21:00" });

    for (const command of ["/pause", "/delete", "/today"]) {
      await t.step(`${command}: its buttons' labels`, async () => {
        const from = telegram.calls.length;
        await post(textMessage(chat, command));
        const sent = callsSince(from).filter((call) => call.method === "sendMessage");
        assert.ok(sent.length > 0);
        assert.deepEqual(sent.flatMap((call) => brokenStrings(call.payload)), []);
      });
    }

    await t.step("the Done mark on /today's pressed button", async () => {
      for (const id of ids) {
        const from = telegram.calls.length;
        const press = buttonPress(chat, `today:${id}`);
        Object.assign(press.callback_query.message, {
          reply_markup: { inline_keyboard: [[{ text: "✅", callback_data: `today:${id}` }]] },
        });
        await post(press);
        const edits = callsSince(from).filter((call) => call.method === "editMessageReplyMarkup");
        assert.equal(edits.length, 1);
        assert.deepEqual(brokenStrings(edits[0].payload), []);
      }
    });

    await t.step("/new's follow-up question: the pleasant habits' labels", async () => {
      await post(textMessage(chat, "/new"));
      await post(textMessage(chat, "read"));
      await post(buttonPress(chat, "new:t:0730"));
      await post(textMessage(chat, "desk"));
      await post(buttonPress(chat, "new:i:1"));
      const from = telegram.calls.length;
      await post(buttonPress(chat, "new:d:60"));
      const sent = callsSince(from).filter((call) => call.method === "sendMessage");
      assert.ok(
        JSON.stringify(sent.at(-1)?.payload.reply_markup).includes("😊"),
        "the pleasant habit is offered",
      );
      assert.deepEqual(sent.flatMap((call) => brokenStrings(call.payload)), []);
      await post(textMessage(chat, "/cancel"));
    });
  } finally {
    await harness.stop();
  }
});

Deno.test("the weekly digest names emoji habits in well-formed text", () => {
  const habits = EMOJI_ACTIONS.map((action, index) => ({
    action,
    is_paused: false,
    streak: index,
    week_marks: "✅❌✅",
    week_done: index + 1,
    week_due: 3,
  }));
  for (const language of ["en", "ru"] as const) {
    const digest = composeDigest(habits, language);
    assert.ok(digest.includes("😀"));
    assert.ok(digest.isWellFormed(), `the ${language} digest holds no lone surrogate`);
  }
});
