/**
 * The functions the SPA calls from the browser (import, export, delete-account) answer CORS
 * themselves. The hosted gateway adds no CORS to /functions/v1 (supabase.com/docs/guides/functions/cors:
 * "To invoke edge functions from the browser, you need to handle CORS Preflight requests"), and the
 * devstack gateway no longer adds it either (tests/devstack/gateway_test.ts), so without these
 * headers supabase.functions.invoke fails in every browser.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import type { CallerEnv } from "../../supabase/functions/_shared/caller-middleware.ts";
import type { Database } from "../../supabase/functions/_shared/db.ts";
import { createDeleteAccountApp } from "../../supabase/functions/delete-account/app.ts";
import { createExportApp } from "../../supabase/functions/export/app.ts";
import { createImportApp } from "../../supabase/functions/import/app.ts";
import { unauthorized } from "../../supabase/functions/_shared/caller.ts";

const ORIGIN = "http://127.0.0.1:5173";
// No request below reaches the database: a preflight stops at CORS, a token-less call at the caller check.
const noDb = (() => {
  throw new Error("the database is not used");
}) as unknown as Database;

const apps: [string, "GET" | "POST", Hono<CallerEnv>][] = [
  ["import", "POST", createImportApp(noDb)],
  ["export", "GET", createExportApp(noDb)],
  [
    "delete-account",
    "POST",
    createDeleteAccountApp({ authenticate: () => Promise.resolve(unauthorized()) } as never),
  ],
];

for (const [name, method, app] of apps) {
  Deno.test(`${name} answers the browser's preflight with CORS headers`, async () => {
    const response = await app.request(`/${name}`, {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": method,
        "access-control-request-headers": "authorization, x-client-info, apikey, content-type",
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(response.headers.get("access-control-allow-methods"), `${method},OPTIONS`);
    assert.equal(
      response.headers.get("access-control-allow-headers"),
      "authorization,x-client-info,apikey,content-type",
    );
  });

  Deno.test(`${name} lets the browser read its refusals (CORS on a 401 and a 405)`, async () => {
    const refused = await app.request(`/${name}`, { method, headers: { origin: ORIGIN } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get("access-control-allow-origin"), "*");
    await refused.body?.cancel();
    const wrongMethod = await app.request(`/${name}`, { method: "PUT", headers: { origin: ORIGIN } });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("access-control-allow-origin"), "*");
    await wrongMethod.body?.cancel();
  });
}
