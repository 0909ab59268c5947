import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { expect } from "expect";
import postgres from "postgres";
import { startPgNet } from "../../devstack/pgnet/worker.ts";
import { unusedPort } from "./helpers.ts";
import { createTestCluster } from "./pg_cluster.ts";

interface ResponseRow {
  id: number;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timed_out: boolean | null;
  error_msg: string | null;
  created: Date;
}

/** A local target: /ok answers JSON about the request, /hang never answers. */
function startTarget() {
  const received: { method: string; path: string; search: string; headers: Headers; body: string }[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    received.push({
      method: request.method,
      path: url.pathname,
      search: url.search,
      headers: request.headers,
      body: await request.text(),
    });
    if (url.pathname === "/empty") return new Response(null, { status: 204 });
    if (url.pathname === "/hang") {
      await released;
      return new Response("too late");
    }
    return Response.json({ ok: true, path: url.pathname }, { status: 202, headers: { "x-target": "yes" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    received,
    async close() {
      release();
      await server.shutdown();
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test("pg_net worker performs committed requests against a real database", async (t) => {
  const cluster = await createTestCluster();
  const sql = postgres(cluster.url, { max: 2, onnotice: () => {} });
  await sql`create extension if not exists pg_net with schema extensions`;
  const target = startTarget();
  const worker = await startPgNet({ databaseUrl: cluster.url, pollIntervalMs: 200 });
  const responseOf = (id: number) => async () => {
    const [row] = await sql<ResponseRow[]>`select * from net._http_response where id = ${id}`;
    return row;
  };
  try {
    await t.step("a committed net.http_post is sent, and its response recorded", async () => {
      const [{ id }] = await sql<{ id: number }[]>`
        select net.http_post(
          url := ${target.url + "/ok"},
          body := '{"habit": 7}'::jsonb,
          params := '{"source": "cron"}'::jsonb,
          headers := '{"Content-Type": "application/json", "Authorization": "Bearer s3cret"}'::jsonb,
          timeout_milliseconds := 3000
        ) as id`;
      const row = await waitFor("the response", responseOf(id));
      expect(row).toMatchObject({
        status_code: 202,
        content_type: "application/json",
        timed_out: false,
        error_msg: null,
      });
      assert.deepEqual(JSON.parse(row.content!), { ok: true, path: "/ok" });
      assert.equal(row.headers!["x-target"], "yes");
      const request = target.received.at(-1)!;
      assert.equal(request.method, "POST");
      assert.equal(request.search, "?source=cron");
      assert.equal(request.body, '{"habit": 7}');
      assert.equal(request.headers.get("authorization"), "Bearer s3cret");
      assert.equal(request.headers.get("content-type"), "application/json");
      const [{ queued }] = await sql`select count(*)::int as queued from net.http_request_queue`;
      assert.equal(queued, 0);
    });

    await t.step("a request whose transaction rolls back is never sent", async () => {
      const before = target.received.length;
      let id = 0;
      await sql.begin(async (tx) => {
        [{ id }] = await tx<{ id: number }[]>`select net.http_get(${target.url + "/rolled-back"}) as id`;
        throw new Error("rollback");
      }).catch(() => {});
      assert.ok(id > 0);
      await sleep(700); // several polls
      assert.equal(target.received.length, before);
      assert.equal(await responseOf(id)(), undefined);
    });

    await t.step("timeout_milliseconds is honoured and other requests keep flowing meanwhile", async () => {
      const [{ hang }] = await sql<{ hang: number }[]>`
        select net.http_get(${target.url + "/hang"}, timeout_milliseconds := 400) as hang`;
      const [{ quick }] = await sql<{ quick: number }[]>`
        select net.http_get(${target.url + "/ok"}, timeout_milliseconds := 2000) as quick`;
      const quickRow = await waitFor("the quick response", responseOf(quick));
      assert.equal(quickRow.status_code, 202);
      assert.equal(await responseOf(hang)(), undefined, "the hanging request is still in flight");
      const hangRow = await waitFor("the timed-out response", responseOf(hang));
      // pg_net's insert_failure_response (src/core.c) writes only id and error_msg: a failed
      // request, timed out or not, has timed_out null; only a response sets it (false).
      expect(hangRow).toMatchObject({ status_code: null, timed_out: null });
      expect(hangRow.error_msg).toMatch(/^Timeout of 400 ms reached/);
    });

    await t.step("a refused connection is recorded as an error", async () => {
      const [{ id }] = await sql<{ id: number }[]>`
        select net.http_delete(${`http://127.0.0.1:${unusedPort()}/x`}, timeout_milliseconds := 2000) as id`;
      const row = await waitFor("the error response", responseOf(id));
      expect(row).toMatchObject({
        status_code: null,
        timed_out: null,
        error_msg: "Couldn't connect to server",
      });
    });

    await t.step(
      "an empty body is stored as null content (src/core.c, insert_success_response)",
      async () => {
        const [{ id }] = await sql<{ id: number }[]>`select net.http_get(${target.url + "/empty"}) as id`;
        const row = await waitFor("the empty response", responseOf(id));
        expect(row).toMatchObject({ status_code: 204, content: null, timed_out: false, error_msg: null });
      },
    );

    await t.step("rows inserted without NOTIFY are picked up by the poll", async () => {
      const [{ id }] = await sql<{ id: number }[]>`
        insert into net.http_request_queue (method, url, headers, timeout_milliseconds)
        values ('GET', ${target.url + "/polled"}, '{}', 1000) returning id`;
      const row = await waitFor("the polled response", responseOf(Number(id)));
      assert.equal(row.status_code, 202);
    });

    await t.step("many requests at once are all performed", async () => {
      const ids = await sql<{ id: number }[]>`
        select net.http_get(${
        target.url + "/ok"
      }, params := jsonb_build_object('n', n), timeout_milliseconds := 5000) as id
        from generate_series(1, 50) n`;
      await waitFor("50 responses", async () => {
        const [{ done }] = await sql`
          select count(*)::int as done from net._http_response where id = any(${
          ids.map((r) => r.id)
        }::bigint[])`;
        return done === 50 ? true : undefined;
      });
    });
  } finally {
    await worker.close();
    await target.close();
    await sql.end();
    await cluster.remove();
  }
});

Deno.test("pg_net worker deletes responses older than the TTL", async () => {
  const cluster = await createTestCluster();
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  try {
    await sql`create extension if not exists pg_net with schema extensions`;
    await sql`
      insert into net._http_response (id, status_code, created)
      values (1, 200, now() - interval '7 hours'), (2, 200, now() - interval '1 hour')`;
    const worker = await startPgNet({ databaseUrl: cluster.url });
    try {
      await waitFor("the old response to be pruned", async () => {
        const rows = await sql<{ id: number }[]>`select id from net._http_response order by id`;
        return rows.length === 1 ? rows : undefined;
      }).then((rows) => assert.equal(Number(rows[0].id), 2));
    } finally {
      await worker.close();
    }
  } finally {
    await sql.end();
    await cluster.remove();
  }
});
