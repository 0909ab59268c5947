/**
 * "Our export → import into a fresh account": a habit's history survives a change of its time,
 * interval or the person's time zone. The completions recorded before the change are no longer
 * occurrences of the habit as it now is (habit_completions_occurrence_on_schedule); the import
 * used to refuse the whole file with 422 for the first of them. Now it imports the habit and every
 * completion that still is an occurrence, and its report names each one left out.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { SignJWT } from "jose";
import { DEMO_JWT_SECRET } from "../../devstack/keys.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
} from "../support/database.ts";
import { startFunctionsForTests } from "../support/functions.ts";

function tokenFor(user: TestUser): Promise<string> {
  return new SignJWT({ sub: user.id, role: "authenticated", aud: "authenticated", email: user.email })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

Deno.test("import of our export keeps a habit whose time changed, with the history that still fits", async () => {
  const sql = connectTestDatabase();
  const functions = await startFunctionsForTests("http://127.0.0.1:9");
  const users: TestUser[] = [];
  const call = async (user: TestUser, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${functions.url}/${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${await tokenFor(user)}`, "Content-Type": "application/json" },
    });
    const type = response.headers.get("Content-Type") ?? "";
    return {
      status: response.status,
      body: type.includes("json") ? await response.json() : await response.text(),
    };
  };
  const completionsOf = (user: TestUser) =>
    sql`select c.occurrence_at, c.completed_at, c.source from public.habit_completions c
      where c.owner_id = ${user.id} order by c.occurrence_at`;
  try {
    const alice = await createTestUser(sql, { timezone: "Europe/Berlin" });
    users.push(alice);
    const run = await createHabit(sql, alice, { action: "run", time: "07:00" });
    await sql`update public.habits set starts_on = current_date - 10, created_at = now() - interval '10 days'
      where id = ${run}`;
    // Done at 07:00 five and three days ago; then the habit moved to 08:00, done yesterday.
    await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at)
      select ${run}, ${alice.id}, ((current_date - d) + time '07:00') at time zone 'Europe/Berlin',
        now() - make_interval(days => d)
      from unnest(array[5, 3]) d`;
    await sql`update public.habits set time = '08:00' where id = ${run}`;
    await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at)
      values (${run}, ${alice.id}, ((current_date - 1) + time '08:00') at time zone 'Europe/Berlin',
        now() - interval '1 day')`;

    const habits = await call(alice, "export?table=habits");
    const completions = await call(alice, "export?table=completions");
    assert.equal(completions.status, 200);
    const lines: string[] = completions.body.split("\n");

    const fresh = await createTestUser(sql, { timezone: "Europe/Berlin" });
    users.push(fresh);
    const result = await call(fresh, "import", {
      method: "POST",
      body: JSON.stringify({ format: "habits-csv", habits: habits.body, completions: completions.body }),
    });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    expect(result.body.imported).toEqual({ habits: 1, completions: 1 });
    const berlinHour = (at: string) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit" }).format(new Date(at));
    const left = lines.flatMap((line, i) =>
      i > 0 && line !== "" && berlinHour(line.split(",")[1]) === "07" ? [i + 1] : []
    );
    expect(left.length).toBe(2);
    expect(result.body.report).toEqual(left.map((line) =>
      expect.stringMatching(
        new RegExp(
          `^completions\\.csv line ${line}: .* is no longer an occurrence of this habit .*; not imported$`,
        ),
      )
    ));
    const [kept] = await completionsOf(fresh);
    expect([kept]).toEqual((await completionsOf(alice)).slice(-1));
    const [habit] =
      await sql`select time::text, starts_on::text from public.habits where owner_id = ${fresh.id}`;
    expect(habit).toEqual({
      time: "08:00:00",
      starts_on: (await sql`select (current_date - 10)::text as d`)[0].d,
    });
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await sql.end();
  }
});
