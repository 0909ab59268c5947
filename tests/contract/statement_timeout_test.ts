/**
 * No request holds the database for long: the Data API applies the impersonated role's settings
 * (ALTER ROLE … SET statement_timeout, set by the migrations) to every request, as PostgREST does
 * (src/PostgREST/Config/Database.hs, queryRoleSettings: the rolconfig of every role the
 * authenticator may switch to, applied per request with set_config), so a statement that runs too
 * long is cut off with 57014 instead of holding a connection. A throwaway schema exposed by a Data
 * API of its own provides a function that sleeps. Needs a migrated database: TEST_DB_URL or
 * SUPABASE_DB_URL.
 */
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import postgres from "postgres";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import { parityDbUrl, startParityApi } from "./rest_parity_harness.ts";

const dbUrl = parityDbUrl();

const SCHEMA = `
drop schema if exists statement_timeouts cascade;
create schema statement_timeouts;
grant usage on schema statement_timeouts to anon, authenticated, service_role;
create function statement_timeouts.current_timeout() returns text language sql stable
  as $$ select current_setting('statement_timeout') $$;
create function statement_timeouts.current_isolation() returns text language sql stable
  as $$ select current_setting('transaction_isolation') $$;
-- A role of the suite's own with settings, as PostgREST reads them (pg_roles.rolconfig).
do $$ begin
  if not exists (select from pg_roles where rolname = 'statement_timeouts_reader') then
    create role statement_timeouts_reader nologin;
  end if;
end $$;
grant statement_timeouts_reader to authenticator;
grant usage on schema statement_timeouts to statement_timeouts_reader;
alter role statement_timeouts_reader set statement_timeout = '1500ms';
alter role statement_timeouts_reader set default_transaction_isolation = 'serializable';
create function statement_timeouts.sleep(seconds double precision) returns int language sql volatile
  as $$ select pg_sleep(seconds); select 1 $$;
grant execute on all functions in schema statement_timeouts to anon, authenticated, service_role,
  statement_timeouts_reader;
notify pgrst, 'reload schema';
`;

Deno.test({
  name: "a long request through the Data API is cut off with 57014 after its role's statement timeout",
  ignore: dbUrl === undefined,
  async fn(t) {
    const db = postgres(dbUrl!, { max: 1, onnotice: () => {} });
    await db.unsafe(SCHEMA);
    const api = await startParityApi(dbUrl!, { dbSchemas: ["statement_timeouts"] });
    const tokenOf = (role: string) =>
      new SignJWT({ sub: crypto.randomUUID(), role, aud: "authenticated" })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
    const signedIn = await tokenOf("authenticated");
    const rpc = async (name: string, body: unknown, bearer: string) => {
      const response = await api.request(`/rpc/${name}`, {
        method: "POST",
        key: DEMO_ANON_KEY,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    try {
      await t.step("each role's requests run under its own timeout: anon 3 s, signed-in 8 s", async () => {
        assert.deepEqual(await rpc("current_timeout", {}, DEMO_ANON_KEY), { status: 200, body: "3s" });
        assert.deepEqual(await rpc("current_timeout", {}, signedIn), { status: 200, body: "8s" });
        // service_role has no setting of its own: the authenticator's login setting stays.
        assert.deepEqual(await rpc("current_timeout", {}, DEMO_SERVICE_ROLE_KEY), {
          status: 200,
          body: "8s",
        });
      });

      await t.step("an anon request that sleeps longer is cancelled with 57014, not held", async () => {
        const started = performance.now();
        const answer = await rpc("sleep", { seconds: 20 }, DEMO_ANON_KEY);
        const seconds = (performance.now() - started) / 1000;
        assert.equal(answer.status, 500);
        assert.equal(answer.body.code, "57014");
        assert.match(answer.body.message, /statement timeout/);
        assert.ok(seconds >= 2.5 && seconds < 6, `answered after ${seconds.toFixed(1)} s`);
        assert.deepEqual(await rpc("sleep", { seconds: 0.1 }, DEMO_ANON_KEY), { status: 200, body: 1 });
      });

      await t.step("a role's own settings apply, its isolation level as the transaction's", async () => {
        const reader = await tokenOf("statement_timeouts_reader");
        assert.deepEqual(await rpc("current_timeout", {}, reader), { status: 200, body: "1500ms" });
        assert.deepEqual(await rpc("current_isolation", {}, reader), { status: 200, body: "serializable" });
        assert.deepEqual(await rpc("current_isolation", {}, signedIn), {
          status: 200,
          body: "read committed",
        });
        const started = performance.now();
        const answer = await rpc("sleep", { seconds: 20 }, reader);
        assert.equal(answer.body.code, "57014");
        assert.ok(performance.now() - started < 4_000);
      });
    } finally {
      await api.close();
      await db.unsafe(
        `drop schema if exists statement_timeouts cascade; drop role if exists statement_timeouts_reader;
        notify pgrst, 'reload schema'`,
      );
      await db.end();
    }
  },
});
