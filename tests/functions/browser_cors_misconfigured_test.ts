/**
 * A function the SPA calls (import, export, delete-account) whose environment is incomplete
 * answers every request with its 500 function_misconfigured. It did so without CORS, the preflight
 * included, so the browser refused to read it and the person saw "the server cannot be reached"
 * instead of the function's own error. It now answers the preflight and marks its 500 readable,
 * as its app does (tests/functions/browser_cors_test.ts).
 */
import assert from "node:assert/strict";
import { spawnFunctionProcess } from "../support/functions.ts";

const ORIGIN = "http://127.0.0.1:5173";

for (const [name, method] of [["import", "POST"], ["export", "GET"], ["delete-account", "POST"]] as const) {
  Deno.test(`${name} without its environment still answers the browser with CORS`, async () => {
    // No database URL: every one of the three refuses to start its app.
    const fn = spawnFunctionProcess(name, "http://127.0.0.1:9", { SUPABASE_DB_URL: "" });
    try {
      const preflight = await fn.fetch(
        new Request(`http://functions.local/${name}`, {
          method: "OPTIONS",
          headers: {
            origin: ORIGIN,
            "access-control-request-method": method,
            "access-control-request-headers": "authorization, content-type",
          },
        }),
      );
      await preflight.body?.cancel();
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
      const call = await fn.fetch(
        new Request(`http://functions.local/${name}`, { method, headers: { origin: ORIGIN } }),
      );
      assert.equal(call.status, 500);
      assert.equal(call.headers.get("access-control-allow-origin"), "*");
      assert.equal((await call.json()).error, "function_misconfigured");
    } finally {
      await fn.stop();
    }
  });
}
