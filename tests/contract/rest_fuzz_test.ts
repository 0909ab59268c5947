/**
 * No name or type in a request reaches the Data API stand-in's SQL unparsed (issue 22).
 *
 * Every position where PostgREST's grammar takes a name or a type — select fields, aliases, casts
 * and aggregate casts, JSON path keys, order terms, filter and logic-tree fields, the full-text
 * language, on_conflict, columns, body keys, embed names, hints and spreads, embedded filter paths,
 * RPC argument names, table and function names, and the schema and time zone names of the
 * Accept-Profile, Content-Profile and Prefer headers — gets fixed attack strings (the issue's UNION
 * through a cast, comments, quotes, a cross join) and seeded random mixes of SQL metacharacters
 * and unicode. Each answer must be a PostgREST-shaped 4xx error that is not a Postgres syntax
 * error (42601), or a success holding nothing from outside the exposed relation: no role names,
 * no row of a table the request did not name. The grammar followed is PostgREST's
 * src/PostgREST/ApiRequest/QueryParams.hs (pFieldName, pIdentifier for casts, pJsonPath, pOrder,
 * pLogicTree, pColumns); the way a cast reaches SQL is src/PostgREST/Query/SqlFragment.hs
 * (pgFmtApplyCast), which the stand-in replaces by constants or a quoted identifier.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { DEMO_ANON_KEY } from "../../devstack/keys.ts";
import { type ParityApi, parityDbUrl, startParityApi } from "./rest_parity_harness.ts";

const dbUrl = parityDbUrl();
// REST_FUZZ_SEED / REST_FUZZ_COUNT explore further; the defaults keep every run the same.
const SEED = Number(Deno.env.get("REST_FUZZ_SEED") ?? 20261207);
const RANDOM_PER_POSITION = Number(Deno.env.get("REST_FUZZ_COUNT") ?? 30);
/** A value only the unexposed table holds: seeing it in an answer means SQL was injected. */
const MARKER = "fuzz-secret-7f3a9c";
/** Role names every cluster has: seeing one means pg_roles, pg_user or pg_authid was read. */
const ROLE_NAMES = /authenticator|supabase_admin|pg_read_all_data|pg_signal_backend/;

const schema = `
drop schema if exists rest_fuzz cascade;
drop schema if exists rest_fuzz_private cascade;
create schema rest_fuzz;
create schema rest_fuzz_private;
grant usage on schema rest_fuzz, rest_fuzz_private to anon, authenticated, service_role;
create table rest_fuzz.owners (id int primary key, name text not null);
create table rest_fuzz.items (
  id int primary key, name text not null, qty int not null default 0, data jsonb,
  owner_id int references rest_fuzz.owners (id)
);
create table rest_fuzz_private.secrets (secret text);
create function rest_fuzz.find_items(term text) returns setof rest_fuzz.items
  language sql stable as $$ select * from rest_fuzz.items where name like term $$;
-- The unexposed table is readable by every API role: only the API's grammar keeps it out of reach.
grant select on all tables in schema rest_fuzz, rest_fuzz_private to anon, authenticated, service_role;
grant insert, update, delete on all tables in schema rest_fuzz to anon, authenticated, service_role;
grant execute on all functions in schema rest_fuzz to anon, authenticated, service_role;
insert into rest_fuzz.owners values (1, 'olga');
insert into rest_fuzz.items values (1, 'apple', 3, '{"a": {"b": 1}, "name": "x"}', 1), (2, 'pear', 5, null, null);
insert into rest_fuzz_private.secrets values ('${MARKER}');
notify pgrst, 'reload schema';
`;

/** Fixed attacks, each aimed at one way of escaping a name position. */
const attacks = [
  "text from rest_fuzz.items pgrst_0 union select secret from rest_fuzz_private.secrets union select name",
  "text from items pgrst_0 union select usename from pg_user union select name",
  "text) union select rolname from pg_roles --",
  'name" from rest_fuzz_private.secrets --',
  "name; select secret from rest_fuzz_private.secrets",
  "int cross join pg_catalog.generate_series(1, 100000000000) g",
  "text /* comment */",
  "id'); drop table rest_fuzz.items; --",
  "$1",
  "$$ || (select secret from rest_fuzz_private.secrets) || $$",
  "name::text",
  'a"b',
  "ünïcödé 名前 \u202e",
];

const fragments = [
  '"',
  "'",
  ";",
  "(",
  ")",
  "--",
  "/*",
  "*/",
  " ",
  ",",
  ".",
  ":",
  "::",
  "->",
  "->>",
  "!",
  "\\",
  "$$",
  "$1",
  "%",
  "*",
  "=",
  "&",
  "ü",
  "名",
  "𝔘",
  "\u202e",
  "name",
  "id",
  "text",
  "int",
  "union",
  " union select rolname from pg_roles",
  " union select secret from rest_fuzz_private.secrets",
  " from rest_fuzz.items pgrst_0",
  " cross join pg_catalog.generate_series(1,100000000000) g",
  "pg_sleep(5)",
  " or 1=1",
];

/** mulberry32: a small seeded generator, so a failure replays with the same inputs. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function payloads(random: () => number): string[] {
  const mixed = Array.from({ length: RANDOM_PER_POSITION }, () => {
    const parts = 1 + Math.floor(random() * 5);
    return Array.from({ length: parts }, () => fragments[Math.floor(random() * fragments.length)]).join("");
  });
  return [...attacks, ...mixed];
}

interface Probe {
  path: string;
  init?: RequestInit;
}

const query = (path: string, params: [string, string][]) => `${path}?${new URLSearchParams(params)}`;
const post = (body: unknown, prefer = "return=representation"): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", prefer },
  body: JSON.stringify(body),
});

/** Each name or type position of the grammar, as a request carrying `p` there. */
const positions: Record<string, (p: string) => Probe> = {
  "select field": (p) => ({ path: query("/items", [["select", p]]) }),
  "select alias": (p) => ({ path: query("/items", [["select", `${p}:name`]]) }),
  "select quoted field": (p) => ({ path: query("/items", [["select", `"${p.replaceAll('"', '\\"')}"`]]) }),
  "select cast": (p) => ({ path: query("/items", [["select", `name::${p}`]]) }),
  "aggregate cast": (p) => ({ path: query("/items", [["select", `qty.sum()::${p}`]]) }),
  "count() cast": (p) => ({ path: query("/items", [["select", `count()::${p}`]]) }),
  "json path key": (p) => ({ path: query("/items", [["select", `data->${p}`]]) }),
  "json path text key": (p) => ({ path: query("/items", [["select", `data->a->>${p}`]]) }),
  "order term": (p) => ({ path: query("/items", [["order", p]]) }),
  "order json path": (p) => ({ path: query("/items", [["order", `data->${p}.desc`]]) }),
  "order related": (p) => ({ path: query("/items", [["select", "*,owners(*)"], ["order", `owners(${p})`]]) }),
  "filter field": (p) => ({ path: query("/items", [[p, "eq.1"]]) }),
  "filter json path": (p) => ({ path: query("/items", [[`data->>${p}`, "eq.1"]]) }),
  "logic tree field": (p) => ({ path: query("/items", [["or", `(${p}.eq.1,id.eq.2)`]]) }),
  "fts language": (p) => ({ path: query("/items", [["name", `fts(${p}).apple`]]) }),
  "embed name": (p) => ({ path: query("/items", [["select", `id,${p}(*)`]]) }),
  "embed hint": (p) => ({ path: query("/items", [["select", `id,owners!${p}(*)`]]) }),
  "spread name": (p) => ({ path: query("/items", [["select", `id,...${p}(name)`]]) }),
  "embedded filter path": (p) => ({
    path: query("/items", [["select", "*,owners(*)"], [`${p}.name`, "eq.x"]]),
  }),
  "on_conflict": (p) => ({
    path: query("/items", [["on_conflict", p]]),
    init: post({ id: 1, name: "apple" }, "resolution=merge-duplicates,return=representation"),
  }),
  "columns": (p) => ({ path: query("/items", [["columns", p]]), init: post([{ id: 9, name: "fig" }]) }),
  "insert body key": (p) => ({ path: "/items", init: post({ id: 9, name: "fig", [p]: 1 }) }),
  "update body key": (p) => ({
    path: query("/items", [["id", "eq.1"]]),
    init: { ...post({ [p]: 1 }), method: "PATCH" },
  }),
  "rpc argument (GET)": (p) => ({ path: query("/rpc/find_items", [[p, "a%"]]) }),
  "rpc argument (POST)": (p) => ({ path: "/rpc/find_items", init: post({ [p]: "a%" }) }),
  "rpc select cast": (p) => ({ path: query("/rpc/find_items", [["term", "%"], ["select", `id::${p}`]]) }),
  "function name": (p) => ({ path: `/rpc/${encodeURIComponent(p)}` }),
  "table name": (p) => ({ path: `/${encodeURIComponent(p)}` }),
  "Accept-Profile schema": (p) => ({ path: "/items", init: { headers: { "accept-profile": latin1(p) } } }),
  "Content-Profile schema": (p) => ({
    path: "/items",
    init: {
      ...post({ id: 9, name: "fig" }),
      headers: { "content-profile": latin1(p), "content-type": "application/json" },
    },
  }),
  "Prefer timezone": (p) => ({ path: "/items", init: { headers: { prefer: `timezone=${latin1(p)}` } } }),
};

/** Header values carry bytes, not text: keep what fetch can send, as a client could. */
function latin1(text: string): string {
  return [...text].filter((ch) => ch.charCodeAt(0) < 256 && ch !== "\r" && ch !== "\n").join("");
}

function checkAnswer(where: string, status: number, text: string): void {
  const said = `${where} → ${status} ${text.slice(0, 400)}`;
  assert.ok(status < 500, `a server error: ${said}`);
  assert.ok(!text.includes(MARKER), `the unexposed table leaked: ${said}`);
  assert.ok(!ROLE_NAMES.test(text), `role names leaked: ${said}`);
  if (status >= 400) {
    const body = JSON.parse(text);
    assert.deepEqual(
      Object.keys(body).sort(),
      ["code", "details", "hint", "message"],
      `not PostgREST's shape: ${said}`,
    );
    assert.notEqual(body.code, "42601", `a Postgres syntax error: ${said}`);
  }
}

Deno.test({
  name: "no name or type position of a request reaches SQL unparsed (seeded fuzz over every position)",
  ignore: dbUrl === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const db = postgres(dbUrl!, { max: 2, onnotice: () => {} });
    await db.unsafe(schema);
    // Every transaction rolls back, so random writes that happen to be valid leave nothing behind.
    const api: ParityApi = await startParityApi(dbUrl!, {
      dbSchemas: ["rest_fuzz", "public"],
      dbAggregatesEnabled: true,
      dbTxEnd: "rollback",
    });
    try {
      const random = generator(SEED);
      for (const [position, probe] of Object.entries(positions)) {
        await t.step(
          `${position}: attacks and ${RANDOM_PER_POSITION} seeded mixes (seed ${SEED})`,
          async () => {
            for (const payload of payloads(random)) {
              const { path, init } = probe(payload);
              const started = Date.now();
              const response = await api.request(path, {
                ...init,
                headers: { "accept-profile": "rest_fuzz", ...init?.headers as Record<string, string> },
              });
              const text = await response.text();
              checkAnswer(`${position} ${JSON.stringify(payload)}`, response.status, text);
              // A cross join or pg_sleep that reached SQL would hold the request for seconds.
              assert.ok(Date.now() - started < 3000, `${position} ${JSON.stringify(payload)} took too long`);
            }
          },
        );
      }

      await t.step("the issue's request: a UNION through a cast answers 400, not role names", async () => {
        const select =
          "action::text from habits pgrst_0 union select usename from pg_user union select action";
        const asService = await api.request(`/habits?${new URLSearchParams({ select })}`, {
          headers: { "accept-profile": "public" },
        });
        const text = await asService.text();
        checkAnswer("habits cast", asService.status, text);
        assert.equal(asService.status, 400);
        assert.equal(JSON.parse(text).code, "42704");
        const anonSelect = "action::text from public_habits pgrst_0 union select rolname from pg_roles " +
          "union select action";
        const asAnon = await api.request(`/public_habits?${new URLSearchParams({ select: anonSelect })}`, {
          key: DEMO_ANON_KEY,
          headers: { "accept-profile": "public" },
        });
        const anonText = await asAnon.text();
        checkAnswer("public_habits cast (anon)", asAnon.status, anonText);
        assert.equal(asAnon.status, 400);
      });

      await t.step("every keyword cast PostgREST's grammar allows still works", async () => {
        const casts = {
          "qty::text": "3",
          "qty::int": 3,
          "qty::double precision": 3,
          "qty::numeric": 3,
          "qty::bigint": 3,
          "qty::boolean": true,
          "qty::character varying": "3",
          "qty::char": "3",
          "qty::TEXT": "3",
        };
        for (const [select, expected] of Object.entries(casts)) {
          const response = await api.request(
            `/items?${new URLSearchParams({ select: `v:${select}`, id: "eq.1" })}`,
            { headers: { "accept-profile": "rest_fuzz" } },
          );
          const body = await response.json();
          assert.equal(response.status, 200, `${select}: ${JSON.stringify(body)}`);
          assert.deepEqual(body, [{ v: expected }], select);
        }
        const array = await api.request(
          `/items?${new URLSearchParams({ select: "v:qty::int array", id: "eq.1" })}`,
          { headers: { "accept-profile": "rest_fuzz" } },
        );
        assert.equal(array.status, 400);
        assert.equal((await array.json()).message, "cannot cast type integer to integer[]", "`array` is []");
        const time = await api.request(
          `/items?${new URLSearchParams({ select: "v:name::timestamp with time zone", id: "eq.1" })}`,
          { headers: { "accept-profile": "rest_fuzz" } },
        );
        assert.equal(time.status, 400);
        assert.equal((await time.json()).code, "22007", "the cast ran, and failed on the value");
      });

      await t.step("the database is as it was: no write, no drop", async () => {
        const items = await db`select id, name from rest_fuzz.items order by id`;
        assert.deepEqual(items.map((row) => [row.id, row.name]), [[1, "apple"], [2, "pear"]]);
        const [secret] = await db`select count(*)::int as n from rest_fuzz_private.secrets`;
        assert.equal(secret.n, 1);
      });
    } finally {
      await api.close();
      await db.unsafe(
        "drop schema if exists rest_fuzz cascade; drop schema if exists rest_fuzz_private cascade; " +
          "notify pgrst, 'reload schema'",
      );
      await db.end({ timeout: 5 });
    }
  },
});
