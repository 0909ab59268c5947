/**
 * The pg_net stand-in's SQL file (devstack/postgres/extensions/pg_net--0.19.5.sql, which
 * scripts/setup.sh installs as the extension) declares pg_net 0.19's functions as upstream does:
 * sql/pg_net--0.18.0--0.19.0.sql gives http_get, http_post and http_delete a 5000 ms default
 * timeout, gives http_delete an optional JSON body, and none of them is STRICT (a null argument
 * still queues the request). The file is applied to a fresh database here, so the test checks the
 * repository's file, not whichever copy is installed on the machine.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { startPgNet } from "../../devstack/pgnet/worker.ts";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import { createTestCluster } from "./pg_cluster.ts";

const FILE = new URL("../../devstack/postgres/extensions/pg_net--0.19.5.sql", import.meta.url);

Deno.test("pg_net's SQL interface has 0.19's defaults, http_delete's body and no STRICT", async () => {
  const cluster = await createTestCluster();
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin`create database pgnet_signatures`;
  const url = cluster.url.replace(/\/postgres$/, "/pgnet_signatures");
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const received: { method: string; body: string }[] = [];
  const target = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    received.push({ method: request.method, body: await request.text() });
    return new Response(null, { status: 204 });
  });
  let worker: Awaited<ReturnType<typeof startPgNet>> | undefined;
  try {
    await sql.unsafe(await Deno.readTextFile(FILE));
    const args = async (name: string) =>
      (await sql<{ args: string; strict: boolean }[]>`
        select pg_get_function_arguments(p.oid) as args, p.proisstrict as strict
        from pg_proc p where p.oid = ${`net.${name}`}::regproc`)[0];
    assert.deepEqual(await args("http_get"), {
      args: "url text, params jsonb DEFAULT '{}'::jsonb, headers jsonb DEFAULT '{}'::jsonb, " +
        "timeout_milliseconds integer DEFAULT 5000",
      strict: false,
    });
    assert.match((await args("http_post")).args, /timeout_milliseconds integer DEFAULT 5000$/);
    assert.deepEqual(await args("http_delete"), {
      args: "url text, params jsonb DEFAULT '{}'::jsonb, headers jsonb DEFAULT '{}'::jsonb, " +
        "timeout_milliseconds integer DEFAULT 5000, body jsonb DEFAULT NULL::jsonb",
      strict: false,
    });

    const base = `http://127.0.0.1:${target.addr.port}`;
    const [queued] = await sql<{ id: number | null }[]>`
      select net.http_get(${base + "/x"}, headers := null) as id`;
    assert.notEqual(queued.id, null, "a null argument still queues the request");
    const [{ timeout }] = await sql<{ timeout: number }[]>`
      select timeout_milliseconds as timeout from net.http_request_queue where id = ${queued.id}`;
    assert.equal(timeout, 5000, "the default timeout");
    const [{ id }] = await sql<{ id: number | null }[]>`
      select net.http_delete(${base + "/gone"}, body := '{"why": "done"}'::jsonb) as id`;
    assert.notEqual(id, null);
    worker = await startPgNet({ databaseUrl: url, pollIntervalMs: 200 });
    for (let i = 0; i < 100 && received.length < 2; i++) await sleep(50);
    assert.deepEqual(received.find((r) => r.method === "DELETE"), {
      method: "DELETE",
      body: '{"why": "done"}',
    });
  } finally {
    await worker?.close();
    await target.shutdown();
    await sql.end();
    await admin.end();
    await cluster.remove();
  }
});
