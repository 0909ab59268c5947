import assert from "node:assert/strict";
import { expect } from "expect";
import { DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import { startGateway } from "../../devstack/gateway/server.ts";
import { startEchoServer, unusedPort } from "./helpers.ts";

async function withGateway(
  fn: (gateway: string, upstreams: Awaited<ReturnType<typeof startEchoServer>>[]) => Promise<void>,
) {
  const auth = await startEchoServer("auth");
  const rest = await startEchoServer("rest");
  const functions = await startEchoServer("functions");
  const gateway = await startGateway({
    port: 0,
    apiKeys: [DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY],
    upstreams: { auth: auth.url, rest: rest.url, functions: functions.url },
  });
  try {
    await fn(gateway.url, [auth, rest, functions]);
  } finally {
    await gateway.close();
    await Promise.all([auth.close(), rest.close(), functions.close()]);
  }
}

Deno.test("gateway routes each prefix to its upstream with the prefix stripped", async () => {
  await withGateway(async (gateway) => {
    const cases = [
      ["/auth/v1/token?grant_type=password", "auth", "/token", "?grant_type=password"],
      [
        "/rest/v1/habits?select=id%2Caction&order=id.desc",
        "rest",
        "/habits",
        "?select=id%2Caction&order=id.desc",
      ],
      ["/rest/v1/", "rest", "/", ""],
      ["/functions/v1/reminders", "functions", "/reminders", ""],
      ["/functions/v1/telegram-webhook/sub/path?x=1", "functions", "/telegram-webhook/sub/path", "?x=1"],
    ] as const;
    for (const [path, upstream, upstreamPath, search] of cases) {
      const response = await fetch(`${gateway}${path}`, { headers: { apikey: DEMO_ANON_KEY } });
      assert.equal(response.status, 200, path);
      const body = await response.json();
      expect(body).toMatchObject({ upstream, path: upstreamPath, search });
      assert.equal(response.headers.get("x-upstream"), upstream);
      assert.equal(response.headers.get("content-range"), "0-0/1");
    }
  });
});

Deno.test("gateway streams method, headers and body through", async () => {
  await withGateway(async (gateway) => {
    const response = await fetch(`${gateway}/rest/v1/habits?id=eq.5`, {
      method: "PATCH",
      headers: {
        apikey: DEMO_ANON_KEY,
        authorization: "Bearer user-token",
        prefer: "return=representation",
        "content-profile": "public",
        "content-type": "application/json",
      },
      body: JSON.stringify({ action: "read 10 pages" }),
    });
    const body = await response.json();
    expect(body).toMatchObject({
      method: "PATCH",
      path: "/habits",
      search: "?id=eq.5",
      body: '{"action":"read 10 pages"}',
      headers: {
        apikey: DEMO_ANON_KEY,
        authorization: "Bearer user-token",
        prefer: "return=representation",
        "content-profile": "public",
        "content-type": "application/json",
        "x-forwarded-prefix": "/rest/v1",
      },
    });
  });
});

Deno.test("gateway forwards the client's address as Kong does: X-Forwarded-For and X-Real-IP", async () => {
  // GOTRUE_RATE_LIMIT_HEADER keys Auth's limits on such a header; its value is per client.
  await withGateway(async (gateway) => {
    const alone = await (await fetch(`${gateway}/rest/v1/habits`, { headers: { apikey: DEMO_ANON_KEY } }))
      .json();
    assert.equal(alone.headers["x-forwarded-for"], "127.0.0.1");
    assert.equal(alone.headers["x-real-ip"], "127.0.0.1");
    const proxied = await (await fetch(`${gateway}/auth/v1/settings`, {
      headers: { apikey: DEMO_ANON_KEY, "x-forwarded-for": "198.51.100.7" },
    })).json();
    assert.equal(proxied.headers["x-forwarded-for"], "198.51.100.7, 127.0.0.1");
    assert.equal(proxied.headers["x-real-ip"], "127.0.0.1");
  });
});

Deno.test("gateway sends the apikey as bearer token when no Authorization is given", async () => {
  await withGateway(async (gateway) => {
    const response = await fetch(`${gateway}/rest/v1/habits?apikey=${DEMO_SERVICE_ROLE_KEY}`);
    const body = await response.json();
    assert.equal(body.headers.authorization, `Bearer ${DEMO_SERVICE_ROLE_KEY}`);
  });
});

Deno.test("gateway passes redirects through unchanged", async () => {
  await withGateway(async (gateway) => {
    const response = await fetch(`${gateway}/auth/v1/redirect`, {
      headers: { apikey: DEMO_ANON_KEY },
      redirect: "manual",
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "https://example.com/welcome");
    await response.body?.cancel();
  });
});

Deno.test("gateway requires a known apikey on /auth/v1 and /rest/v1", async () => {
  await withGateway(async (gateway, [auth, rest]) => {
    for (const path of ["/auth/v1/user", "/rest/v1/habits", "/rest/v1", "/rest/v1/"]) {
      const missing = await fetch(`${gateway}${path}`);
      assert.equal(missing.status, 401, path);
      assert.deepEqual(await missing.json(), {
        message: "No API key found in request",
        hint: "No `apikey` request header or url param was found.",
      });
      const invalid = await fetch(`${gateway}${path}`, { headers: { apikey: "not-a-key" } });
      assert.equal(invalid.status, 401, path);
      expect(await invalid.json()).toMatchObject({ message: "Invalid API key" });
      const invalidQuery = await fetch(`${gateway}${path}?apikey=nope`);
      assert.equal(invalidQuery.status, 401, path);
      await invalidQuery.body?.cancel();
    }
    assert.equal(auth.received.length + rest.received.length, 0, "nothing reached the upstreams");
    const viaQuery = await fetch(`${gateway}/rest/v1/habits?apikey=${DEMO_ANON_KEY}`);
    assert.equal(viaQuery.status, 200);
    await viaQuery.body?.cancel();
  });
});

Deno.test("gateway leaves e-mail link paths and functions open", async () => {
  await withGateway(async (gateway) => {
    for (
      const path of [
        "/auth/v1/verify?token=abc&type=signup&redirect_to=http://127.0.0.1:5173",
        "/auth/v1/callback",
        "/auth/v1/authorize?provider=github",
        "/auth/v1/.well-known/jwks.json",
        "/functions/v1/reminders",
      ]
    ) {
      const response = await fetch(`${gateway}${path}`, { redirect: "manual" });
      assert.equal(response.status, 200, path);
      await response.body?.cancel();
    }
    const notOpen = await fetch(`${gateway}/auth/v1/verifyx`);
    assert.equal(notOpen.status, 401);
    await notOpen.body?.cancel();
  });
});

Deno.test("gateway answers CORS preflight itself and adds CORS headers to responses", async () => {
  // Kong's cors plugin with its defaults (kong/plugins/cors/handler.lua, CorsHandler:access): a
  // preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered 200 with any
  // origin, the requested headers, Kong's default method list and no Max-Age; other responses get
  // Access-Control-Allow-Origin only (header_filter sets no Expose-Headers without config).
  await withGateway(async (gateway, upstreams) => {
    const preflight = await fetch(`${gateway}/rest/v1/habits`, {
      method: "OPTIONS",
      headers: {
        origin: "http://127.0.0.1:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,x-client-info,apikey,content-type,prefer",
      },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    assert.equal(
      preflight.headers.get("access-control-allow-methods"),
      "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT",
    );
    assert.equal(
      preflight.headers.get("access-control-allow-headers"),
      "authorization,x-client-info,apikey,content-type,prefer",
    );
    assert.equal(preflight.headers.get("access-control-max-age"), null);
    await preflight.body?.cancel();
    assert.equal(upstreams.reduce((n, u) => n + u.received.length, 0), 0, "preflight not forwarded");

    const bare = await fetch(`${gateway}/rest/v1/habits`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:5173", "access-control-request-method": "GET" },
    });
    assert.equal(bare.headers.get("access-control-allow-headers"), null);
    await bare.body?.cancel();

    const response = await fetch(`${gateway}/rest/v1/habits`, {
      headers: { apikey: DEMO_ANON_KEY, origin: "http://127.0.0.1:5173" },
    });
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    await response.body?.cancel();

    const rejected = await fetch(`${gateway}/rest/v1/habits`, {
      headers: { origin: "http://127.0.0.1:5173" },
    });
    assert.equal(rejected.status, 401);
    assert.equal(rejected.headers.get("access-control-allow-origin"), "*");
    await rejected.body?.cancel();
  });
});

Deno.test("gateway exposes to the browser the headers PostgREST and GoTrue expose themselves", async () => {
  // Kong passes the upstream's Access-Control-Expose-Headers through. PostgREST
  // (src/PostgREST/Cors.hs, corsExposedHeaders, set when the request has an Origin) and GoTrue
  // (internal/api/api.go, cors.Options ExposedHeaders) each expose their own list.
  await withGateway(async (gateway) => {
    const origin = { origin: "http://127.0.0.1:5173", apikey: DEMO_ANON_KEY };
    const rest = await fetch(`${gateway}/rest/v1/habits`, { headers: origin });
    await rest.body?.cancel();
    assert.equal(
      rest.headers.get("access-control-expose-headers"),
      "Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, " +
        "Transfer-Encoding, Range-Unit",
    );
    const auth = await fetch(`${gateway}/auth/v1/settings`, { headers: origin });
    await auth.body?.cancel();
    assert.equal(
      auth.headers.get("access-control-expose-headers"),
      "X-Total-Count, Link, X-Supabase-Api-Version",
    );
    const noOrigin = await fetch(`${gateway}/rest/v1/habits`, { headers: { apikey: DEMO_ANON_KEY } });
    await noOrigin.body?.cancel();
    assert.equal(noOrigin.headers.get("access-control-expose-headers"), null);
  });
});

Deno.test("gateway adds no CORS to functions: they answer their own preflight, as on the hosted platform", async () => {
  // supabase.com/docs/guides/functions/cors: "To invoke edge functions from the browser, you need to
  // handle CORS Preflight requests" in the function. Only `supabase start`'s Kong (supabase/cli,
  // internal/start/templates/kong.yml, service functions-v1, `plugins: - name: cors`) is kinder, and
  // a function relying on it fails in production's browsers.
  await withGateway(async (gateway, [, , functions]) => {
    const preflight = await fetch(`${gateway}/functions/v1/import`, {
      method: "OPTIONS",
      headers: {
        origin: "http://127.0.0.1:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,x-client-info,apikey,content-type",
      },
    });
    await preflight.body?.cancel();
    assert.equal(functions.received.length, 1, "the preflight reaches the function");
    assert.equal(functions.received[0].method, "OPTIONS");
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);

    const response = await fetch(`${gateway}/functions/v1/import`, {
      method: "POST",
      headers: { origin: "http://127.0.0.1:5173" },
      body: "{}",
    });
    await response.body?.cancel();
    assert.equal(response.headers.get("access-control-allow-origin"), null);
    assert.equal(response.headers.get("access-control-expose-headers"), null);
  });
});

Deno.test("gateway answers 504 when a function has not started answering within the read timeout", async () => {
  // supabase/cli internal/start/templates/kong.yml, service functions-v1: `read_timeout: 150000`
  // ("Set request idle timeout to 150s to match hosted project"); Kong then answers 504
  // "The upstream server is timing out". A response that has begun keeps streaming.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const slow = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    if (new URL(request.url).pathname === "/stream") {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode("first "));
          await released;
          controller.enqueue(new TextEncoder().encode("last"));
          controller.close();
        },
      });
      return new Response(body);
    }
    await released;
    return new Response("too late");
  });
  const gateway = await startGateway({
    port: 0,
    apiKeys: [DEMO_ANON_KEY],
    upstreams: { functions: `http://127.0.0.1:${slow.addr.port}` },
    functionsReadTimeoutMs: 300,
  });
  try {
    const began = Date.now();
    const timedOut = await fetch(`${gateway.url}/functions/v1/hang`, {
      method: "POST",
      body: "{}",
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(timedOut.status, 504);
    assert.deepEqual(await timedOut.json(), { message: "The upstream server is timing out" });
    expect(Date.now() - began).toBeLessThan(5000);

    const streaming = await fetch(`${gateway.url}/functions/v1/stream`);
    assert.equal(streaming.status, 200);
    setTimeout(release, 600);
    assert.equal(await streaming.text(), "first last");
  } finally {
    release();
    await gateway.close();
    await slow.shutdown();
  }
});

Deno.test("gateway answers 502 when an upstream is down and 404 for unknown routes", async () => {
  const gateway = await startGateway({
    port: 0,
    apiKeys: [DEMO_ANON_KEY],
    upstreams: {
      rest: `http://127.0.0.1:${unusedPort()}`,
      realtime: `http://127.0.0.1:${unusedPort()}`,
    },
  });
  try {
    const down = await fetch(`${gateway.url}/rest/v1/habits`, { headers: { apikey: DEMO_ANON_KEY } });
    assert.equal(down.status, 502);
    expect(await down.json()).toHaveProperty("message");
    // A WebSocket to a Realtime that is down: 502, as for any route (not the 403 of a refusal).
    const socketDown = await rawGet(
      gateway.url,
      `/realtime/v1/websocket?apikey=${DEMO_ANON_KEY}&vsn=1.0.0`,
      {
        Upgrade: "websocket",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
      },
    );
    assert.equal(socketDown.status, 502);
    const unset = await fetch(`${gateway.url}/auth/v1/user`, { headers: { apikey: DEMO_ANON_KEY } });
    assert.equal(unset.status, 502);
    await unset.body?.cancel();
    const unknown = await fetch(`${gateway.url}/storage/v1/object`);
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  } finally {
    await gateway.close();
  }
});

/** Sends a request line exactly as given (fetch would resolve `..` before sending). */
async function rawGet(base: string, target: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(base);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  const lines = [`GET ${target} HTTP/1.1`, `Host: ${hostname}:${port}`, "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  await conn.write(new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n`));
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) break;
    chunks.push(buffer.slice(0, n));
  }
  conn.close();
  const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  const [head, ...rest] = text.split("\r\n\r\n");
  let body = rest.join("\r\n\r\n");
  if (/transfer-encoding: chunked/i.test(head)) {
    let decoded = "";
    let remaining = body;
    for (;;) {
      const eol = remaining.indexOf("\r\n");
      const size = parseInt(remaining.slice(0, eol), 16);
      if (!size) break;
      decoded += remaining.slice(eol + 2, eol + 2 + size);
      remaining = remaining.slice(eol + 2 + size + 2);
    }
    body = decoded;
  }
  return { status: Number(head.split(" ")[1]), body };
}

Deno.test("gateway normalises the path once, before routing, as Kong does", async () => {
  await withGateway(async (gateway, [auth, rest, functions]) => {
    // /functions/v1/../rest/v1/habits is /functions/rest/v1/habits: no route (it once reached a
    // mangled upstream URL, because routing saw the raw path and forwarding the normalised one).
    const noRoute = await rawGet(gateway, "/functions/v1/../rest/v1/habits", { apikey: DEMO_ANON_KEY });
    assert.equal(noRoute.status, 404);
    assert.deepEqual(JSON.parse(noRoute.body), { message: "no Route matched with those values" });
    // Climbing out of /functions/v1 lands on /rest/v1, which needs a key like any REST request...
    const refused = await rawGet(gateway, "/functions/v1/../../rest/v1/habits");
    assert.equal(refused.status, 401);
    assert.equal(functions.received.length + rest.received.length, 0);
    // ...and with one it reaches the REST upstream at /habits.
    for (
      const target of ["/functions/v1/../../rest/v1/habits", "/functions/v1/%2e%2e/%2E%2E/rest/v1/./habits"]
    ) {
      const routed = await rawGet(gateway, target, { apikey: DEMO_ANON_KEY });
      assert.equal(routed.status, 200, target);
      expect(JSON.parse(routed.body)).toMatchObject({ upstream: "rest", path: "/habits" });
    }
    const escaped = await rawGet(gateway, "/rest/v1/../../auth/v1/user", { apikey: DEMO_ANON_KEY });
    expect(JSON.parse(escaped.body)).toMatchObject({ upstream: "auth", path: "/user" });
    assert.equal(auth.received.length, 1);
  });
});

Deno.test("gateway authenticates with ?apikey= and does not forward it (PostgREST would read a filter)", async () => {
  await withGateway(async (gateway) => {
    const response = await fetch(
      `${gateway}/rest/v1/habits?select=id%2Caction&apikey=${DEMO_ANON_KEY}&action=eq.a%26b&order=id`,
    );
    const body = await response.json();
    assert.equal(body.search, "?select=id%2Caction&action=eq.a%26b&order=id");
    assert.equal(body.headers.authorization, `Bearer ${DEMO_ANON_KEY}`);
    const only = await (await fetch(`${gateway}/rest/v1/habits?apikey=${DEMO_ANON_KEY}`)).json();
    assert.equal(only.search, "");
    const functions = await (await fetch(`${gateway}/functions/v1/f?apikey=x&a=1`)).json();
    assert.equal(functions.search, "?apikey=x&a=1", "functions get the query untouched");
  });
});
