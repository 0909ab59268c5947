/**
 * "At most 5 Telegram link codes an hour" (telegram_link_codes_per_hour) holds for requests that
 * overlap, as a client firing them in parallel at the Data API makes them: each request is its
 * own transaction (PostgREST's), and the trigger used to count the codes committed so far, so
 * eight overlapping requests got eight codes. pgTAP runs in one session and cannot overlap two.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  connectTestDatabase,
  createTestUser,
  deleteTestUsers,
  testDatabaseUrl,
} from "../support/database.ts";

Deno.test("at most 5 Telegram link codes an hour, also when the requests overlap", async () => {
  const sql = connectTestDatabase();
  const user = await createTestUser(sql, { linkTelegram: false });
  const requests = Array.from(
    { length: 8 },
    () => postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} }),
  );
  const claims = JSON.stringify({ sub: user.id, role: "authenticated", aal: "aal1" });
  try {
    // As the Data API runs POST /rpc/create_telegram_link_code; each transaction stays open a
    // moment after the call, so all of them overlap.
    const outcomes = await Promise.all(requests.map((request) =>
      request.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
        await tx`select * from public.create_telegram_link_code()`;
        await tx`select pg_sleep(0.3)`;
      }).then(() => "issued", (error) => error.code as string)
    ));
    const [{ codes }] = await sql<{ codes: number }[]>`
      select count(*)::int as codes from public.telegram_link_codes where user_id = ${user.id}`;
    assert.equal(codes, 5, `codes issued: ${outcomes.join(", ")}`);
    assert.deepEqual(outcomes.filter((outcome) => outcome !== "issued"), ["PT429", "PT429", "PT429"]);
  } finally {
    await Promise.all(requests.map((request) => request.end()));
    await deleteTestUsers(sql, [user]);
    await sql.end();
  }
});
