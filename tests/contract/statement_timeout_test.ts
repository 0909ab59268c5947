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
create function statement_timeouts.sleep(seconds double precision) returns int language sql volatile
  as $$ select pg_sleep(seconds); select 1 $$;
grant execute on all functions in schema statement_timeouts to anon, authenticated, service_role;
notify pgrst, 'reload schema';
`;

Deno.test({
  name: "a long request through the Data API is cut off with 57014 after its role's statement timeout",
  ignore: dbUrl === undefined,
  async fn(t) {
    const db = postgres(dbUrl!, { max: 1, onnotice: () => {} });
    await db.unsafe(SCHEMA);
    const api = await startParityApi(dbUrl!, { dbSchemas: ["statement_timeouts"] });
    const signedIn = await new SignJWT({
      sub: crypto.randomUUID(),
      role: "authenticated",
      aud: "authenticated",
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
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
    } finally {
      await api.close();
      await db.unsafe("drop schema if exists statement_timeouts cascade; notify pgrst, 'reload schema'");
      await db.end();
    }
  },
});
