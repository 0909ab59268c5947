/**
 * Import has bounds (issue 21): every date and time is checked against the calendar and the
 * database's bounds, answered with 400 naming the file and the line in the person's language;
 * a body or file beyond the stated limits is 413; any file is answered in seconds; nothing is
 * written when anything is refused. Through the functions host, as data_transfer_test.ts.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { SignJWT } from "jose";
import { DEMO_JWT_SECRET } from "../../devstack/keys.ts";
import { RULE_SENTENCES_RU } from "../../web/src/errors/rule-sentences-ru.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
} from "../support/database.ts";
import { startFunctionsForTests } from "../support/functions.ts";
import { generateLoopExport } from "../support/loop-file.ts";

const FIXTURES = new URL("../fixtures/loop/", import.meta.url);

function tokenFor(user: TestUser): Promise<string> {
  return new SignJWT({ sub: user.id, role: "authenticated", aud: "authenticated", email: user.email })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

Deno.test(
  "import has bounds: dates, sizes and time, refused by file and line with nothing written",
  async (t) => {
    const sql = connectTestDatabase();
    const functions = await startFunctionsForTests("http://127.0.0.1:9");
    const users: TestUser[] = [];
    const newUser = async (timezone = "UTC") => {
      const user = await createTestUser(sql, { timezone });
      users.push(user);
      return user;
    };
    const importAs = async (user: TestUser, payload: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${functions.url}/import`, {
        method: "POST",
        body: typeof payload === "string" ? payload : JSON.stringify(payload),
        headers: {
          Authorization: `Bearer ${await tokenFor(user)}`,
          "Content-Type": "application/json",
          ...headers,
        },
      });
      return { status: response.status, body: await response.json() };
    };
    const nothingWritten = async (user: TestUser) => {
      const [row] = await sql`select
      (select count(*)::int from public.habits where owner_id = ${user.id}) as habits,
      (select count(*)::int from public.habit_completions where owner_id = ${user.id}) as completions`;
      expect(row).toEqual({ habits: 0, completions: 0 });
    };

    try {
      // Our own export of one habit with two completions, as the export function writes it.
      const alice = await newUser();
      await createHabit(sql, alice, { action: "stretch", time: "07:00" });
      await sql`update public.habits set starts_on = current_date - 5 where owner_id = ${alice.id}`;
      await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at)
      select id, owner_id, (current_date - d + time) at time zone 'UTC', now() - make_interval(days => d)
      from public.habits, generate_series(1, 2) d where owner_id = ${alice.id}`;
      const exportOf = async (table: string) =>
        await (
          await fetch(`${functions.url}/export?table=${table}`, {
            headers: { Authorization: `Bearer ${await tokenFor(alice)}` },
          })
        ).text();
      const habits = await exportOf("habits");
      const completions = await exportOf("completions");
      const startsOn = /,(\d{4}-\d{2}-\d{2}),/.exec(habits)![1];
      const loopHabits = await Deno.readTextFile(new URL("Habits.csv", FIXTURES));
      const checkmarks = await Deno.readTextFile(new URL("Checkmarks.csv", FIXTURES));

      await t.step("an impossible or out-of-bounds starts_on is a 400 naming habits.csv line 2", async () => {
        const fresh = await newUser();
        for (
          const day of [
            "2026-02-30",
            "2026-13-01",
            "0000-01-01",
            "0001-01-01",
            "1999-12-31",
            daysAgo(-400),
          ]
        ) {
          const result = await importAs(fresh, {
            format: "habits-csv",
            habits: habits.replace(`,${startsOn},`, `,${day},`),
            completions: "habit_id,occurrence_at,completed_at,source\n",
          });
          assert.equal(result.status, 400, `${day}: ${JSON.stringify(result.body)}`);
          expect(result.body).toMatchObject({ error: "malformed_file", file: "habits.csv", line: 2 });
          expect(result.body.message).toMatch(new RegExp(`^habits\\.csv line 2: starts_on .*${day}`));
        }
        await nothingWritten(fresh);
      });

      await t.step(
        "an impossible or out-of-bounds completion time is a 400 naming completions.csv and its line",
        async () => {
          const fresh = await newUser();
          const [, second] = completions.trimEnd().split("\n");
          const [id, occurrence, completed] = second.split(",");
          const cases = [
            occurrence.replace(/^\d{4}-\d{2}-\d{2}/, "2026-02-30"),
            occurrence.replace(/^\d{4}-\d{2}-\d{2}/, "2026-13-01"),
            occurrence.replace(/^\d{4}-\d{2}-\d{2}/, "0000-01-01"),
            occurrence.replace(/^\d{4}-\d{2}-\d{2}/, "1972-03-01"),
            occurrence.replace(/T\d\d/, "T25"),
          ];
          for (const bad of cases) {
            const result = await importAs(fresh, {
              format: "habits-csv",
              habits,
              completions: completions.replace(`${id},${occurrence},`, `${id},${bad},`),
            });
            assert.equal(result.status, 400, `${bad}: ${JSON.stringify(result.body)}`);
            expect(result.body.message).toMatch(/^completions\.csv line 2: occurrence_at /);
          }
          const future = new Date(Date.now() + 3_600_000).toISOString();
          const later = await importAs(fresh, {
            format: "habits-csv",
            habits,
            completions: completions.replace(`,${completed},`, `,${future},`),
          });
          assert.equal(later.status, 400, JSON.stringify(later.body));
          expect(later.body.message).toMatch(
            /^completions\.csv line 2: completed_at .* is not between 2000-01-01 and now/,
          );
          const badTime = await importAs(fresh, {
            format: "habits-csv",
            habits: habits.replace(",07:00:00,", ",25:00:00,"),
            completions,
          });
          assert.equal(badTime.status, 400);
          expect(badTime.body.message).toMatch(/^habits\.csv line 2: time is not HH:MM/);
          await nothingWritten(fresh);
        },
      );

      await t.step(
        "an impossible or pre-2000 day in Loop's Checkmarks.csv is a 400 naming its line",
        async () => {
          const fresh = await newUser();
          for (const day of ["2026-02-30", "2026-13-01", "0000-01-01", "0001-01-01", "1999-12-31"]) {
            const result = await importAs(fresh, {
              format: "loop",
              habits: loopHabits,
              checkmarks: checkmarks.replace("2026-11-17", day),
            });
            assert.equal(result.status, 400, `${day}: ${JSON.stringify(result.body)}`);
            expect(result.body).toMatchObject({ error: "malformed_file", file: "Checkmarks.csv", line: 5 });
            expect(result.body.message).toMatch(new RegExp(`^Checkmarks\\.csv line 5: Date .*${day}`));
          }
          await nothingWritten(fresh);
        },
      );

      await t.step("the refusal is in the person's language (profile, else the browser's)", async () => {
        const ivan = await newUser();
        await sql`update public.profiles set language = 'ru' where id = ${ivan.id}`;
        const malformed = await importAs(ivan, {
          format: "habits-csv",
          habits: habits.replace(`,${startsOn},`, ",2026-02-30,"),
          completions,
        });
        assert.equal(malformed.status, 400);
        expect(malformed.body.message).toBe(
          'habits.csv, строка 2: starts_on — не дата (ГГГГ-ММ-ДД): "2026-02-30"',
        );
        const refused = await importAs(ivan, {
          format: "habits-csv",
          habits: habits.replace(",stretch,", `,${"s".repeat(201)},`),
          completions,
        });
        assert.equal(refused.status, 422);
        expect(refused.body.message).toBe(`habits.csv, строка 2: ${RULE_SENTENCES_RU.habits_action_length}`);
        const browser = await newUser();
        const byBrowser = await importAs(
          browser,
          { format: "loop", habits: loopHabits, checkmarks: "" },
          {
            "Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8",
          },
        );
        assert.equal(byBrowser.status, 400);
        expect(byBrowser.body.message).toBe("Checkmarks.csv, строка 1: файл пуст (нужна строка заголовков)");
        await nothingWritten(ivan);
        await nothingWritten(browser);
      });

      await t.step("a body over 2 MiB and a file over its row limit are refused with 413", async () => {
        const fresh = await newUser();
        const big = await importAs(fresh, {
          format: "loop",
          habits: loopHabits,
          checkmarks: checkmarks + "x".repeat(2 * 1024 * 1024),
        });
        assert.equal(big.status, 413);
        expect(big.body).toEqual({
          error: "payload_too_large",
          message: "Imports are limited to 2097152 bytes (2 MiB).",
        });
        const manyDays = generateLoopExport({
          habits: 1,
          days: 10_001,
          lastDay: daysAgo(1),
          doneEvery: 1_000_000,
        });
        const rows = await importAs(fresh, { format: "loop", ...manyDays });
        assert.equal(rows.status, 413);
        expect(rows.body.message).toBe("Checkmarks.csv has more than 10000 rows, the most one import takes.");
        const header = "habit_id,occurrence_at,completed_at,source\n";
        const [, line] = completions.split("\n");
        const manyCompletions = await importAs(fresh, {
          format: "habits-csv",
          habits,
          completions: header + `${line}\n`.repeat(20_001),
        });
        assert.equal(manyCompletions.status, 413);
        expect(manyCompletions.body.message).toBe(
          "completions.csv has more than 20000 rows, the most one import takes.",
        );
        const manyHabits = generateLoopExport({ habits: 201, days: 1, lastDay: daysAgo(1), doneEvery: 1 });
        const habitRows = await importAs(fresh, { format: "loop", ...manyHabits });
        assert.equal(habitRows.status, 413);
        expect(habitRows.body.message).toBe("Habits.csv has more than 200 rows, the most one import takes.");
        // 3 habits checked every day for 7,000 days: 21,000 completions in 7,000 rows.
        const manyChecked = generateLoopExport({ habits: 3, days: 7_000, lastDay: daysAgo(1), doneEvery: 1 });
        const checked = await importAs(fresh, { format: "loop", ...manyChecked });
        assert.equal(checked.status, 413);
        expect(checked.body.message).toBe(
          "Checkmarks.csv has more than 20000 completions, the most one import takes.",
        );
        await nothingWritten(fresh);
      });

      await t.step("a 2 MB Loop file is answered in seconds, whatever its shape", async () => {
        // One habit over 150,000 days: 2 MB of rows (quadratic before: every row copied the list).
        const fresh = await newUser();
        const oneHabit = generateLoopExport({ habits: 1, days: 150_000, lastDay: daysAgo(1), doneEvery: 1 });
        const started = performance.now();
        const result = await importAs(fresh, { format: "loop", ...oneHabit });
        const seconds = (performance.now() - started) / 1000;
        assert.equal(result.status, 413, JSON.stringify(result.body));
        assert.ok(seconds < 5, `answered after ${seconds.toFixed(1)} s`);
        await nothingWritten(fresh);
      });

      await t.step(
        "the largest Loop file an import takes (2 MiB, 20,000 completions) is accepted in seconds",
        async () => {
          const fresh = await newUser();
          // 90 habits over 9,800 days back to 2000; every 44th cell checked: 20,045 would be too many.
          const file = generateLoopExport({ habits: 90, days: 9_800, lastDay: daysAgo(1), doneEvery: 45 });
          const size = new TextEncoder().encode(JSON.stringify({ format: "loop", ...file })).length;
          assert.ok(size > 1.8 * 1024 * 1024 && size <= 2 * 1024 * 1024, `${size} bytes`);
          const started = performance.now();
          const result = await importAs(fresh, { format: "loop", ...file });
          const seconds = (performance.now() - started) / 1000;
          assert.equal(result.status, 200, JSON.stringify(result.body).slice(0, 500));
          expect(result.body.imported).toEqual({ habits: 90, completions: 19_600 });
          assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
          const [{ count }] =
            await sql`select count(*)::int from public.habit_completions where owner_id = ${fresh.id}`;
          assert.equal(count, 19_600);
        },
      );
    } finally {
      await deleteTestUsers(sql, users);
      await functions.close();
      await sql.end();
    }
  },
);
