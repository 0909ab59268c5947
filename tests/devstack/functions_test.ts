import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { expect } from "expect";
import { SignJWT } from "jose";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import { startFunctions } from "../../devstack/functions/server.ts";

/** A temporary supabase/ folder with a few functions, like a project's. */
async function writeProject(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "devstack-functions-" });
  const files: Record<string, string> = {
    "config.toml":
      `project_id = "t"\n\n[functions.open]\nverify_jwt = false\n\n[functions.off]\nenabled = false\n\n` +
      `[functions.mapped]\nimport_map = "./maps/mapped.json"\n`,
    "functions/_shared/greeting.ts": `export const greeting = (name: string) => \`hello \${name}\`;\n`,
    "functions/echo/index.ts": `
import { greeting } from "../_shared/greeting.ts";
console.log("echo booted");
Deno.serve(async (req) => {
  const url = new URL(req.url);
  return Response.json({
    greeting: greeting("echo"),
    method: req.method,
    path: url.pathname,
    search: url.search,
    body: await req.text(),
    headers: Object.fromEntries(req.headers),
    env: {
      SUPABASE_URL: Deno.env.get("SUPABASE_URL"),
      SUPABASE_ANON_KEY: Deno.env.get("SUPABASE_ANON_KEY"),
      SUPABASE_SERVICE_ROLE_KEY: Deno.env.get("SUPABASE_SERVICE_ROLE_KEY"),
      SUPABASE_DB_URL: Deno.env.get("SUPABASE_DB_URL"),
      TELEGRAM_BOT_TOKEN: Deno.env.get("TELEGRAM_BOT_TOKEN"),
      EXTRA: Deno.env.get("EXTRA"),
      DEVSTACK_FUNCTION_ENTRY: Deno.env.get("DEVSTACK_FUNCTION_ENTRY") ?? null,
    },
  }, { status: 201, headers: { "x-function": "echo" } });
});
`,
    // Options with a port and a zero-arity handler: the port is replaced, the handler kept as is.
    "functions/open/index.ts": `
Deno.serve({ port: 9, hostname: "0.0.0.0" }, (req: Request) => new Response("open " + new URL(req.url).pathname));
`,
    "functions/boom/index.ts": `
Deno.serve((req) => {
  const path = new URL(req.url).pathname;
  if (path === "/boom/throw") throw new Error("kaboom");
  if (path === "/boom/exit") { setTimeout(() => Deno.exit(3), 10); return new Promise(() => {}); }
  return Response.json({ pid: Deno.pid });
});
`,
    // Notes every /once/slow request it receives in RECEIPTS_FILE, and answers it after 3 s.
    "functions/once/index.ts": `
Deno.serve(async (req) => {
  if (new URL(req.url).pathname === "/once/slow") {
    await Deno.writeTextFile(Deno.env.get("RECEIPTS_FILE")!, Deno.pid + "\\n", { append: true });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return new Response("late");
  }
  return Response.json({ pid: Deno.pid });
});
`,
    "functions/styled/index.ts": `export default { fetch: () => new Response("default export") };\n`,
    "functions/off/index.ts": `Deno.serve(() => new Response("should not be served"));\n`,
    "functions/no-serve/index.ts": `console.log("forgot to serve");\n`,
    "functions/empty-folder/.keep": "",
    // Bare imports resolve through the function's own deno.json only, _shared included.
    "functions/_shared/positive.ts":
      `import { z } from "zod";\nexport const positive = z.number().positive();\n`,
    "functions/with-deps/deno.json": `{ "imports": { "zod": "npm:zod@4.6.7" } }\n`,
    "functions/with-deps/index.ts": `
import { positive } from "../_shared/positive.ts";
Deno.serve(() => Response.json({ ok: positive.safeParse(2).success }));
`,
    "functions/missing-dep/deno.json": `{ "imports": {} }\n`,
    "functions/missing-dep/index.ts": `
import { positive } from "../_shared/positive.ts";
Deno.serve(() => Response.json({ ok: positive.safeParse(2).success }));
`,
    "functions/no-map/index.ts":
      `import { z } from "zod";\nDeno.serve(() => Response.json({ ok: z.string().parse("x") }));\n`,
    "maps/mapped.json": `{ "imports": { "zod": "npm:zod@4.6.7" } }\n`,
    "functions/mapped/index.ts":
      `import { z } from "zod";\nDeno.serve(() => Response.json({ ok: z.string().parse("x") === "x" }));\n`,
    ".env": `TELEGRAM_BOT_TOKEN="123:abc" # a comment\nSUPABASE_URL=http://ignored\nexport EXTRA=from-file\n`,
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  return dir;
}

async function withHost(fn: (url: string, logs: string[], dir: string) => Promise<void>) {
  const dir = await writeProject();
  const logs: string[] = [];
  try {
    const host = await startFunctions({
      functionsDir: `${dir}/functions`,
      configPath: `${dir}/config.toml`,
      envFile: `${dir}/.env`,
      env: { EXTRA: "from-options", RECEIPTS_FILE: `${dir}/receipts` },
      jwtSecret: DEMO_JWT_SECRET,
      supabaseUrl: "http://127.0.0.1:54321",
      anonKey: DEMO_ANON_KEY,
      serviceRoleKey: DEMO_SERVICE_ROLE_KEY,
      dbUrl: "postgresql://postgres@127.0.0.1:54322/postgres",
      log: (name, line, stream) => logs.push(`${stream} [${name}] ${line}`),
    });
    try {
      await fn(host.url, logs, dir);
    } finally {
      await host.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const anon = { authorization: `Bearer ${DEMO_ANON_KEY}` };

Deno.test("functions host serves a function with Supabase's environment and the request as sent", async () => {
  await withHost(async (url, logs) => {
    const response = await fetch(`${url}/echo/sub/path?a=1&b=two`, {
      method: "POST",
      headers: { ...anon, "content-type": "application/json", "x-custom": "yes" },
      body: JSON.stringify({ hello: "world" }),
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-function"), "echo");
    const body = await response.json();
    expect(body).toMatchObject({
      greeting: "hello echo",
      method: "POST",
      path: "/echo/sub/path",
      search: "?a=1&b=two",
      body: '{"hello":"world"}',
      headers: { "x-custom": "yes", "content-type": "application/json", authorization: anon.authorization },
      env: {
        SUPABASE_URL: "http://127.0.0.1:54321",
        SUPABASE_ANON_KEY: DEMO_ANON_KEY,
        SUPABASE_SERVICE_ROLE_KEY: DEMO_SERVICE_ROLE_KEY,
        SUPABASE_DB_URL: "postgresql://postgres@127.0.0.1:54322/postgres",
        TELEGRAM_BOT_TOKEN: "123:abc",
        EXTRA: "from-options",
        DEVSTACK_FUNCTION_ENTRY: null,
      },
    });
    expect(logs).toContain("stdout [echo] echo booted");
  });
});

Deno.test("each function runs with its own deno.json only, as the edge runtime runs it", async () => {
  await withHost(async (url, logs) => {
    const withDeps = await fetch(`${url}/with-deps`, { headers: anon });
    assert.equal(withDeps.status, 200);
    assert.deepEqual(await withDeps.json(), { ok: true });
    const mapped = await fetch(`${url}/mapped`, { headers: anon });
    assert.equal(mapped.status, 200, "config.toml's import_map is honoured");
    assert.deepEqual(await mapped.json(), { ok: true });
    // The project's root deno.json maps zod, but a deploy would not carry it: neither does the host.
    for (const name of ["missing-dep", "no-map"]) {
      const response = await fetch(`${url}/${name}`, { headers: anon });
      assert.equal(
        response.status,
        503,
        `${name}: a dependency missing from the function's deno.json fails to boot`,
      );
      assert.equal((await response.json()).code, "BOOT_ERROR");
    }
    assert.ok(
      logs.some((line) => line.startsWith("stderr [missing-dep]") && line.includes('"zod"')),
      "the boot error names the import that did not resolve",
    );
  });
});

Deno.test("functions host enforces verify_jwt as the edge runtime does", async () => {
  await withHost(async (url) => {
    const missing = await fetch(`${url}/echo`);
    assert.equal(missing.status, 401);
    assert.deepEqual(await missing.json(), { code: 401, message: "Missing authorization header" });

    const invalid = await fetch(`${url}/echo`, { headers: { authorization: "Bearer not.a.jwt" } });
    assert.equal(invalid.status, 401);
    assert.deepEqual(await invalid.json(), { code: 401, message: "Invalid JWT" });

    const forged = new SignJWT({ role: "service_role" }).setProtectedHeader({ alg: "HS256" });
    const wrongSecret = await forged.sign(
      new TextEncoder().encode("another-secret-with-at-least-32-chars!!"),
    );
    const wrong = await fetch(`${url}/echo`, { headers: { authorization: `Bearer ${wrongSecret}` } });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();

    const expired = await new SignJWT({ role: "authenticated", sub: "u" }).setProtectedHeader({
      alg: "HS256",
    })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(DEMO_JWT_SECRET));
    const old = await fetch(`${url}/echo`, { headers: { authorization: `Bearer ${expired}` } });
    assert.equal(old.status, 401);
    await old.body?.cancel();

    const user = await new SignJWT({ role: "authenticated", sub: "u" }).setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("1h").sign(new TextEncoder().encode(DEMO_JWT_SECRET));
    for (const token of [DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY, user]) {
      const ok = await fetch(`${url}/echo`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 201);
      await ok.body?.cancel();
    }

    // CORS preflight is never blocked by verify_jwt.
    const preflight = await fetch(`${url}/echo`, { method: "OPTIONS" });
    assert.equal(preflight.status, 201);
    await preflight.body?.cancel();

    // verify_jwt = false: no token needed; the port and hostname passed to Deno.serve are replaced.
    const open = await fetch(`${url}/open/x`);
    assert.equal(open.status, 200);
    assert.equal(await open.text(), "open /open/x");
  });
});

Deno.test("functions host answers 404 for unknown, shared, disabled and empty folders", async () => {
  await withHost(async (url) => {
    for (const name of ["nope", "_shared", "off", "empty-folder"]) {
      const response = await fetch(`${url}/${name}`, { headers: anon });
      assert.equal(response.status, 404, name);
      expect(await response.json()).toMatchObject({ code: "NOT_FOUND" });
    }
  });
});

Deno.test("functions host serves `export default { fetch }` and reports a function that never serves", async () => {
  await withHost(async (url, logs) => {
    const styled = await fetch(`${url}/styled`, { headers: anon });
    assert.equal(await styled.text(), "default export");
    const broken = await fetch(`${url}/no-serve`, { headers: anon });
    assert.equal(broken.status, 503);
    expect(await broken.json()).toMatchObject({ code: "BOOT_ERROR" });
    expect(logs).toContain("stdout [no-serve] forgot to serve");
  });
});

Deno.test("a function that throws answers 500, a crashed one restarts, and the host keeps serving", async () => {
  await withHost(async (url, logs) => {
    const first = await (await fetch(`${url}/boom`, { headers: anon })).json();

    const thrown = await fetch(`${url}/boom/throw`, { headers: anon });
    assert.equal(thrown.status, 500);
    expect(await thrown.json()).toMatchObject({ code: "WORKER_ERROR" });
    expect(logs.some((line) => line.startsWith("stderr [boom]") && line.includes("kaboom"))).toBe(true);
    const same = await (await fetch(`${url}/boom`, { headers: anon })).json();
    assert.equal(same.pid, first.pid, "a thrown error does not kill the process");

    const crashed = await fetch(`${url}/boom/exit`, { headers: anon });
    assert.equal(crashed.status, 500);
    await crashed.body?.cancel();

    const restarted = await fetch(`${url}/boom`, { headers: anon });
    assert.equal(restarted.status, 200);
    const after = await restarted.json();
    assert.notEqual(after.pid, first.pid, "a new process serves after the crash");

    const other = await fetch(`${url}/open`);
    assert.equal(other.status, 200);
    await other.body?.cancel();
  });
});

// The edge runtime hands a request to one worker once (supabase/edge-runtime v1.74.3,
// crates/base/src/worker/pool.rs, WorkerPool::send_request): when that worker exits before it
// answers, the request fails with the worker's exit error, which op_user_worker_fetch_send
// (ext/workers/lib.rs) raises as InvalidWorkerResponse, and the CLI's main worker
// (supabase/cli internal/functions/serve/templates/main.ts) answers 500
// {"code":"WORKER_ERROR","message":"Function exited due to an error (please check logs)"}. The
// request is never sent to another worker: a crash test must not see a second attempt.
Deno.test("requests whose process dies before answering get WORKER_ERROR and are never sent again", async () => {
  await withHost(async (url, _logs, dir) => {
    const receipts = async () => {
      try {
        return (await Deno.readTextFile(`${dir}/receipts`)).trim().split("\n");
      } catch {
        return [];
      }
    };
    // Earlier requests leave kept-alive connections to the process, as any earlier calls would.
    const warm = await Promise.all(
      Array.from({ length: 5 }, async () => await (await fetch(`${url}/once`, { headers: anon })).json()),
    );
    const pid = warm[0].pid;
    const answers = Array.from(
      { length: 5 },
      () => fetch(`${url}/once/slow`, { method: "POST", headers: anon, body: "{}" }),
    );
    const deadline = Date.now() + 10_000;
    while ((await receipts()).length < 5 && Date.now() < deadline) await sleep(20);
    Deno.kill(pid, "SIGKILL");
    for (const answer of await Promise.all(answers)) {
      assert.equal(answer.status, 500);
      expect(await answer.json()).toEqual({
        code: "WORKER_ERROR",
        message: "Function exited due to an error (please check logs)",
      });
    }
    await sleep(500);
    assert.deepEqual(
      await receipts(),
      Array(5).fill(String(pid)),
      "only the process that died received them",
    );
    const after = await (await fetch(`${url}/once`, { headers: anon })).json();
    assert.notEqual(after.pid, pid, "the next request starts a new process");
  });
});

Deno.test("with watch on, a changed function is served by a fresh process", async () => {
  const dir = await Deno.makeTempDir({ prefix: "devstack-functions-watch-" });
  await Deno.mkdir(`${dir}/functions/hello`, { recursive: true });
  const write = (text: string) =>
    Deno.writeTextFile(
      `${dir}/functions/hello/index.ts`,
      `Deno.serve(() => new Response(${JSON.stringify(text)}));\n`,
    );
  await write("v1");
  const host = await startFunctions({
    functionsDir: `${dir}/functions`,
    configPath: `${dir}/config.toml`,
    jwtSecret: DEMO_JWT_SECRET,
    supabaseUrl: "http://127.0.0.1:54321",
    anonKey: DEMO_ANON_KEY,
    serviceRoleKey: DEMO_SERVICE_ROLE_KEY,
    dbUrl: "postgresql://postgres@127.0.0.1:54322/postgres",
    watch: true,
    log: () => {},
  });
  try {
    assert.equal(await (await fetch(`${host.url}/hello`, { headers: anon })).text(), "v1");
    await write("v2");
    const deadline = Date.now() + 5000;
    let text = "";
    while (Date.now() < deadline && text !== "v2") {
      await sleep(100);
      text = await (await fetch(`${host.url}/hello`, { headers: anon })).text();
    }
    assert.equal(text, "v2");
  } finally {
    await host.close();
    await Deno.remove(dir, { recursive: true });
  }
});
