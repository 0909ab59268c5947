/**
 * An imported history keeps its misses: a habit imported with a gap in its history has the
 * streak since its last miss, not one for every completion (the streak rule,
 * private.streak_marks, counts a miss only from the habit's created_at on, so the import sets
 * created_at to where the imported history begins). Through the import function on the
 * functions host, as data_transfer_test.ts; the streak read as /stats, reminders and the digest
 * read it (private.habit_streaks, private.current_streak) and as the web app computes it
 * (web/src/schedule/streaks.ts on the rows it reads).
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { SignJWT } from "jose";
import type postgres from "postgres";
import { DEMO_JWT_SECRET } from "../../devstack/keys.ts";
import { habitStreaks } from "../../web/src/schedule/streaks.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
} from "../support/database.ts";
import { startFunctionsForTests } from "../support/functions.ts";

const ZONE = "Europe/Berlin";

function tokenFor(user: TestUser): Promise<string> {
  return new SignJWT({
    sub: user.id,
    role: "authenticated",
    aud: "authenticated",
    email: user.email,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString()
    .slice(0, 10);

/** Each habit's streaks as /stats and the digest show them, and the reminder's streak at stake. */
function streaksOf(sql: postgres.Sql, user: TestUser) {
  return sql<
    {
      action: string;
      streak: number;
      best_streak: number;
      last_marks: string;
      at_stake: number;
    }[]
  >`
    select h.action, s.streak, s.best_streak, s.last_marks, private.current_streak(h.id) as at_stake
    from public.habits h cross join lateral private.habit_streaks(h.owner_id, h.id) s
    where h.owner_id = ${user.id} order by h.action`;
}

/** Each habit's streaks as the web app computes them, from the rows it reads. */
async function webStreaksOf(sql: postgres.Sql, user: TestUser) {
  const habits = await sql<
    {
      id: string;
      action: string;
      time: string;
      interval_days: number;
      starts_on: string;
      created_at: string;
    }[]
  >`
    select id, action, time::text as time, interval_days, starts_on::text as starts_on,
      to_json(created_at) #>> '{}' as created_at
    from public.habits where owner_id = ${user.id} order by action`;
  const completions = await sql<{ habit_id: string; occurrence_at: string }[]>`
    select habit_id, to_json(occurrence_at) #>> '{}' as occurrence_at
    from public.habit_completions where owner_id = ${user.id}`;
  return habits.map((habit) => ({
    action: habit.action,
    ...habitStreaks(
      habit,
      completions.filter((c) => c.habit_id === habit.id),
      ZONE,
    ),
  }));
}

Deno.test("an imported history keeps its misses: the streak counts only the run since the last miss", async (t) => {
  const sql = connectTestDatabase();
  const functions = await startFunctionsForTests("http://127.0.0.1:9");
  const users: TestUser[] = [];
  const newUser = async () => {
    const user = await createTestUser(sql, { timezone: ZONE });
    users.push(user);
    return user;
  };
  const call = async (user: TestUser, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${functions.url}/${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${await tokenFor(user)}`,
        "Content-Type": "application/json",
      },
    });
    const type = response.headers.get("Content-Type") ?? "";
    return {
      status: response.status,
      body: type.includes("json") ? await response.json() : await response.text(),
    };
  };
  const importAs = (user: TestUser, payload: unknown) =>
    call(user, "import", { method: "POST", body: JSON.stringify(payload) });
  const [{ today }] = await sql<
    { today: string }[]
  >`select ((now() at time zone ${ZONE})::date)::text as today`;

  try {
    await t.step(
      "Loop: done 9 days back to yesterday but 4 days ago gives a streak of 3, not 8",
      async () => {
        const person = await newUser();
        const rows = ["Date,Read,Nap,"];
        for (let back = 0; back <= 9; back++) {
          rows.push(
            `${addDays(today, -back)},${back === 0 || back === 4 ? "0" : "2"},0,`,
          );
        }
        const result = await importAs(person, {
          format: "loop",
          habits:
            "Position,Name,Type,Question,Description,NumRepetitions,Interval,Color,Unit,Target Type,Target Value,Archived?\n" +
            "001,Read,0,,,1,1,#FF8F00,,,,false\n002,Nap,0,,,1,1,#FF8F00,,,,false\n",
          checkmarks: rows.join("\n") + "\n",
        });
        assert.equal(result.status, 200, JSON.stringify(result.body));
        expect(result.body.imported).toEqual({ habits: 2, completions: 8 });
        // Read: ✅ 9..5 days ago, ❌ 4 days ago, ✅ 3..1 days ago, today ⏳.
        const [nap, read] = await streaksOf(sql, person);
        expect(read).toEqual({
          action: "read",
          streak: 3,
          best_streak: 5,
          last_marks: "✅✅❌✅✅✅⏳",
          at_stake: 3,
        });
        // Nap has no history: it was created by the import, and nothing before that is missed.
        expect({
          streak: nap.streak,
          best: nap.best_streak,
          at_stake: nap.at_stake,
        }).toEqual({ streak: 0, best: 0, at_stake: 0 });
        expect(await webStreaksOf(sql, person)).toEqual([
          { action: "nap", current: 0, best: 0 },
          { action: "read", current: 3, best: 5 },
        ]);
        // Read's history begins at its first occurrence; Nap's at the import. The "habit created"
        // messages keep the import's instant: they are due at once, whatever the history.
        const created = await sql`
        select h.action, h.created_at = ((h.starts_on + h.time) at time zone ${ZONE}) as at_first_occurrence,
          h.starts_on::text as starts_on, n.due_at = (select x.created_at from public.habits x
            where x.owner_id = h.owner_id and x.action = 'nap') as due_at_import
        from public.habits h join public.notifications n on n.habit_id = h.id and n.kind = 'habit_created'
        where h.owner_id = ${person.id} order by h.action`;
        expect(created.map((row) => ({ ...row }))).toEqual([
          {
            action: "nap",
            at_first_occurrence: false,
            starts_on: today,
            due_at_import: true,
          },
          {
            action: "read",
            at_first_occurrence: true,
            starts_on: addDays(today, -9),
            due_at_import: true,
          },
        ]);
      },
    );

    await t.step(
      "our own export with a gap imports with the same streaks and the same created_at",
      async () => {
        const alice = await newUser();
        await createHabit(sql, alice, { action: "stretch", time: "07:00" });
        await sql`update public.habits set starts_on = ${
          addDays(today, -10)
        }::date, created_at = now() - interval '10 days'
        where owner_id = ${alice.id}`;
        await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at, source, completed_at)
        select h.id, h.owner_id, ((${today}::date - d) + h.time) at time zone ${ZONE}, 'web', now() - make_interval(days => d)
        from public.habits h, unnest(array[1, 2, 3, 5, 6, 7, 8]) d where h.owner_id = ${alice.id}`;
        const habits = await call(alice, "export?table=habits");
        const completions = await call(alice, "export?table=completions");
        const fresh = await newUser();
        const result = await importAs(fresh, {
          format: "habits-csv",
          habits: habits.body,
          completions: completions.body,
        });
        assert.equal(result.status, 200, JSON.stringify(result.body));
        const [original] = await streaksOf(sql, alice);
        expect(original).toMatchObject({
          streak: 3,
          best_streak: 4,
          at_stake: 3,
        });
        expect(await streaksOf(sql, fresh)).toEqual([original]);
        expect(await webStreaksOf(sql, fresh)).toEqual([{
          action: "stretch",
          current: 3,
          best: 4,
        }]);
        const createdAt = (user: TestUser) =>
          sql`select created_at from public.habits where owner_id = ${user.id}`;
        expect(await createdAt(fresh)).toEqual(await createdAt(alice));
      },
    );

    await t.step(
      "our export's created_at is checked: not a date and time, or after now, is refused",
      async () => {
        const alice = await newUser();
        await createHabit(sql, alice, { action: "stretch" });
        const habits = (await call(alice, "export?table=habits"))
          .body as string;
        const stamp = /,(\d{4}-\d\d-\d\dT[^,\n]+)\n?$/.exec(habits.trim())![1];
        const fresh = await newUser();
        for (
          const [value, message] of [
            [
              "yesterday",
              'habits.csv line 2: created_at is not a date and time (ISO 8601 with offset): "yesterday"',
            ],
            [
              "2999-01-01T00:00:00Z",
              "habits.csv line 2: created_at 2999-01-01T00:00:00Z is not between 2000-01-01 and now",
            ],
          ]
        ) {
          const result = await importAs(fresh, {
            format: "habits-csv",
            habits: habits.replace(stamp, value),
            completions: "habit_id,occurrence_at,completed_at,source\n",
          });
          assert.equal(result.status, 400, JSON.stringify(result.body));
          expect(result.body.message).toBe(message);
        }
        expect(
          await sql`select from public.habits where owner_id = ${fresh.id}`,
        ).toHaveLength(0);
      },
    );
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await sql.end();
  }
});
