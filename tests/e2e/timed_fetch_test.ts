/**
 * The web app's Supabase client bounds every request (web/src/lib/timed-fetch.ts): a server that
 * never answers ends in an error after the bound, not a spinner forever; the caller's own signal
 * still works; and supabase-js (postgrest-js, auth-js) turn the cut request into the app's
 * "cannot reach the server" sentence after ONE bound, not after postgrest-js's retries.
 */
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { dataErrorSentence } from "../../web/src/errors/error-messages.ts";
import {
  FUNCTION_TIMEOUT_MS,
  SERVER_TIMEOUT_MS,
  timedFetch,
  timeoutFor,
} from "../../web/src/lib/timed-fetch.ts";

const OFFLINE_EN = "The server cannot be reached. Check your connection and try again.";
const OFFLINE_RU = "Сервер недоступен. Проверьте подключение и попробуйте ещё раз.";
const BOUND_MS = 300;

/** A server that takes every request and never answers (until the test ends). */
function hangingServer() {
  const stop = new AbortController();
  let requests = 0;
  const never = Promise.withResolvers<Response>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: stop.signal, onListen: () => {} },
    () => {
      requests++;
      return never.promise;
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests: () => requests,
    async close() {
      never.resolve(new Response(null));
      stop.abort();
      await server.finished;
    },
  };
}

async function failureOf(request: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await request();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error("the request did not fail");
}

Deno.test("a request the server never answers is cut after the bound", async () => {
  const server = hangingServer();
  try {
    const { error, ms } = await failureOf(() => timedFetch(() => BOUND_MS)(`${server.url}/rest/v1/habits`));
    assert.ok(error instanceof DOMException);
    assert.equal(error.name, "AbortError");
    assert.match(error.message, /did not answer within 0.3 s/);
    assert.ok(ms >= BOUND_MS - 5 && ms < BOUND_MS + 1_000, `cut after ${Math.round(ms)} ms`);
  } finally {
    await server.close();
  }
});

for (const withAny of [true, false]) {
  Deno.test(`the caller's own signal still aborts at once${withAny ? "" : " without AbortSignal.any"}`, async () => {
    const server = hangingServer();
    const any = AbortSignal.any;
    if (!withAny) Object.defineProperty(AbortSignal, "any", { value: undefined, configurable: true });
    try {
      const caller = new AbortController();
      const reason = new Error("left the page");
      setTimeout(() => caller.abort(reason), 50);
      const { error, ms } = await failureOf(() =>
        timedFetch(() => 60_000)(`${server.url}/auth/v1/user`, { signal: caller.signal })
      );
      assert.equal(error, reason, "the caller's reason");
      assert.ok(ms < 1_000, `aborted after ${Math.round(ms)} ms`);

      const { error: cut } = await failureOf(() =>
        timedFetch(() => BOUND_MS)(`${server.url}/auth/v1/user`, { signal: new AbortController().signal })
      );
      assert.equal((cut as DOMException).name, "AbortError", "the bound holds beside a caller's signal");
    } finally {
      Object.defineProperty(AbortSignal, "any", { value: any, configurable: true });
      await server.close();
    }
  });
}

Deno.test("the functions, which take and send files, get the longer bound", () => {
  assert.equal(timeoutFor("http://127.0.0.1:54321/rest/v1/habits?select=*"), SERVER_TIMEOUT_MS);
  assert.equal(timeoutFor("http://127.0.0.1:54321/auth/v1/token?grant_type=password"), SERVER_TIMEOUT_MS);
  assert.equal(timeoutFor(new Request("http://127.0.0.1:54321/functions/v1/import")), FUNCTION_TIMEOUT_MS);
  assert.ok(SERVER_TIMEOUT_MS >= 10_000 && SERVER_TIMEOUT_MS <= 20_000);
});

Deno.test("supabase-js reports a cut read after one bound, as the cannot-reach sentence", async () => {
  const server = hangingServer();
  try {
    const client = createClient(server.url, "anon-key", {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { fetch: timedFetch(() => BOUND_MS) },
    });
    const started = performance.now();
    const result = await client.from("habits").select("id");
    const ms = performance.now() - started;
    // postgrest-js retries a GET whose fetch failed otherwise (1 + 2 + 4 s apart): one bound here.
    assert.ok(ms < BOUND_MS + 1_000, `answered after ${Math.round(ms)} ms`);
    assert.equal(server.requests(), 1, "not retried");
    assert.ok(result.error);
    assert.match(result.error.message, /^AbortError: /);
    assert.equal(dataErrorSentence({ ...result.error, status: result.status }, "en"), OFFLINE_EN);
    assert.equal(dataErrorSentence({ ...result.error, status: result.status }, "ru"), OFFLINE_RU);

    const signIn = await client.auth.signInWithPassword({ email: "a@example.com", password: "x1y2z3w4v5" });
    assert.equal(signIn.error?.name, "AuthRetryableFetchError");
    assert.equal(signIn.error?.status, 0);
  } finally {
    await server.close();
  }
});
