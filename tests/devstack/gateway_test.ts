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
    assert.equal(preflight.headers.get("access-control-allow-methods"), "GET,POST,PUT,PATCH,DELETE,OPTIONS");
    assert.equal(
      preflight.headers.get("access-control-allow-headers"),
      "authorization,x-client-info,apikey,content-type,prefer",
    );
    await preflight.body?.cancel();
    assert.equal(upstreams.reduce((n, u) => n + u.received.length, 0), 0, "preflight not forwarded");

    const response = await fetch(`${gateway}/rest/v1/habits`, {
      headers: { apikey: DEMO_ANON_KEY, origin: "http://127.0.0.1:5173" },
    });
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    expect(response.headers.get("access-control-expose-headers")).toContain("Content-Range");
    await response.body?.cancel();

    const rejected = await fetch(`${gateway}/rest/v1/habits`, {
      headers: { origin: "http://127.0.0.1:5173" },
    });
    assert.equal(rejected.status, 401);
    assert.equal(rejected.headers.get("access-control-allow-origin"), "*");
    await rejected.body?.cancel();
  });
});

Deno.test("gateway answers 502 when an upstream is down and 404 for unknown routes", async () => {
  const gateway = await startGateway({
    port: 0,
    apiKeys: [DEMO_ANON_KEY],
    upstreams: { rest: `http://127.0.0.1:${unusedPort()}` },
  });
  try {
    const down = await fetch(`${gateway.url}/rest/v1/habits`, { headers: { apikey: DEMO_ANON_KEY } });
    assert.equal(down.status, 502);
    expect(await down.json()).toHaveProperty("message");
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
