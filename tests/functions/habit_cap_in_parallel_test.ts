/**
 * "An account has at most 100 habits" (habits_per_account_limit) holds for inserts that overlap,
 * as a client firing them in parallel at the Data API makes them (each its own transaction): the
 * cap's statement trigger locks the person's profile row before it counts. pgTAP runs in one
 * session and cannot overlap two.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  connectTestDatabase,
  createTestUser,
  deleteTestUsers,
  testDatabaseUrl,
} from "../support/database.ts";

Deno.test("at most 100 habits per account, also when the last inserts overlap", async () => {
  const sql = connectTestDatabase();
  const user = await createTestUser(sql);
  const requests = Array.from(
    { length: 3 },
    () => postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} }),
  );
  const claims = JSON.stringify({ sub: user.id, role: "authenticated", aal: "aal1" });
  try {
    const [{ cap }] = await sql<{ cap: number }[]>`
      select coalesce((select value from private.settings where name = 'habits_per_account_limit'), 100)::int as cap`;
    await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
      select ${user.id}, 'habit ' || n, 'home', '09:00', 30 from generate_series(1, ${cap - 1}) n`;
    // As the Data API runs POST /habits; each transaction stays open a moment after the insert.
    const outcomes = await Promise.all(requests.map((request, i) =>
      request.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
        await tx`insert into public.habits (action, place, time, duration_seconds)
          values (${`last ${i}`}, 'home', '09:00', 30)`;
        await tx`select pg_sleep(0.3)`;
      }).then(() => "created", (error) => error.message as string)
    ));
    const [{ habits }] = await sql<{ habits: number }[]>`
      select count(*)::int as habits from public.habits where owner_id = ${user.id}`;
    assert.equal(habits, cap, outcomes.join("; "));
    assert.equal(outcomes.filter((outcome) => outcome.includes('"habits_per_account_limit"')).length, 2);
  } finally {
    await Promise.all(requests.map((request) => request.end()));
    await deleteTestUsers(sql, [user]);
    await sql.end();
  }
});
