/**
 * One time format per person (profiles.time_format), everywhere: the web app (web/src/i18n/clock.ts),
 * the bot's replies and the reminders (supabase/functions/_shared/clock.ts) write every minute of a
 * day the same way, in both languages and every setting; "locale" follows the language's CLDR hour
 * cycle (Intl.DateTimeFormat(language).resolvedOptions().hourCycle: en h12, ru h23). Issue 23: the
 * web app wrote 12-hour times, the bot 24-hour.
 */
import assert from "node:assert/strict";
import { formatWallClock as webClock } from "../../web/src/i18n/clock.ts";
import {
  formatWallClock as functionsClock,
  parseWallClock,
  pickTimeFormat,
} from "../../supabase/functions/_shared/clock.ts";
import { createMessages } from "../../supabase/functions/telegram-webhook/messages/index.ts";
import { composeMessage } from "../../supabase/functions/reminders/message.ts";
import { createOutboxStore } from "../../supabase/functions/reminders/store.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  quietOutbox,
} from "../support/database.ts";

const LANGUAGES = ["en", "ru"] as const;
const FORMATS = ["locale", "24h", "12h"] as const;
const EXPECTED = {
  en: {
    locale: ["7:05 AM", "7:05 PM", "12:00 AM"],
    "24h": ["07:05", "19:05", "00:00"],
    "12h": ["7:05 AM", "7:05 PM", "12:00 AM"],
  },
  ru: {
    locale: ["07:05", "19:05", "00:00"],
    "24h": ["07:05", "19:05", "00:00"],
    "12h": ["7:05 AM", "7:05 PM", "12:00 AM"],
  },
};

Deno.test("the web app and the functions write every minute of a day alike, in both languages and every format", () => {
  for (const language of LANGUAGES) {
    for (const format of FORMATS) {
      for (let minute = 0; minute < 24 * 60; minute++) {
        const time = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${
          String(minute % 60).padStart(2, "0")
        }:00`;
        assert.equal(
          webClock(time, language, format),
          functionsClock(time, language, format),
          `${language} ${format} ${time}`,
        );
      }
      const written = ["07:05", "19:05:00", "00:00"].map((time) => functionsClock(time, language, format));
      assert.deepEqual(written, EXPECTED[language][format], `${language} ${format}`);
    }
  }
});

Deno.test("following the language means its CLDR hour cycle: English 12-hour, Russian 24-hour", () => {
  assert.equal(new Intl.DateTimeFormat("en", { hour: "numeric" }).resolvedOptions().hourCycle, "h12");
  assert.equal(new Intl.DateTimeFormat("ru", { hour: "numeric" }).resolvedOptions().hourCycle, "h23");
  assert.equal(pickTimeFormat(null), "locale", "an unlinked chat follows its language");
  assert.equal(pickTimeFormat("h23"), "locale", "an unknown value follows the language");
});

Deno.test("the bot's /today, /habits and time buttons follow the person's time format", () => {
  const messagesFor = createMessages("https://habits.example");
  const habit = {
    action: "stretch",
    place: "the kitchen",
    time: "19:05:00",
    interval_days: 1,
    duration_seconds: 60,
  };
  for (const language of LANGUAGES) {
    for (const format of FORMATS) {
      const t = messagesFor(language, format);
      const clock = EXPECTED[language][format][1];
      const [today] = t.today("Europe/Berlin", [{ ...habit, local_time: "19:05:00", done: false }]);
      assert.ok(today.includes(`⏳ ${clock} stretch`), `${language} ${format}: ${today}`);
      const [list] = t.habitPages([habit]);
      assert.ok(list.includes(`<b>${clock}</b>`), `${language} ${format}: ${list}`);
      assert.equal(t.clock("19:05"), clock);
    }
  }
});

Deno.test("a reminder is written in its person's time format, read with the claim", async () => {
  const sql = connectTestDatabase();
  await quietOutbox(sql);
  const people = [];
  try {
    for (
      const [language, format, clock] of [["en", "24h", "19:05"], ["en", "locale", "7:05 PM"], [
        "ru",
        "12h",
        "7:05 PM",
      ]]
    ) {
      const user = await createTestUser(sql);
      people.push(user);
      await sql`update public.profiles set language = ${language}, time_format = ${format} where id = ${user.id}`;
      await createHabit(sql, user, { action: `stretch ${format}`, time: "19:05" });
      people[people.length - 1] = Object.assign(user, { clock });
    }
    const store = createOutboxStore(sql, { leaseSeconds: 60, maxAttempts: 3 });
    // Claims carry the dispatcher lease's generation: take the lease as a run would.
    await sql`delete from private.reminder_dispatcher`;
    const holder = crypto.randomUUID();
    const generation = (await store.holdDispatcherLease(holder, 5))!;
    const claimed = await store.claim(50, generation);
    await store.releaseDispatcherLease(holder, true);
    for (const person of people as (typeof people[number] & { clock: string })[]) {
      const created = claimed.find((row) => BigInt(row.chat_id ?? 0) === BigInt(person.chatId));
      assert.ok(created, "the habit_created note is claimed");
      const { text } = composeMessage(created);
      assert.ok(text.includes(`<b>${person.clock}</b>`), text);
      assert.ok(text.includes(` ${person.clock} (`), text);
    }
  } finally {
    await sql`delete from public.notifications where owner_id = any(${people.map((p) => p.id)}::uuid[])`;
    await deleteTestUsers(sql, people);
    await sql.end();
  }
});

Deno.test("a typed time is read in 24-hour and 12-hour forms alike, Russian's day parts too; anything else is refused", () => {
  const read = {
    "19:30": "19:30",
    "7:30": "07:30",
    "07:30": "07:30",
    "19.30": "19:30",
    " 00:00 ": "00:00",
    "23:59": "23:59",
    "7:30 PM": "19:30",
    "7:30 pm": "19:30",
    "7:30pm": "19:30",
    "7 pm": "19:00",
    "7PM": "19:00",
    "7 p.m.": "19:00",
    "7:05 AM": "07:05",
    "12 am": "00:00",
    "12:30 AM": "00:30",
    "12 pm": "12:00",
    "12:45 p.m.": "12:45",
    "7:05\u202fPM": "19:05",
    "7 вечера": "19:00",
    "7:30 Вечера": "19:30",
    "11 вечера": "23:00",
    "4 вечера": "16:00",
    "7 утра": "07:00",
    "6:45утра": "06:45",
    "12 дня": "12:00",
    "3 дня": "15:00",
    "12 ночи": "00:00",
    "2:30 ночи": "02:30",
  };
  for (const [typed, time] of Object.entries(read)) assert.equal(parseWallClock(typed), time, typed);
  for (let minute = 0; minute < 24 * 60; minute++) {
    const time = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${
      String(minute % 60).padStart(2, "0")
    }`;
    for (const language of LANGUAGES) {
      for (const format of FORMATS) {
        assert.equal(
          parseWallClock(functionsClock(time, language, format)),
          time,
          `${language} ${format} ${time}`,
        );
      }
    }
  }
  const refused = [
    "",
    "7",
    "19",
    "24:00",
    "25:00",
    "7:60",
    "7:5",
    "0 am",
    "13 pm",
    "19:30 pm",
    "7:30 xm",
    "13 вечера",
    "12 вечера",
    "3 вечера",
    "7 ночи",
    "12 утра",
    "0 утра",
    "9 дня",
    "19 вечера",
    "7 вечером",
  ];
  for (const typed of refused) assert.equal(parseWallClock(typed), null, typed);
});
