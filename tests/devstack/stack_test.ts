import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { expect } from "expect";
import postgres from "postgres";
import { startStack } from "../../devstack/stack.ts";
import { createTestCluster } from "./pg_cluster.ts";

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test("the whole stack: sign-up mail, confirmation link, data API, a function, pg_net to the function", async () => {
  const cluster = await createTestCluster();
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  const dir = await Deno.makeTempDir({ prefix: "devstack-stack-" });
  try {
    await sql`create extension if not exists pg_net with schema extensions`;
    await Deno.mkdir(`${dir}/functions/ping`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/functions/ping/index.ts`,
      `Deno.serve(async (req) => Response.json({ pong: await req.json().catch(() => null), url: Deno.env.get("SUPABASE_URL") }));\n`,
    );
    const stack = await startStack({
      databaseUrl: cluster.url,
      functionsDir: `${dir}/functions`,
      configPath: `${dir}/config.toml`,
      siteUrl: "http://127.0.0.1:5173",
      autoconfirm: false,
      maxEmailFrequencySeconds: 0,
      pgNet: { pollIntervalMs: 200 },
    });
    try {
      const { env } = stack;
      const supabase = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
        auth: { persistSession: false, autoRefreshToken: false },
      });

      // Auth through the gateway; the confirmation mail lands in the catcher.
      const email = `ana.${crypto.randomUUID().slice(0, 8)}@example.com`;
      const signUp = await supabase.auth.signUp({ email, password: "correct horse 1" });
      assert.equal(signUp.error, null);
      assert.equal(signUp.data.session, null, "confirmation required");
      const found = await waitFor("the confirmation mail", async () => {
        const list = await (await fetch(`${env.MAIL_API_URL}/api/v1/search?query=to:${email}`)).json();
        return list.messages.length > 0 ? list.messages[0] : undefined;
      });
      const mail = await (await fetch(`${env.MAIL_API_URL}/api/v1/message/${found.ID}`)).json();
      const link = [...`${mail.HTML}\n${mail.Text}`.matchAll(/https?:\/\/[^\s"'<>]+/g)]
        .map((m) => m[0].replaceAll("&amp;", "&"))
        .find((url) => url.includes("/auth/v1/verify"));
      assert.ok(link, "the mail links to /auth/v1/verify");
      assert.ok(link.startsWith(`${env.SUPABASE_URL}/auth/v1/verify`), link);
      const verified = await fetch(link, { redirect: "manual" });
      assert.equal(verified.status, 303);
      expect(verified.headers.get("location")).toMatch(/^http:\/\/127\.0\.0\.1:5173/);
      await verified.body?.cancel();
      const signIn = await supabase.auth.signInWithPassword({ email, password: "correct horse 1" });
      assert.equal(signIn.error, null);
      assert.ok(signIn.data.session?.access_token);

      // The Data API through the gateway.
      const openapi = await fetch(`${env.SUPABASE_URL}/rest/v1/`, {
        headers: { apikey: env.SUPABASE_ANON_KEY },
      });
      assert.equal(openapi.status, 200);
      await openapi.body?.cancel();

      // A function through the gateway, with the user's JWT (verify_jwt on by default).
      const invoked = await supabase.functions.invoke("ping", { body: { hello: "there" } });
      assert.equal(invoked.error, null);
      assert.deepEqual(invoked.data, { pong: { hello: "there" }, url: env.SUPABASE_URL });

      // pg_net from the database to the function, through the gateway.
      const [{ id }] = await sql<{ id: number }[]>`
        select net.http_post(
          url := ${env.SUPABASE_URL + "/functions/v1/ping"},
          body := '{"from": "postgres"}'::jsonb,
          headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || ${env.SUPABASE_SERVICE_ROLE_KEY}::text),
          timeout_milliseconds := 10000
        ) as id`;
      const response = await waitFor("the pg_net response", async () => {
        const [row] = await sql`select status_code, content from net._http_response where id = ${id}`;
        return row;
      }, 20_000);
      assert.equal(response.status_code, 200);
      expect(JSON.parse(response.content)).toMatchObject({ pong: { from: "postgres" } });
    } finally {
      await stack.stop();
    }
  } finally {
    await sql.end();
    await cluster.remove();
    await Deno.remove(dir, { recursive: true });
  }
});
