/**
 * The habit conversations of the Telegram bot (/new, /cancel, /edit, /pause, /resume, /delete,
 * /stats) driven through the Bot API stand-in, against one webhook process that the test
 * restarts in the middle of /new (a cold start: the conversation lives in the database).
 */
import { liftChatGap } from "../support/chat-gap.ts";
import assert from "node:assert/strict";
import { expect } from "expect";
import { RULE_SENTENCES } from "../../web/src/errors/error-messages.ts";
import {
  createMessages,
  RULE_SENTENCES_RU,
} from "../../supabase/functions/telegram-webhook/messages/index.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
  uniqueChatId,
} from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import {
  spawnFunctionProcess,
  TEST_BOT_TOKEN,
  TEST_SITE_URL,
  TEST_WEBHOOK_SECRET,
} from "../support/functions.ts";
import { buttonPress, textMessage } from "../support/telegram-updates.ts";

const replies = createMessages(TEST_SITE_URL);
const en = replies("en");
const ru = replies("ru");

Deno.test("habits from the chat: every step, refusal, cancel and a cold start", async (t) => {
  const sql = connectTestDatabase();
  const restoreChatGap = await liftChatGap(sql);
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const webhook = spawnFunctionProcess("telegram-webhook", telegram.apiRoot);
  const users: TestUser[] = [];
  const post = async (update: unknown) => {
    const response = await webhook.fetch(
      new Request("http://function.local/telegram-webhook", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Telegram-Bot-Api-Secret-Token": TEST_WEBHOOK_SECRET,
        },
        body: JSON.stringify(update),
      }),
    );
    assert.equal(response.status, 200, await response.text());
  };
  const sent = (chatId: number) =>
    telegram.calls.filter((call) =>
      (call.method === "sendMessage" || call.method === "editMessageText") && call.payload.chat_id === chatId
    );
  const last = (chatId: number) => String(sent(chatId).at(-1)?.payload.text ?? "");
  const buttonsOfLast = (chatId: number): { text: string; callback_data: string }[] => {
    const markup = sent(chatId).at(-1)?.payload.reply_markup as
      | { inline_keyboard: { text: string; callback_data: string }[][] }
      | undefined;
    return markup?.inline_keyboard.flat() ?? [];
  };
  const say = (chatId: number, text: string, languageCode?: string) => {
    const update = textMessage(chatId, text);
    if (languageCode) Object.assign(update.message.from, { language_code: languageCode });
    return post(update);
  };
  const press = (chatId: number, data: string) => post(buttonPress(chatId, data));
  const habitsOf = (user: TestUser) =>
    sql<
      {
        id: string;
        action: string;
        place: string;
        time: string;
        interval_days: number;
        duration_seconds: number;
        reward: string | null;
        related_habit_id: string | null;
        is_paused: boolean;
      }[]
    >`select id, action, place, time::text as time, interval_days, duration_seconds, reward, related_habit_id,
        is_paused
      from public.habits where owner_id = ${user.id} and not is_pleasant order by created_at`;
  const conversationOf = async (chatId: number) =>
    (await sql`select step from private.telegram_conversations where chat_id = ${chatId}`)[0]?.step ?? null;

  try {
    const alice = await createTestUser(sql, { timezone: "Europe/Berlin" });
    users.push(alice);
    const chat = alice.chatId;
    const pleasant = await createHabit(sql, alice, {
      action: "play guitar",
      is_pleasant: true,
      time: "20:00",
    });
    const notPleasant = await createHabit(sql, alice, { action: "stretch", time: "06:00" });

    await t.step(
      "/new asks for the action; a refusal is the rule's sentence and keeps the step",
      async () => {
        await say(chat, "/new");
        expect(last(chat)).toBe(en.askAction);
        expect(buttonsOfLast(chat).map((b) => b.callback_data)).toEqual(["cancel"]);
        await say(chat, "x".repeat(201));
        expect(last(chat)).toBe(RULE_SENTENCES.habits_action_length);
        assert.equal(await conversationOf(chat), "action");
        await say(chat, "read one page");
        expect(last(chat)).toBe(en.askTime);
      },
    );

    await t.step("time: a malformed time is refused, a button answers", async () => {
      await say(chat, "25:00");
      expect(last(chat)).toBe(en.badTime);
      expect(buttonsOfLast(chat).length).toBe(0);
      await press(chat, "new:t:0730");
      expect(last(chat)).toBe(en.askPlace);
    });

    await t.step("a cold start in the middle of /new loses nothing", async () => {
      await webhook.restart();
      await say(chat, "in bed");
      expect(last(chat)).toBe(en.askInterval);
      const [row] = await sql`select draft from private.telegram_conversations where chat_id = ${chat}`;
      expect(row.draft).toEqual({ action: "read one page", time: "07:30", place: "in bed" });
    });

    await t.step("interval and duration: out-of-range numbers get the rules' sentences", async () => {
      await say(chat, "9");
      expect(last(chat)).toBe(RULE_SENTENCES.habits_interval_days_range);
      await say(chat, "often");
      expect(last(chat)).toBe(en.badNumber);
      await press(chat, "new:d:30");
      expect(last(chat)).toBe(en.useButtons);
      await say(chat, "2");
      expect(last(chat)).toBe(en.askDuration);
      await say(chat, "500");
      expect(last(chat)).toBe(RULE_SENTENCES.habits_duration_seconds_range);
      await press(chat, "new:d:60");
      expect(last(chat)).toBe(en.askFollowUp);
    });

    await t.step(
      "follow-up: the person's pleasant habits are offered; a non-pleasant one is refused",
      async () => {
        const offered = buttonsOfLast(chat).map((b) => b.callback_data);
        expect(offered).toEqual(["new:f:reward", "new:f:none", `new:p:${pleasant}`, "cancel"]);
        for (const data of offered) assert.ok(new TextEncoder().encode(data).length <= 64);
        await press(chat, `new:p:${notPleasant}`);
        expect(last(chat)).toBe(RULE_SENTENCES.habits_related_habit_must_be_pleasant);
        assert.equal((await habitsOf(alice)).length, 1, "nothing was written");
        await press(chat, `new:p:${pleasant}`);
        expect(last(chat)).toBe(en.created("read one page"));
        assert.equal(await conversationOf(chat), null);
        const created = (await habitsOf(alice)).find((habit) => habit.action === "read one page");
        expect(created).toMatchObject({
          place: "in bed",
          time: "07:30:00",
          interval_days: 2,
          duration_seconds: 60,
          reward: null,
          related_habit_id: pleasant,
        });
      },
    );

    await t.step(
      "the place is written once: a place typed with its preposition gets no second one",
      async () => {
        expect(en.askPlace).toBe("Where? Send the place, e.g. <i>the kitchen</i>.");
        await say(chat, "/habits");
        expect(last(chat)).toContain("I will <b>read one page</b> at <b>7:30 AM</b> <b>in bed</b>");
        expect(last(chat)).not.toContain("in in");
        await say(chat, "/habits", "ru");
        expect(last(chat)).toContain("Я буду <b>read one page</b> в <b>07:30</b>, <b>in bed</b>");
        expect(last(chat)).toContain("Я буду <b>stretch</b> в <b>06:00</b>, место: <b>desk</b>");
      },
    );

    await t.step("a reward as free text, with the reward rule checked", async () => {
      await say(chat, "/new");
      for (const answer of ["drink water", "12:00", "kitchen", "1", "30"]) await say(chat, answer);
      await press(chat, "new:f:reward");
      expect(last(chat)).toBe(en.askReward);
      await say(chat, "r".repeat(201));
      expect(last(chat)).toBe(RULE_SENTENCES.habits_reward_length);
      await say(chat, "a cup of tea");
      expect(last(chat)).toBe(en.created("drink water"));
      expect((await habitsOf(alice)).find((habit) => habit.action === "drink water")?.reward).toBe(
        "a cup of tea",
      );
    });

    await t.step("/cancel and the Cancel button end /new at any step, writing nothing", async () => {
      const before = (await habitsOf(alice)).length;
      await say(chat, "/new");
      await say(chat, "walk");
      await say(chat, "/cancel");
      expect(last(chat)).toBe(en.cancelled);
      assert.equal(await conversationOf(chat), null);
      await say(chat, "08:00");
      expect(last(chat)).not.toBe(en.askPlace);
      await say(chat, "/new");
      for (const answer of ["walk", "08:00", "park", "1"]) await say(chat, answer);
      await press(chat, "cancel");
      expect(last(chat)).toBe(en.cancelled);
      await say(chat, "/cancel");
      expect(last(chat)).toBe(en.nothingToCancel);
      assert.equal((await habitsOf(alice)).length, before);
    });

    await t.step("/pause, /resume and /delete pick from the habits; delete asks first", async () => {
      const [first] = await habitsOf(alice);
      await say(chat, "/pause");
      expect(last(chat)).toBe(en.pickHeading.pause);
      expect(buttonsOfLast(chat).map((b) => b.callback_data)).toContain(`pause:h:${first.id}`);
      expect(buttonsOfLast(chat).at(-1)).toEqual({ text: en.cancelButton, callback_data: "pick:no" });
      await press(chat, "pick:no");
      expect(last(chat)).toBe(en.cancelled);
      assert.equal((await habitsOf(alice))[0].is_paused, false, "Cancel on /pause pauses nothing");
      await say(chat, "/pause");
      await press(chat, `pause:h:${first.id}`);
      expect(last(chat)).toBe(en.paused(first.action));
      assert.equal((await habitsOf(alice))[0].is_paused, true);
      await say(chat, "/resume");
      expect(buttonsOfLast(chat).map((b) => b.callback_data)).toEqual([`resume:h:${first.id}`, "pick:no"]);
      await press(chat, `resume:h:${first.id}`);
      expect(last(chat)).toBe(en.resumed(first.action));
      assert.equal((await habitsOf(alice))[0].is_paused, false);

      await say(chat, "/delete");
      await press(chat, `delete:h:${first.id}`);
      expect(last(chat)).toBe(en.deleteQuestion(first.action));
      await press(chat, "delete:no");
      expect(last(chat)).toBe(en.kept);
      assert.ok((await habitsOf(alice)).some((habit) => habit.id === first.id));
      await press(chat, `delete:yes:${first.id}`);
      expect(last(chat)).toBe(en.deleted(first.action));
      assert.ok(!(await habitsOf(alice)).some((habit) => habit.id === first.id));
      await press(chat, `pause:h:${first.id}`);
      expect(last(chat)).toBe(en.gone);
    });

    await t.step("/edit changes one field under the same rules", async () => {
      const habit = (await habitsOf(alice)).find((row) => row.action === "read one page")!;
      await say(chat, "/edit");
      await press(chat, `edit:h:${habit.id}`);
      expect(last(chat)).toBe(en.askField("read one page"));
      await press(chat, "edit:f:duration");
      expect(last(chat)).toBe(en.askDuration);
      await say(chat, "0");
      expect(last(chat)).toBe(RULE_SENTENCES.habits_duration_seconds_range);
      await say(chat, "90");
      expect(last(chat)).toBe(en.edited("read one page"));
      expect((await habitsOf(alice)).find((row) => row.id === habit.id)?.duration_seconds).toBe(90);
      assert.equal(await conversationOf(chat), null);
    });

    await t.step("pickers page when the habits do not fit one keyboard", async () => {
      for (let i = 0; i < 10; i++) await createHabit(sql, alice, { action: `extra ${i}`, time: `1${i}:00` });
      await say(chat, "/pause");
      expect(last(chat)).toBe(en.pickHeading.pause + en.page(1, 2));
      expect(buttonsOfLast(chat).at(-2)?.callback_data).toBe("pick:pause:1");
      await press(chat, "pick:pause:1");
      expect(last(chat)).toBe(en.pickHeading.pause + en.page(2, 2));
      expect(buttonsOfLast(chat).at(-2)?.callback_data).toBe("pick:pause:0");
    });

    await t.step("/stats shows streaks and marks; Done tells the new streak", async () => {
      await say(chat, "/stats");
      expect(last(chat)).toContain(en.statsHeading);
      expect(last(chat)).toContain("read one page");
      const [drink] =
        await sql`select id from public.habits where owner_id = ${alice.id} and action = 'drink water'`;
      await press(chat, `today:${drink.id}`);
      expect(last(chat)).toContain(en.streakNow(1));
    });

    await t.step("/digest on and off set the profile's opt-in", async () => {
      await say(chat, "/digest");
      expect(last(chat)).toBe(en.digestUsage(false, "Sunday", "7:00 PM"));
      await say(chat, "/digest on");
      expect(last(chat)).toBe(en.digestOn("Sunday", "7:00 PM"));
      const [on] = await sql`select weekly_digest from public.profiles where id = ${alice.id}`;
      assert.equal(on.weekly_digest, true);
      await say(chat, "/digest off");
      expect(last(chat)).toBe(en.digestOff);
      const [off] = await sql`select weekly_digest from public.profiles where id = ${alice.id}`;
      assert.equal(off.weekly_digest, false);
    });

    await t.step(
      "/new asks for the time in the person's format and takes 12-hour and 24-hour times alike",
      async () => {
        const draftTime = async (chatId: number) =>
          (await sql<{ time: string | null }[]>`
            select draft->>'time' as time from private.telegram_conversations where chat_id = ${chatId}`)[0]
            ?.time ??
            null;
        /** Starts /new, answers the time question with each of `typed` (a refusal keeps the step), cancels. */
        const typeTimes = async (chatId: number, typed: string[]) => {
          await say(chatId, "/new");
          await say(chatId, "walk the dog");
          const question = last(chatId);
          const labels = buttonsOfLast(chatId).map((b) => b.text);
          const answers: { reply: string; time: string | null }[] = [];
          for (const text of typed) {
            await say(chatId, text);
            answers.push({ reply: last(chatId), time: await draftTime(chatId) });
          }
          await say(chatId, "/cancel");
          return { question, labels, answers };
        };
        const refused = (reply: string) => ({ reply, time: null });
        const clara = await createTestUser(sql);
        const dmitri = await createTestUser(sql);
        users.push(clara, dmitri);
        await sql`update public.profiles set language = 'ru' where id = ${dmitri.id}`;

        // English follows its locale's 12-hour clock: the question, the buttons and the refusal say so.
        const english = async () => {
          const first = await typeTimes(clara.chatId, ["25:00", "7", "13 pm", "7:30 PM"]);
          expect(first.question).toBe(en.askTime);
          expect(en.askTime).toContain("7:30 PM");
          expect(first.labels).toEqual(["7:00 AM", "12:00 PM", "6:00 PM", "9:00 PM", en.cancelButton]);
          expect(first.answers).toEqual([
            refused(en.badTime),
            refused(en.badTime),
            refused(en.badTime),
            { reply: en.askPlace, time: "19:30" },
          ]);
          expect(en.badTime).toMatch(/7:30 PM.*7 pm.*19:30/);
          expect((await typeTimes(clara.chatId, ["7 pm"])).answers).toEqual([{
            reply: en.askPlace,
            time: "19:00",
          }]);
          expect((await typeTimes(clara.chatId, ["19:30"])).answers).toEqual([{
            reply: en.askPlace,
            time: "19:30",
          }]);
        };
        // Russian follows its 24-hour clock, and takes "19.30", "7 вечера" and 12-hour times too.
        const russian = async () => {
          const first = await typeTimes(dmitri.chatId, ["25:00", "13 PM", "7 ночи", "19.30"]);
          expect(first.question).toBe(ru.askTime);
          expect(ru.askTime).toContain("19:30");
          expect(ru.askTime).not.toContain("PM");
          expect(first.labels.slice(0, 4)).toEqual(["07:00", "12:00", "18:00", "21:00"]);
          expect(first.answers).toEqual([
            refused(ru.badTime),
            refused(ru.badTime),
            refused(ru.badTime),
            { reply: ru.askPlace, time: "19:30" },
          ]);
          expect(ru.badTime).toMatch(/^Не получилось понять время\..*19:30.*19\.30.*7 вечера.*7:30 PM/);
          expect((await typeTimes(dmitri.chatId, ["7 вечера"])).answers).toEqual([
            { reply: ru.askPlace, time: "19:00" },
          ]);
          expect((await typeTimes(dmitri.chatId, ["7:30 pm"])).answers).toEqual([
            { reply: ru.askPlace, time: "19:30" },
          ]);
        };
        await Promise.all([english(), russian()]);

        // The profile's choice wins over the language's: English in 24-hour time.
        await sql`update public.profiles set time_format = '24h' where id = ${clara.id}`;
        const en24 = replies("en", "24h");
        const chosen = await typeTimes(clara.chatId, ["24:00", "7 pm"]);
        expect(chosen.question).toBe(en24.askTime);
        expect(en24.askTime).toContain("19:30");
        expect(en24.badTime).not.toBe(en.badTime);
        expect(chosen.answers).toEqual([refused(en24.badTime), { reply: en24.askPlace, time: "19:00" }]);

        // Russian in 12-hour time: the example and the refusal lead with it, in Russian.
        await sql`update public.profiles set time_format = '12h' where id = ${dmitri.id}`;
        const ru12 = replies("ru", "12h");
        const twelve = await typeTimes(dmitri.chatId, ["25:00", "7 вечера"]);
        expect(twelve.question).toBe(ru12.askTime);
        expect(ru12.askTime).toContain("7:30 PM");
        expect(twelve.labels.slice(0, 4)).toEqual(["7:00 AM", "12:00 PM", "6:00 PM", "9:00 PM"]);
        expect(ru12.badTime).toMatch(/^Не получилось понять время\..*7:30 PM.*7 вечера.*19:30/);
        expect(twelve.answers).toEqual([refused(ru12.badTime), { reply: ru12.askPlace, time: "19:00" }]);
      },
    );

    await t.step("the per-account cap refuses /new with its sentence", async () => {
      const full = await createTestUser(sql);
      users.push(full);
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        select ${full.id}, 'habit ' || n, 'home', '09:00', 30 from generate_series(1, 100) n`;
      await say(full.chatId, "/new");
      expect(last(full.chatId)).toBe(RULE_SENTENCES.habits_per_account_limit);
      assert.equal(await conversationOf(full.chatId), null);
    });

    await t.step("Russian from the profile's language, else from Telegram's language_code", async () => {
      await sql`update public.profiles set language = 'ru' where id = ${alice.id}`;
      await say(chat, "/new");
      expect(last(chat)).toBe(ru.askAction);
      await say(chat, "д".repeat(201));
      expect(last(chat)).toBe(RULE_SENTENCES_RU.habits_action_length);
      await say(chat, "/cancel");
      expect(last(chat)).toBe(ru.cancelled);

      const boris = await createTestUser(sql);
      users.push(boris);
      await say(boris.chatId, "/stats", "ru-RU");
      expect(last(boris.chatId)).toBe(ru.statsEmpty);
      await say(boris.chatId, "/stats", "de");
      expect(last(boris.chatId)).toBe(en.statsEmpty);
      await say(boris.chatId, "/help", "ru");
      expect(last(boris.chatId)).toBe(replies("ru").help);
      const stranger = uniqueChatId();
      await say(stranger, "/start", "ru");
      expect(last(stranger)).toBe(replies("ru").welcomeUnlinked);
      await say(stranger, "/new", "ru");
      expect(last(stranger)).toBe(replies("ru").notLinked);
      await sql`update public.profiles set language = 'en' where id = ${boris.id}`;
      await say(boris.chatId, "/stats", "ru");
      expect(last(boris.chatId)).toBe(en.statsEmpty);
    });
  } finally {
    await webhook.stop();
    await deleteTestUsers(sql, users);
    await telegram.close();
    await restoreChatGap();
    await sql.end();
  }
});
