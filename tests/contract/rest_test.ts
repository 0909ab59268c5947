/**
 * Contract tests of the Data API (PostgREST) as supabase-js uses it, through the real client.
 * They run against SUPABASE_URL (with SUPABASE_DB_URL or TEST_DB_URL for arranging data) when set;
 * otherwise they start devstack/rest against TEST_DB_URL, a migrated devstack database:
 *
 *   TEST_DB_URL=postgresql://postgres@127.0.0.1:55511/postgres deno test -A tests/contract/rest_test.ts
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { expect } from "expect";
import {
  clientFor,
  createTestUser,
  deleteTestUsers,
  mintToken,
  type RestContractEnv,
  restContractSkipReason,
  restRequest,
  startRestContractEnv,
  type TestUser,
} from "./rest_harness.ts";

const skipReason = restContractSkipReason();
if (skipReason) console.warn(`rest contract tests skipped: ${skipReason}`);

/** A valid habit; `overrides` change single fields. */
function habit(overrides: Record<string, unknown> = {}) {
  return { action: "read 10 pages", place: "on the sofa", time: "07:30", duration_seconds: 60, ...overrides };
}

async function habitCount(env: RestContractEnv, ownerId?: string): Promise<number> {
  const [row] = ownerId
    ? await env.db`select count(*)::int as n from public.habits where owner_id = ${ownerId}`
    : await env.db`select count(*)::int as n from public.habits`;
  return row.n;
}

/** Functions the rpc tests call; created for the run and announced to the API's schema cache. */
const rpcFixtures = `
create or replace function public.rest_contract_add(a integer, b integer default 1)
returns integer language sql immutable as $$ select a + b $$;
create or replace function public.rest_contract_my_habits(max_interval integer)
returns setof public.habits language sql stable as
$$ select * from public.habits where interval_days <= max_interval order by created_at $$;
create or replace function public.rest_contract_whoami()
returns json language sql stable as
$$ select json_build_object('uid', auth.uid(), 'role', current_user, 'method', current_setting('request.method', true)) $$;
create or replace function public.rest_contract_noop() returns void language plpgsql volatile as
$$ begin create temp table if not exists rest_contract_scratch (x integer); end $$;
create or replace function public.rest_contract_fail() returns void language plpgsql as
$$ begin raise exception 'rest contract failure' using hint = 'raised on purpose'; end $$;
`;
const rpcFixtureNames = [
  "rest_contract_add(integer, integer)",
  "rest_contract_my_habits(integer)",
  "rest_contract_whoami()",
  "rest_contract_noop()",
  "rest_contract_fail()",
];

async function reloadSchemaAndWait(env: RestContractEnv, fn: string, present: boolean) {
  await env.db.unsafe("notify pgrst, 'reload schema'");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await restRequest(env, `/rpc/${fn}`, { method: "POST", body: "{}", headers: json });
    await response.body?.cancel();
    if ((response.status !== 404) === present) return;
    if (Date.now() > deadline) throw new Error(`schema cache did not ${present ? "gain" : "lose"} ${fn}`);
    await sleep(100);
  }
}

const json = { "content-type": "application/json" };

Deno.test({
  name: "Data API contract (supabase-js)",
  ignore: skipReason !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const env = await startRestContractEnv();
    const users: TestUser[] = [];
    try {
      const owner = await createTestUser(env);
      const stranger = await createTestUser(env);
      const unlinked = await createTestUser(env, { telegram: false });
      users.push(owner, stranger, unlinked);
      const anon = clientFor(env, env.anonKey);
      const service = clientFor(env, env.serviceRoleKey);
      await env.db.unsafe(rpcFixtures);
      await reloadSchemaAndWait(env, "rest_contract_noop", true);

      await t.step("an owner creates, reads, updates and deletes a habit through RLS", async () => {
        const created = await owner.client.from("habits").insert(habit()).select().single();
        assert.equal(created.error, null);
        assert.equal(created.status, 201);
        assert.equal(created.data.owner_id, owner.id);
        assert.equal(created.data.time, "07:30:00");
        assert.equal(created.data.interval_days, 1);
        assert.ok(created.data.next_reminder_at, "the schedule is computed on insert");

        const read = await owner.client.from("habits").select("id, action").eq("id", created.data.id);
        assert.equal(read.error, null);
        assert.deepEqual(read.data, [{ id: created.data.id, action: "read 10 pages" }]);

        const updated = await owner.client.from("habits").update({ place: "at the desk" }).eq(
          "id",
          created.data.id,
        )
          .select();
        assert.equal(updated.error, null);
        assert.equal(updated.status, 200);
        assert.equal(updated.data?.[0].place, "at the desk");

        const minimal = await owner.client.from("habits").update({ reward: "tea" }).eq("id", created.data.id);
        assert.equal(minimal.status, 204);
        assert.equal(minimal.data, null);

        const deleted = await owner.client.from("habits").delete().eq("id", created.data.id);
        assert.equal(deleted.error, null);
        assert.equal(deleted.status, 204);
        const [row] = await env
          .db`select count(*)::int as n from public.habits where id = ${created.data.id}`;
        assert.equal(row.n, 0);
      });

      await t.step("insert without select answers 201 with no body; bulk insert sends columns", async () => {
        const single = await owner.client.from("habits").insert(habit({ action: "bulk 0" }));
        assert.equal(single.status, 201);
        assert.equal(single.data, null);
        const bulk = await owner.client.from("habits")
          .insert([
            habit({ action: "bulk 1", interval_days: 2 }),
            habit({ action: "bulk 2", interval_days: 3 }),
          ])
          .select("action, interval_days");
        assert.equal(bulk.error, null);
        assert.equal(bulk.status, 201);
        assert.deepEqual(bulk.data, [{ action: "bulk 1", interval_days: 2 }, {
          action: "bulk 2",
          interval_days: 3,
        }]);
        // the first row has no interval_days key: NULL by default, which the interval rule rejects...
        const nulls = await owner.client.from("habits")
          .insert([habit({ action: "bulk 3" }), habit({ action: "bulk 4", interval_days: 3 })]);
        assert.equal(nulls.status, 400);
        assert.equal(nulls.error?.code, "23514");
        expect(nulls.error?.message).toContain('"habits_interval_days_range"');
        // ...while Prefer: missing=default gives it the column default.
        const defaults = await owner.client.from("habits")
          .insert([habit({ action: "bulk 5" }), habit({ action: "bulk 6", interval_days: 3 })], {
            defaultToNull: false,
          })
          .select("action, interval_days");
        assert.equal(defaults.error, null);
        assert.deepEqual(defaults.data, [{ action: "bulk 5", interval_days: 1 }, {
          action: "bulk 6",
          interval_days: 3,
        }]);
        await owner.client.from("habits").delete().like("action", "bulk *");
        assert.equal(await habitCount(env, owner.id), 0);
      });

      await t.step("a stranger neither sees nor changes someone else's habit", async () => {
        const { data: mine } = await owner.client.from("habits").insert(habit({ action: "private" })).select()
          .single();
        const seen = await stranger.client.from("habits").select("*").eq("id", mine.id);
        assert.deepEqual(seen.data, []);
        const updated = await stranger.client.from("habits").update({ action: "hijacked" }).eq("id", mine.id)
          .select();
        assert.equal(updated.error, null);
        assert.deepEqual(updated.data, []);
        const deleted = await stranger.client.from("habits").delete().eq("id", mine.id).select();
        assert.deepEqual(deleted.data, []);
        const stolen = await stranger.client.from("habits").insert({ ...habit(), owner_id: owner.id });
        assert.equal(stolen.status, 403);
        assert.equal(stolen.error?.code, "42501");
        const [row] = await env.db`select action from public.habits where id = ${mine.id}`;
        assert.equal(row.action, "private");
        assert.equal(await habitCount(env, stranger.id), 0);
        await env.db`delete from public.habits where id = ${mine.id}`;
      });

      await t.step("count=exact pages 5 at a time with 206 and Content-Range", async () => {
        const rows = Array.from(
          { length: 12 },
          (_, i) => habit({ action: `page ${String(i).padStart(2, "0")}` }),
        );
        const inserted = await owner.client.from("habits").insert(rows);
        assert.equal(inserted.status, 201);

        const first = await owner.client.from("habits").select("action", { count: "exact" }).order("action")
          .range(0, 4);
        assert.equal(first.error, null);
        assert.equal(first.status, 206);
        assert.equal(first.count, 12);
        assert.deepEqual(first.data?.map((r) => r.action), [
          "page 00",
          "page 01",
          "page 02",
          "page 03",
          "page 04",
        ]);

        const last = await owner.client.from("habits").select("action", { count: "exact" }).order("action")
          .range(10, 14);
        assert.equal(last.status, 206);
        assert.deepEqual(last.data?.map((r) => r.action), ["page 10", "page 11"]);

        const raw = await restRequest(env, "/habits?select=id&order=action&offset=5&limit=5", {
          token: owner.token,
          headers: { prefer: "count=exact" },
        });
        await raw.body?.cancel();
        assert.equal(raw.status, 206);
        assert.equal(raw.headers.get("content-range"), "5-9/12");
        assert.match(raw.headers.get("content-type") ?? "", /^application\/json; charset=utf-8/);

        const head = await owner.client.from("habits").select("*", { count: "exact", head: true });
        assert.equal(head.count, 12);
        assert.equal(head.data, null);

        const all = await owner.client.from("habits").select("id", { count: "exact" });
        assert.equal(all.status, 200);

        const beyond = await owner.client.from("habits").select("id", { count: "exact" }).range(20, 24);
        assert.equal(beyond.status, 416);
        assert.equal(beyond.error?.code, "PGRST103");
        assert.equal(beyond.error?.details, "An offset of 20 was requested, but there are only 12 rows.");
      });

      await t.step("filters and order", async () => {
        await owner.client.from("habits").update({ interval_days: 3 }).in("action", ["page 00", "page 01"]);
        await owner.client.from("habits").update({ interval_days: 7, reward: "cake" }).eq(
          "action",
          "page 02",
        );
        const pick = async (query: PromiseLike<{ data: { action: string }[] | null; error: unknown }>) => {
          const { data, error } = await query;
          assert.equal(error, null);
          return data!.map((r) => r.action);
        };
        const base = () => owner.client.from("habits").select("action");
        expect(await pick(base().eq("interval_days", 7))).toEqual(["page 02"]);
        expect(
          await pick(
            base().gte("interval_days", 3).order("interval_days", { ascending: false }).order("action"),
          ),
        )
          .toEqual(["page 02", "page 00", "page 01"]);
        expect(await pick(base().gt("interval_days", 1).lt("interval_days", 7).order("action"))).toEqual([
          "page 00",
          "page 01",
        ]);
        expect(await pick(base().lte("interval_days", 1).neq("action", "page 03"))).toHaveLength(8);
        expect(
          await pick(
            base().in("action", ["page 04", "page 05", "with (parentheses), and commas"]).order("action"),
          ),
        )
          .toEqual(["page 04", "page 05"]);
        expect(await pick(base().not("reward", "is", null))).toEqual(["page 02"]);
        // Values are converted by the column's type: a boolean, a time and a timestamp.
        expect(await pick(base().eq("is_pleasant", false).eq("action", "page 02"))).toEqual(["page 02"]);
        expect(await pick(base().eq("is_pleasant", true))).toEqual([]);
        expect(await pick(base().eq("is_paused", "false").eq("action", "page 03"))).toEqual(["page 03"]);
        expect(await pick(base().lt("created_at", "2000-01-01T00:00:00Z"))).toEqual([]);
        expect(await pick(base().is("reward", null))).toHaveLength(11);
        expect(await pick(base().like("action", "page 1*").order("action", { ascending: false }))).toEqual([
          "page 11",
          "page 10",
        ]);
        expect(await pick(base().ilike("action", "PAGE 1%").order("action"))).toEqual(["page 10", "page 11"]);
        expect(await pick(base().not("action", "in", '("page 00","page 01")').gte("interval_days", 3)))
          .toEqual([
            "page 02",
          ]);
        expect(await pick(base().order("reward", { ascending: true, nullsFirst: false }).limit(1))).toEqual([
          "page 02",
        ]);
      });

      await t.step("single() answers 406 PGRST116 and rolls a mutation back", async () => {
        const none = await owner.client.from("habits").select("*").eq("action", "no such habit").single();
        assert.equal(none.status, 406);
        assert.equal(none.error?.code, "PGRST116");
        assert.equal(none.error?.details, "The result contains 0 rows");
        const many = await owner.client.from("habits").update({ place: "everywhere" }).like("action", "page*")
          .select().single();
        assert.equal(many.status, 406);
        assert.equal(many.error?.code, "PGRST116");
        const [row] = await env.db`select count(*)::int as n from public.habits where place = 'everywhere'`;
        assert.equal(row.n, 0, "the update was rolled back");
        const maybe = await owner.client.from("habits").select("id").eq("action", "no such habit")
          .maybeSingle();
        assert.equal(maybe.error, null);
        assert.equal(maybe.data, null);
        const one = await owner.client.from("habits").select("action").eq("action", "page 07").single();
        assert.deepEqual(one.data, { action: "page 07" });
      });

      await t.step("rpc: scalar, set, json, void, GET and errors", async () => {
        const sum = await owner.client.rpc("rest_contract_add", { a: 2, b: 40 });
        assert.equal(sum.error, null);
        assert.equal(sum.data, 42);
        const viaGet = await anon.rpc("rest_contract_add", { a: 2 }, { get: true });
        assert.equal(viaGet.data, 3);
        const set = await owner.client.rpc("rest_contract_my_habits", { max_interval: 3 }).select("action")
          .order("action").limit(2);
        assert.equal(set.error, null);
        assert.deepEqual(set.data, [{ action: "page 00" }, { action: "page 01" }]);
        const strangers = await stranger.client.rpc("rest_contract_my_habits", { max_interval: 7 });
        assert.deepEqual(strangers.data, [], "RLS applies inside security invoker functions");
        const whoami = await owner.client.rpc("rest_contract_whoami");
        assert.deepEqual(whoami.data, { uid: owner.id, role: "authenticated", method: "POST" });
        const noop = await owner.client.rpc("rest_contract_noop");
        assert.equal(noop.status, 204);
        assert.equal(noop.error, null);
        const failed = await owner.client.rpc("rest_contract_fail");
        assert.equal(failed.status, 400);
        assert.equal(failed.error?.code, "P0001");
        assert.equal(failed.error?.message, "rest contract failure");
        assert.equal(failed.error?.hint, "raised on purpose");
        const readOnly = await owner.client.rpc("rest_contract_noop", {}, { get: true });
        assert.equal(
          readOnly.status,
          405,
          "a volatile function called by GET runs in a read-only transaction",
        );
        assert.equal(readOnly.error?.code, "25006");
      });

      await t.step("anon reads public habits through the view, without owner data", async () => {
        const { data: shared } = await owner.client.from("habits")
          .insert(habit({ action: "walk the dog", is_public: true })).select("id").single();
        const view = await anon.from("public_habits").select("*").eq("id", shared!.id);
        assert.equal(view.error, null);
        assert.equal(view.data?.length, 1);
        assert.equal(view.data?.[0].action, "walk the dog");
        assert.equal("owner_id" in view.data![0], false);
        const table = await anon.from("habits").select("*");
        assert.equal(table.status, 401, "anon lacks privileges on habits: 42501 as anon is 401");
        assert.equal(table.error?.code, "42501");
        const insert = await anon.from("public_habits").insert({ action: "x" });
        assert.equal(insert.status, 401);
      });

      await t.step("rule violations come back as 400 23514 naming the rule", async () => {
        const cases: [TestUser, Record<string, unknown>, string][] = [
          [owner, habit({ duration_seconds: 500 }), "habits_duration_seconds_range"],
          [owner, habit({ interval_days: 8 }), "habits_interval_days_range"],
          [owner, habit({ is_pleasant: true, reward: "cake" }), "habits_pleasant_has_no_reward_or_link"],
          [unlinked, habit(), "habits_require_telegram"],
        ];
        for (const [user, row, rule] of cases) {
          const result = await user.client.from("habits").insert(row).select().single();
          assert.equal(result.status, 400, rule);
          assert.equal(result.error?.code, "23514", rule);
          assert.match(result.error?.message ?? "", new RegExp(`violates (check constraint|rule) "${rule}"`));
        }
        const badTime = await owner.client.from("habits").insert(habit({ time: "25:99" }));
        assert.equal(badTime.status, 400);
        assert.equal(badTime.error?.code, "22008");
        const badId = await owner.client.from("habits").select("id").eq("id", "not-a-uuid");
        assert.equal(badId.status, 400);
        assert.equal(badId.error?.code, "22P02");
        const duplicate = await service.from("profiles").update({ telegram_chat_id: 42 }).in("id", [
          owner.id,
          stranger.id,
        ]);
        assert.equal(duplicate.status, 409);
        assert.equal(duplicate.error?.code, "23505");
      });

      await t.step("malformed JSON is 400 PGRST102 and writes nothing", async () => {
        const before = await habitCount(env);
        for (const body of ['{"action": "read"', "", "[1, 2]", "null"]) {
          const response = await restRequest(env, "/habits", {
            method: "POST",
            body,
            token: owner.token,
            headers: json,
          });
          const error = await response.json();
          assert.equal(response.status, 400, body);
          assert.equal(error.code, "PGRST102", body);
          assert.deepEqual(Object.keys(error).sort(), ["code", "details", "hint", "message"]);
        }
        const mismatched = await restRequest(env, "/habits", {
          method: "POST",
          body: JSON.stringify([habit(), { action: "only this" }]),
          token: owner.token,
          headers: json,
        });
        assert.equal(mismatched.status, 400);
        assert.equal((await mismatched.json()).message, "All object keys must match");
        assert.equal(await habitCount(env), before);
      });

      await t.step("missing, forged, expired and role-less JWTs", async () => {
        const missing = await restRequest(env, "/habits?select=id", { token: null });
        assert.equal(missing.status, 401);
        assert.equal((await missing.json()).code, "42501");

        const forged = await mintToken("another-secret-that-is-at-least-32-characters", {
          sub: owner.id,
          role: "service_role",
        });
        const forgedResult = await clientFor(env, forged).from("habits").select("id");
        assert.equal(forgedResult.status, 401);
        assert.equal(forgedResult.error?.code, "PGRST301");

        const expired = await mintToken(env.jwtSecret, {
          sub: owner.id,
          role: "authenticated",
          aud: "authenticated",
        }, Math.floor(Date.now() / 1000) - 120);
        const expiredResponse = await restRequest(env, "/habits?select=id", { token: expired });
        const expiredBody = await expiredResponse.json();
        assert.equal(expiredResponse.status, 401);
        assert.equal(expiredBody.code, "PGRST303");
        assert.equal(expiredBody.message, "JWT expired");
        assert.match(expiredResponse.headers.get("www-authenticate") ?? "", /^Bearer error="invalid_token"/);

        const garbage = await restRequest(env, "/habits?select=id", { token: "not.a-jwt" });
        assert.equal(garbage.status, 401);
        assert.equal((await garbage.json()).code, "PGRST301");

        const ghostRole = await mintToken(env.jwtSecret, { sub: owner.id, role: "no_such_role" });
        const ghost = await restRequest(env, "/habits?select=id", { token: ghostRole });
        assert.equal(ghost.status, 401);
        assert.match((await ghost.json()).message, /role "no_such_role" does not exist/);
      });

      await t.step("unknown table, column and function", async () => {
        const table = await owner.client.from("habitz").select("*");
        assert.equal(table.status, 404);
        assert.equal(table.error?.code, "PGRST205");
        assert.equal(table.error?.message, "Could not find the table 'public.habitz' in the schema cache");
        const selected = await owner.client.from("habits").select("id, colour");
        assert.equal(selected.status, 400);
        assert.equal(selected.error?.code, "42703");
        const filtered = await owner.client.from("habits").select("id").eq("colour", "red");
        assert.equal(filtered.error?.code, "42703");
        const ordered = await owner.client.from("habits").select("id").order("colour");
        assert.equal(ordered.error?.code, "42703");
        const payload = await owner.client.from("habits").insert(habit({ colour: "red" }));
        assert.equal(payload.status, 400);
        assert.equal(payload.error?.code, "PGRST204");
        assert.equal(
          payload.error?.message,
          "Could not find the 'colour' column of 'habits' in the schema cache",
        );
        const fn = await owner.client.rpc("no_such_function", { x: 1 });
        assert.equal(fn.status, 404);
        assert.equal(fn.error?.code, "PGRST202");
        const wrongArgs = await owner.client.rpc("rest_contract_add", { x: 1 });
        assert.equal(wrongArgs.status, 404);
        assert.equal(wrongArgs.error?.code, "PGRST202");
        const hidden = await restRequest(env, "/habits", { headers: { "accept-profile": "private" } });
        assert.equal(hidden.status, 406);
        assert.equal((await hidden.json()).code, "PGRST106");
      });

      await t.step("SQL metacharacters in filters, identifiers and bodies change nothing", async () => {
        const before = await habitCount(env);
        const injections = [
          "'; delete from public.habits; --",
          "x' or '1'='1",
          '") or true; --',
          "$1",
          "\\'; drop table public.habits; --",
        ];
        for (const value of injections) {
          const eq = await owner.client.from("habits").select("id").eq("action", value);
          assert.deepEqual(eq.data, [], value);
          const inList = await owner.client.from("habits").select("id").in("action", [value, "page 00"]);
          if (value.includes('"') && /[,()]/.test(value)) {
            // postgrest-js quotes such a value without escaping its quote: a malformed list, rejected.
            assert.equal(inList.error?.code, "PGRST100", value);
          } else assert.equal(inList.data?.length, 1, value);
          const like = await owner.client.from("habits").select("id").ilike("action", `%${value}%`);
          assert.deepEqual(like.data, [], value);
          const update = await owner.client.from("habits").update({ place: value }).eq("action", value)
            .select();
          assert.deepEqual(update.data, [], value);
          const deleteResult = await owner.client.from("habits").delete().eq("place", value).select();
          assert.deepEqual(deleteResult.data, [], value);
        }
        const identifiers = [
          ["/habits?select=id;delete from public.habits", "PGRST100"],
          ['/habits?select=id,"action""; delete from public.habits; --"', "PGRST100"],
          ["/habits?select=id,%22action%5C%22%3B%20delete%20from%20public.habits%3B%20--%22", "42703"],
          ["/habits?order=action;delete from public.habits", "PGRST100"],
          ["/habits?order=action;delete%20from%20habits", "PGRST100"],
          ['/habits?action"%3Bdelete=eq.1', "PGRST100"],
          ["/habits%3Bdelete%20from%20habits", "PGRST205"],
          ["/rpc/rest_contract_add%3Bdelete%20from%20habits", "PGRST202"],
        ];
        for (const [path, code] of identifiers) {
          const response = await restRequest(env, path, { token: owner.token });
          const body = await response.json();
          assert.equal(body.code, code, path);
        }
        const evil = "Robert'); delete from public.habits; --";
        const stored = await owner.client.from("habits").insert(
          habit({ action: evil, place: '"; drop table x' }),
        )
          .select("action, place").single();
        assert.deepEqual(stored.data, { action: evil, place: '"; drop table x' });
        assert.equal(await habitCount(env), before + 1);
        const rpc = await owner.client.rpc("rest_contract_add", { a: "1); delete from public.habits; --" });
        assert.equal(rpc.status, 400);
        assert.equal(rpc.error?.code, "22P02");
        assert.equal(await habitCount(env), before + 1);
      });

      await t.step("an oversized body is 413", async () => {
        const before = await habitCount(env);
        const response = await restRequest(env, "/habits", {
          method: "POST",
          token: owner.token,
          headers: json,
          body: JSON.stringify(habit({ reward: "x".repeat(2 * 1024 * 1024) })),
        });
        await response.body?.cancel();
        assert.equal(response.status, 413);
        assert.equal(await habitCount(env), before);
      });

      await t.step("a wrong method is 405", async () => {
        const put = await restRequest(env, "/habits", {
          method: "PUT",
          token: owner.token,
          headers: json,
          body: "{}",
        });
        // PUT without the primary key filters (PostgREST: tables_views, PUT upsert).
        assert.equal(put.status, 405);
        assert.equal((await put.json()).code, "PGRST105");
        const unknown = await restRequest(env, "/habits", { method: "PROPFIND", token: owner.token });
        assert.equal(unknown.status, 405);
        const unknownBody = await unknown.json();
        assert.equal(unknownBody.code, "PGRST117");
        assert.equal(unknownBody.message, "Unsupported HTTP method: PROPFIND");
        const rpcPatch = await restRequest(env, "/rpc/rest_contract_add", {
          method: "PATCH",
          token: owner.token,
          headers: json,
          body: "{}",
        });
        assert.equal(rpcPatch.status, 405);
        assert.equal((await rpcPatch.json()).code, "PGRST101");
      });

      await t.step("a PostgREST feature the devstack lacks is refused by name (400 PGRST127)", async () => {
        // PostgREST: references/api/functions (bulk calls with an array body), not in the devstack.
        const bulk = await restRequest(env, "/rpc/rest_contract_add", {
          method: "POST",
          token: owner.token,
          headers: json,
          body: JSON.stringify([{ a: 1 }, { a: 2 }]),
        });
        assert.equal(bulk.status, 400);
        const body = await bulk.json();
        assert.equal(body.code, "PGRST127");
        assert.equal(body.message, "Feature not implemented");
        assert.match(body.details, /array body/);
      });

      await t.step("the OpenAPI document shows what the role can use", async () => {
        const asAnon = await restRequest(env, "/", { headers: { accept: "application/openapi+json" } });
        assert.equal(asAnon.status, 200);
        assert.match(asAnon.headers.get("content-type") ?? "", /^application\/openapi\+json/);
        const anonDoc = await asAnon.json();
        assert.equal(anonDoc.swagger, "2.0");
        assert.ok(anonDoc.paths["/public_habits"]);
        assert.equal(anonDoc.paths["/habits"], undefined);
        assert.ok(anonDoc.paths["/rpc/rest_contract_add"]);

        const asOwner = await restRequest(env, "/", { token: owner.token });
        const doc = await asOwner.json();
        const properties = doc.definitions.habits.properties;
        assert.match(properties.id.description, /<pk\/>/);
        assert.match(properties.owner_id.description, /<fk table='profiles' column='id'\/>/);
        assert.equal(properties.interval_days.type, "integer");
        assert.equal(properties.interval_days.format, "integer");
        assert.ok(doc.definitions.habits.required.includes("action"));
        assert.ok(doc.paths["/habits"].post);
      });
    } finally {
      await deleteTestUsers(env, users).catch((error) => console.error(error));
      await env.db.unsafe(rpcFixtureNames.map((fn) => `drop function if exists public.${fn};`).join("\n"))
        .catch((error) => console.error(error));
      await env.db.unsafe("notify pgrst, 'reload schema'").catch(() => {});
      await env.close();
    }
  },
});
