/**
 * The one authentication step of the functions a signed-in person calls (export, import,
 * delete-account; supabase/functions/_shared/caller.ts), through the devstack's functions host
 * (which checks the JWT's signature and expiry first, as the edge runtime does) and the real
 * database: a token whose user or session is gone gets 401, a password-only token of a two-factor
 * account 403 `mfa_required`, as the database's restrictive policies decide for the Data API.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { SignJWT } from "jose";
import { DEMO_JWT_SECRET } from "../../devstack/keys.ts";
import { asCaller } from "../../supabase/functions/_shared/caller.ts";
import { connectDatabase } from "../../supabase/functions/_shared/db.ts";
import { connectTestDatabase, createTestUser, deleteTestUsers, type TestUser } from "../support/database.ts";
import { startFunctionsForTests } from "../support/functions.ts";

function tokenFor(user: TestUser, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({
    sub: user.id,
    role: "authenticated",
    aud: "authenticated",
    email: user.email,
    ...claims,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

const EMPTY_IMPORT = JSON.stringify({
  format: "habits-csv",
  habits:
    "id,action,place,time,interval_days,duration_seconds,is_pleasant,related_habit_id,reward,is_public,is_paused,starts_on,created_at\n",
  completions: "habit_id,occurrence_at,completed_at,source\n",
});

Deno.test("the functions' authentication step: gone users, ended sessions, two-factor accounts", async (t) => {
  const sql = connectTestDatabase();
  const functions = await startFunctionsForTests("http://127.0.0.1:9");
  const users: TestUser[] = [];
  const newUser = async () => {
    const user = await createTestUser(sql);
    users.push(user);
    return user;
  };
  const call = async (token: string, name: "export" | "import" | "delete-account") => {
    const response = await fetch(`${functions.url}/${name}`, {
      method: name === "export" ? "GET" : "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: name === "import" ? EMPTY_IMPORT : name === "delete-account" ? "{}" : undefined,
    });
    const type = response.headers.get("Content-Type") ?? "";
    const body = type.includes("json") ? await response.json() : await response.text();
    return { status: response.status, body };
  };
  const addVerifiedFactor = (user: TestUser) =>
    sql`insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
      values (gen_random_uuid(), ${user.id}, 'phone', 'totp', 'verified', now(), now(), 'SECRET')`;

  try {
    await t.step(
      "a deleted user's token that has not expired yet gets 401 JSON from every function",
      async () => {
        const gone = await newUser();
        const token = await tokenFor(gone);
        await deleteTestUsers(sql, [gone]);
        for (const name of ["import", "export", "delete-account"] as const) {
          const answer = await call(token, name);
          assert.equal(answer.status, 401, `${name}: ${JSON.stringify(answer.body)}`);
          expect(answer.body).toMatchObject({ error: "unauthorized" });
          expect(answer.body.message).toMatch(/sign in again/);
        }
      },
    );

    await t.step("a token whose session has ended gets 401 from every function", async () => {
      const user = await newUser();
      const token = await tokenFor(user, { session_id: crypto.randomUUID() });
      for (const name of ["import", "export", "delete-account"] as const) {
        assert.equal((await call(token, name)).status, 401, name);
      }
      const malformed = await tokenFor(user, { session_id: "not-a-session" });
      assert.equal((await call(malformed, "export")).status, 401);
      assert.equal((await sql`select count(*)::int as n from auth.users where id = ${user.id}`)[0].n, 1);
    });

    await t.step(
      "a password-only session of a two-factor account gets 403 mfa_required from every function",
      async () => {
        const user = await newUser();
        await addVerifiedFactor(user);
        for (const token of [await tokenFor(user, { aal: "aal1" }), await tokenFor(user)]) {
          for (const name of ["import", "export", "delete-account"] as const) {
            const answer = await call(token, name);
            assert.equal(answer.status, 403, `${name}: ${JSON.stringify(answer.body)}`);
            expect(answer.body).toMatchObject({ error: "mfa_required" });
            expect(answer.body.message).toMatch(/two-factor/);
          }
        }
        assert.equal((await sql`select count(*)::int as n from auth.users where id = ${user.id}`)[0].n, 1);
      },
    );

    await t.step("after the second factor (aal2) export and import serve the account again", async () => {
      const user = await newUser();
      await addVerifiedFactor(user);
      const token = await tokenFor(user, { aal: "aal2" });
      const exported = await call(token, "export");
      assert.equal(exported.status, 200, JSON.stringify(exported.body));
      expect(exported.body.format).toBe("habits-export");
      const imported = await call(token, "import");
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      // delete-account at aal2 deletes through Auth's admin API: tests/contract/two_factor_gate_test.ts.
    });

    await t.step("an account without a verified factor is served at aal1", async () => {
      const user = await newUser();
      await sql`insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at)
        values (gen_random_uuid(), ${user.id}, 'phone', 'totp', 'unverified', now(), now())`;
      const token = await tokenFor(user, { aal: "aal1" });
      assert.equal((await call(token, "export")).status, 200);
      assert.equal((await call(token, "import")).status, 200);
    });
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await sql.end();
  }
});

Deno.test("work a function does as the caller is cut off after authenticated's statement timeout (57014)", async () => {
  const sql = connectTestDatabase();
  const db = connectDatabase(Deno.env.get("TEST_DB_URL")!, 1);
  const user = await createTestUser(sql);
  const caller = {
    sub: user.id,
    role: "authenticated" as const,
    claims: { sub: user.id, role: "authenticated" },
  };
  try {
    const [{ timeout }] = await asCaller(db, caller, (tx) =>
      tx<{ timeout: string }[]>`
      select current_setting('statement_timeout') as timeout`);
    const [{ setting }] = await sql<{ setting: string }[]>`
      select substr(cfg, strpos(cfg, '=') + 1) as setting
      from pg_db_role_setting s cross join unnest(s.setconfig) cfg
      where s.setrole = 'authenticated'::regrole and cfg like 'statement_timeout=%'`;
    assert.equal(timeout, setting, "the caller's transaction has authenticated's own setting");
    assert.equal(timeout, "8s");
    const started = performance.now();
    await assert.rejects(
      asCaller(db, caller, (tx) => tx`select pg_sleep(30)`),
      (error: { code?: string }) => error.code === "57014",
    );
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds >= 7.5 && seconds < 12, `cut off after ${seconds.toFixed(1)} s`);
    const [{ own }] = await db<{ own: string }[]>`select current_setting('statement_timeout') as own`;
    assert.equal(own, "8s", "the function's own connection is bounded too");
  } finally {
    await deleteTestUsers(sql, [user]);
    await db.end();
    await sql.end();
  }
});
