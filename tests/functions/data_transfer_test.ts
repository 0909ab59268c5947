/**
 * Take your data, bring your data: the export and import functions through the functions host
 * (which checks the JWT, as the edge runtime does), each reading and writing as the caller.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { SignJWT } from "jose";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import { RULE_SENTENCES } from "../../web/src/errors/error-messages.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
} from "../support/database.ts";
import { startFunctionsForTests } from "../support/functions.ts";

const FIXTURES = new URL("../fixtures/loop/", import.meta.url);

function tokenFor(user: TestUser): Promise<string> {
  return new SignJWT({ sub: user.id, role: "authenticated", aud: "authenticated", email: user.email })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

Deno.test("export and import: own round trip, Loop's CSV, refusals with nothing written", async (t) => {
  const sql = connectTestDatabase();
  const functions = await startFunctionsForTests("http://127.0.0.1:9");
  const users: TestUser[] = [];
  const newUser = async (timezone = "Europe/Berlin") => {
    const user = await createTestUser(sql, { timezone });
    users.push(user);
    return user;
  };
  const call = async (user: TestUser | string, path: string, init: RequestInit = {}) => {
    const token = typeof user === "string" ? user : await tokenFor(user);
    const response = await fetch(`${functions.url}/${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    });
    const type = response.headers.get("Content-Type") ?? "";
    return {
      status: response.status,
      type,
      body: type.includes("json") ? await response.json() : await response.text(),
    };
  };
  const importAs = (user: TestUser, payload: unknown) =>
    call(user, "import", { method: "POST", body: JSON.stringify(payload) });
  const habitsOf = (user: TestUser) =>
    sql`select action, place, time::text as time, interval_days, duration_seconds, is_pleasant, reward, is_public,
        is_paused, starts_on::text as starts_on,
        (select r.action from public.habits r where r.id = h.related_habit_id) as related_action
      from public.habits h where owner_id = ${user.id} order by action`;
  const completionsOf = (user: TestUser) =>
    sql`select h.action, c.occurrence_at, c.completed_at, c.source
      from public.habit_completions c join public.habits h on h.id = c.habit_id
      where c.owner_id = ${user.id} order by h.action, c.occurrence_at`;
  const counts = async (user: TestUser) => {
    const [row] =
      await sql`select (select count(*)::int from public.habits where owner_id = ${user.id}) as habits,
      (select count(*)::int from public.habit_completions where owner_id = ${user.id}) as completions`;
    return row;
  };

  try {
    const alice = await newUser();
    const guitar = await createHabit(sql, alice, { action: "play guitar", is_pleasant: true, time: "20:00" });
    const read = await createHabit(sql, alice, {
      action: 'read, "slowly"',
      place: "bed\nor sofa",
      time: "07:30",
      interval_days: 2,
      related_habit_id: guitar,
    });
    await createHabit(sql, alice, { action: "stretch", reward: "tea", duration_seconds: 30 });
    // History: the habits started 10 days ago; a few occurrences done, one from Telegram.
    await sql`update public.habits set starts_on = current_date - 10, created_at = now() - interval '10 days'
      where owner_id = ${alice.id}`;
    await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at, source, completed_at)
      select h.id, h.owner_id, ((current_date - d) + h.time) at time zone 'Europe/Berlin',
        case when d = 2 then 'telegram' else 'web' end, now() - make_interval(days => d)
      from public.habits h, generate_series(2, 8, 2) d where h.owner_id = ${alice.id}`;
    const bob = await newUser();
    await createHabit(sql, bob, { action: "bob's secret habit" });

    let exported: { habits: string; completions: string; json: Record<string, unknown[]> };

    await t.step("export: JSON and a CSV per table, only the caller's rows", async () => {
      const all = await call(alice, "export");
      assert.equal(all.status, 200);
      expect(all.body.format).toBe("habits-export");
      expect(all.body.habits.length).toBe(3);
      expect(all.body.completions.length).toBe(12);
      expect(JSON.stringify(all.body)).not.toContain("bob's secret habit");
      const habits = await call(alice, "export?table=habits");
      const completions = await call(alice, "export?table=completions");
      const deliveries = await call(alice, "export?table=deliveries");
      for (const csv of [habits, completions, deliveries]) {
        assert.equal(csv.status, 200);
        expect(csv.type).toContain("text/csv");
      }
      expect(habits.body.split("\n")[0]).toBe(
        "id,action,place,time,interval_days,duration_seconds,is_pleasant,related_habit_id,reward,is_public,is_paused,starts_on,created_at",
      );
      expect(habits.body).toContain(
        `${read},"read, ""slowly""","bed\nor sofa",07:30:00,2,60,false,${guitar}`,
      );
      expect(deliveries.body.split("\n")[0]).toBe(
        "id,habit_id,kind,due_at,status,attempts,sent_at,last_error",
      );
      expect(deliveries.body).toContain("habit_created");
      const bobs = await call(bob, "export?table=habits");
      expect(bobs.body).toContain("bob's secret habit");
      expect(bobs.body).not.toContain("play guitar");
      exported = { habits: habits.body, completions: completions.body, json: all.body };
    });

    await t.step(
      "export refuses the anon and service-role keys, no token and unknown parameters",
      async () => {
        for (const key of [DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY]) {
          assert.equal((await call(key, "export")).status, 401);
        }
        const noToken = await fetch(`${functions.url}/export`);
        assert.equal(noToken.status, 401);
        await noToken.body?.cancel();
        assert.equal((await call(alice, "export?table=profiles")).status, 400);
        assert.equal((await call(alice, "export?format=xml")).status, 400);
      },
    );

    await t.step(
      "import of our export into a fresh account gives identical habits and completions",
      async () => {
        const fresh = await newUser();
        const result = await importAs(fresh, {
          format: "habits-csv",
          habits: exported.habits,
          completions: exported.completions,
        });
        assert.equal(result.status, 200, JSON.stringify(result.body));
        expect(result.body).toEqual({ imported: { habits: 3, completions: 12 }, report: [] });
        assert.deepEqual(await habitsOf(fresh), await habitsOf(alice));
        assert.deepEqual(await completionsOf(fresh), await completionsOf(alice));
      },
    );

    await t.step("malformed files are refused naming the line, with nothing written", async () => {
      const fresh = await newUser();
      const lines = exported.habits.split("\n");
      const stretch = lines.findIndex((line) => line.includes(",stretch,"));
      const cases: [Record<string, string>, RegExp][] = [
        [{ habits: lines.slice(1).join("\n") }, /^habits\.csv line 1: the column "id" is missing/],
        [
          { habits: lines.map((line, i) => i === stretch ? line.replace(",1,", ",one,") : line).join("\n") },
          new RegExp(`^habits\\.csv line ${stretch + 1}: interval_days is not a whole number`),
        ],
        [
          { habits: [lines[0], lines[stretch], 'x,"unclosed'].join("\n") },
          /^habits\.csv line 3: a quoted field is never closed/,
        ],
        [
          { habits: [lines[0], lines[stretch].replace(/,\d{4}-\d\d-\d\d,/, ",yesterday,")].join("\n") },
          /^habits\.csv line 2: starts_on is not a date/,
        ],
        [
          {
            completions: exported.completions.replace(/\n[^,]+,/, "\n00000000-0000-0000-0000-000000000000,"),
          },
          /^completions\.csv line 2: habit_id/,
        ],
      ];
      for (const [change, message] of cases) {
        const result = await importAs(fresh, {
          format: "habits-csv",
          habits: exported.habits,
          completions: exported.completions,
          ...change,
        });
        assert.equal(result.status, 400, JSON.stringify(result.body));
        expect(result.body.error).toBe("malformed_file");
        expect(result.body.message).toMatch(message);
      }
      assert.equal((await importAs(fresh, { format: "csv" })).status, 400);
      expect(await counts(fresh)).toEqual({ habits: 0, completions: 0 });
    });

    await t.step("a row the rules refuse undoes the whole import, naming the line and the rule", async () => {
      const fresh = await newUser();
      const lines = exported.habits.split("\n");
      const stretch = lines.findIndex((line) => line.includes(",stretch,"));
      const tooLong = exported.habits.replace(",stretch,", `,${"s".repeat(201)},`);
      const result = await importAs(fresh, {
        format: "habits-csv",
        habits: tooLong,
        completions: exported.completions,
      });
      assert.equal(result.status, 422);
      expect(result.body.message).toBe(
        `habits.csv line ${stretch + 1}: ${RULE_SENTENCES.habits_action_length}`,
      );
      expect(await counts(fresh)).toEqual({ habits: 0, completions: 0 });
    });

    await t.step("a completion that is not an occurrence of its habit is left out and reported", async () => {
      const fresh = await newUser();
      const offGrid = exported.completions.replace(/(\n[^,]+,[^,]+T\d\d:)(\d\d)/, "$117");
      const off = await importAs(fresh, {
        format: "habits-csv",
        habits: exported.habits,
        completions: offGrid,
      });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      expect(off.body.imported).toEqual({ habits: 3, completions: 11 });
      expect(off.body.report).toEqual([
        expect.stringMatching(
          /^completions\.csv line 2: \S+ is no longer an occurrence of this habit .*; not imported$/,
        ),
      ]);
      expect(await counts(fresh)).toEqual({ habits: 3, completions: 11 });
    });

    await t.step("the per-account habit cap holds for imports, all or nothing", async () => {
      const full = await newUser();
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        select ${full.id}, 'habit ' || n, 'home', '09:00', 30 from generate_series(1, 98) n`;
      const result = await importAs(full, {
        format: "habits-csv",
        habits: exported.habits,
        completions: exported.completions,
      });
      assert.equal(result.status, 422);
      expect(result.body.rule).toBe("habits_per_account_limit");
      expect(result.body.message).toMatch(/^habits\.csv line \d: You have reached the most habits/);
      expect(await counts(full)).toEqual({ habits: 98, completions: 0 });
    });

    await t.step("Loop's CSV imports with a line-by-line report of what did not map", async () => {
      const fresh = await newUser("UTC");
      const result = await importAs(fresh, {
        format: "loop",
        habits: await Deno.readTextFile(new URL("Habits.csv", FIXTURES)),
        checkmarks: await Deno.readTextFile(new URL("Checkmarks.csv", FIXTURES)),
      });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      expect(result.body.report).toEqual([
        'Habits.csv line 2 (Meditate): Color "#FF8F00": no equivalent, not imported',
        'Habits.csv line 2 (Meditate): the action is "meditate" ("I will meditate …")',
        'Habits.csv line 2 (Meditate): no time, place or duration in Loop\'s export; set to 9:00 AM, "anywhere", 60 s',
        "Habits.csv line 3 (Gym): 3 times in 7 days is not a frequency we allow (every 1 to 7 days); imported as every 2 days",
        'Habits.csv line 3 (Gym): Description "Strength training", Color "#1E88E5": no equivalent, not imported',
        'Habits.csv line 3 (Gym): the action is "gym" ("I will gym …")',
        'Habits.csv line 3 (Gym): no time, place or duration in Loop\'s export; set to 9:00 AM, "anywhere", 60 s',
        "Habits.csv line 4 (Water): a numerical habit; imported as yes/no, a day with an amount above 0 counts as done",
        'Habits.csv line 4 (Water): Question "How many glasses?", Color "#26A69A", Unit "glasses", Target Type "0", Target Value "8": no equivalent, not imported',
        'Habits.csv line 4 (Water): the action is "water" ("I will water …")',
        'Habits.csv line 4 (Water): no time, place or duration in Loop\'s export; set to 9:00 AM, "anywhere", 60 s',
        "Habits.csv line 5 (Journal): archived; imported paused",
        'Habits.csv line 5 (Journal): Color "#8E24AA": no equivalent, not imported',
        'Habits.csv line 5 (Journal): the action is "journal" ("I will journal …")',
        'Habits.csv line 5 (Journal): no time, place or duration in Loop\'s export; set to 9:00 AM, "anywhere", 60 s',
        "Checkmarks.csv line 3 (Gym, 2026-11-19): not on the every-2-days grid starting 2026-11-16; not imported",
      ]);
      expect(result.body.imported).toEqual({ habits: 4, completions: 13 });
      const habits =
        await sql`select action, place, interval_days, is_paused, starts_on::text as starts_on, time::text as time
        from public.habits where owner_id = ${fresh.id} order by action`;
      expect(habits.map((h) => [h.action, h.place, h.interval_days, h.is_paused, h.starts_on])).toEqual([
        ["gym", "anywhere", 2, false, "2026-11-16"],
        ["journal", "anywhere", 2, true, "2026-11-16"],
        ["meditate", "anywhere", 1, false, "2026-11-16"],
        ["water", "anywhere", 1, false, "2026-11-16"],
      ]);
      const done =
        await sql`select h.action, to_char(c.occurrence_at at time zone 'UTC', 'MM-DD HH24:MI') as at
        from public.habit_completions c join public.habits h on h.id = c.habit_id
        where c.owner_id = ${fresh.id} order by h.action, c.occurrence_at`;
      expect(done.map((row) => `${row.action} ${row.at}`)).toEqual([
        "gym 11-16 09:00",
        "gym 11-18 09:00",
        "gym 11-20 09:00",
        "journal 11-16 09:00",
        "journal 11-18 09:00",
        "journal 11-20 09:00",
        "meditate 11-16 09:00",
        "meditate 11-18 09:00",
        "meditate 11-19 09:00",
        "meditate 11-20 09:00",
        "water 11-16 09:00",
        "water 11-18 09:00",
        "water 11-20 09:00",
      ]);
    });

    await t.step("Loop's habits and report read in Russian, times in the person's format", async () => {
      const fresh = await newUser("UTC");
      await sql`update public.profiles set language = 'ru', time_format = '12h' where id = ${fresh.id}`;
      const result = await importAs(fresh, {
        format: "loop",
        habits:
          "Name,Question,NumRepetitions,Interval\nWalk after lunch,,1,1\nЗарядка,Did you stretch today?,1,1\n",
        checkmarks: "Date,Walk after lunch,Зарядка\n",
      });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      expect(result.body.report).toEqual([
        "Habits.csv, строка 2 (Walk after lunch): действие — «walk after lunch» («Я буду walk after lunch …»)",
        "Habits.csv, строка 2 (Walk after lunch): в экспорте Loop нет времени, места и длительности; поставлено 9:00 AM, «где угодно», 60 с",
        "Habits.csv, строка 3 (Зарядка): действие — «stretch» («Я буду stretch …»)",
        "Habits.csv, строка 3 (Зарядка): в экспорте Loop нет времени, места и длительности; поставлено 9:00 AM, «где угодно», 60 с",
      ]);
      const habits =
        await sql`select action, place from public.habits where owner_id = ${fresh.id} order by action`;
      expect(habits.map((h) => `${h.action} / ${h.place}`)).toEqual([
        "stretch / где угодно",
        "walk after lunch / где угодно",
      ]);
      await sql`update public.profiles set time_format = '24h' where id = ${fresh.id}`;
      const refused = await importAs(fresh, {
        format: "loop",
        habits: "Name,NumRepetitions,Interval\nRead,1,x\n",
        checkmarks: "Date,Read\n",
      });
      assert.equal(refused.status, 400);
      expect(refused.body.message).toBe("Habits.csv, строка 2: частота 1/x — не целые числа");
    });

    await t.step("a malformed Loop file is refused naming the line, with nothing written", async () => {
      const fresh = await newUser("UTC");
      const habits = await Deno.readTextFile(new URL("Habits.csv", FIXTURES));
      const checkmarks = await Deno.readTextFile(new URL("Checkmarks.csv", FIXTURES));
      const bad = await importAs(fresh, {
        format: "loop",
        habits,
        checkmarks: checkmarks.replace("3.5", "lots"),
      });
      assert.equal(bad.status, 400);
      expect(bad.body.message).toBe('Checkmarks.csv line 2: "lots" is not a number');
      const unknownHabit = await importAs(fresh, {
        format: "loop",
        habits,
        checkmarks: checkmarks.replace("Journal", "Diary"),
      });
      expect(unknownHabit.body.message).toBe(
        'Checkmarks.csv line 1: the column "Diary" is not a habit of Habits.csv',
      );
      expect(await counts(fresh)).toEqual({ habits: 0, completions: 0 });
    });
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await sql.end();
  }
});
