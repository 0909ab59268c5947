/**
 * Whose requests share an Auth rate-limit bucket, through the gateway as the start command runs it.
 *
 * GoTrue v2.196.0, internal/api/middleware.go (performRateLimiting): the request limits (token,
 * verify, sign-up, OTP, recover, resend, PUT /user, MFA, anonymous) key on the value of the header
 * named by GOTRUE_RATE_LIMIT_HEADER; with no header configured, or a request without it, they are
 * not applied at all. The mail limit (GOTRUE_RATE_LIMIT_EMAIL_SENT) is one server-wide budget.
 * `supabase start` (the CLI's auth env) sets no GOTRUE_RATE_LIMIT_HEADER, and Kong forwards
 * X-Forwarded-For with the client's address appended.
 */
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { authConfigFromEnv, type AuthOptions } from "../../devstack/auth/config.ts";
import { type RunningStack, startStack } from "../../devstack/stack.ts";
import { createTestCluster, type TestCluster } from "../devstack/pg_cluster.ts";

const PASSWORD = "correct horse battery staple 42";
const email = (tag: string) => `${tag}-${crypto.randomUUID().slice(0, 8)}@rate-limit.test`;

async function withStack(
  cluster: TestCluster,
  auth: Partial<AuthOptions>,
  body: (stack: RunningStack) => Promise<void>,
) {
  const stack = await startStack({ databaseUrl: cluster.url, pgNet: { enabled: false }, auth });
  try {
    await body(stack);
  } finally {
    await stack.stop();
  }
}

/** A supabase-js client, optionally behind a proxy that reports `address` in X-Forwarded-For. */
function clientOf(stack: RunningStack, address?: string) {
  return createClient(stack.urls.api, stack.keys.anon, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: address ? { "X-Forwarded-For": address } : {} },
  });
}

async function confirmedUser(stack: RunningStack): Promise<string> {
  const admin = createClient(stack.urls.api, stack.keys.serviceRole, { auth: { persistSession: false } });
  const address = email("person");
  const { error } = await admin.auth.admin.createUser({
    email: address,
    password: PASSWORD,
    email_confirm: true,
  });
  assert.equal(error, null);
  return address;
}

async function failedSignIns(stack: RunningStack, count: number, address?: string) {
  const statuses: (number | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const { error } = await clientOf(stack, address).auth.signInWithPassword({
      email: "nobody@rate-limit.test",
      password: "wrong password 1",
    });
    statuses.push(error?.status);
  }
  return statuses;
}

Deno.test("Auth rate limits are keyed exactly as GoTrue keys them (middleware.go)", async (t) => {
  const cluster = await createTestCluster();
  try {
    await t.step(
      "sixty failed sign-ins from one client never make another person's correct sign-in fail (supabase start sets no GOTRUE_RATE_LIMIT_HEADER)",
      async () => {
        // The CLI's auth env has no GOTRUE_RATE_LIMIT_HEADER; the stand-in reads it as GoTrue does.
        const cliEnv = {
          API_EXTERNAL_URL: "http://127.0.0.1:54321",
          GOTRUE_SITE_URL: "http://127.0.0.1:5173",
          GOTRUE_JWT_SECRET: "super-secret-jwt-token-with-at-least-32-characters-long",
          GOTRUE_DB_DATABASE_URL: "postgresql://supabase_auth_admin@127.0.0.1:54322/postgres",
        };
        assert.equal(authConfigFromEnv(cliEnv).rateLimitHeader, "");
        assert.equal(
          authConfigFromEnv({ ...cliEnv, GOTRUE_RATE_LIMIT_HEADER: "X-Real-IP" }).rateLimitHeader,
          "X-Real-IP",
        );
        await withStack(cluster, {}, async (stack) => {
          const person = await confirmedUser(stack);
          const statuses = await failedSignIns(stack, 60);
          assert.ok(statuses.every((status) => status === 400), statuses.join(","));
          const { data, error } = await clientOf(stack).auth.signInWithPassword({
            email: person,
            password: PASSWORD,
          });
          assert.equal(error, null);
          assert.ok(data.session);
        });
      },
    );

    await t.step(
      "GOTRUE_RATE_LIMIT_HEADER=X-Forwarded-For: one bucket per client address, through the gateway",
      async () => {
        // token_refresh 1 per 5 minutes: GoTrue's burst of 30, and no refill during the test.
        await withStack(
          cluster,
          { rateLimitHeader: "X-Forwarded-For", rateLimitTokenRefresh: 1 },
          async (stack) => {
            const person = await confirmedUser(stack);
            const attacker = "198.51.100.1";
            const statuses = await failedSignIns(stack, 31, attacker);
            assert.deepEqual(statuses.slice(29), [400, 429], "GoTrue's burst of 30 per 5 minutes");
            const other = await clientOf(stack, "198.51.100.2").auth.signInWithPassword({
              email: person,
              password: PASSWORD,
            });
            assert.equal(other.error, null, "another client's bucket is untouched");
            const same = await clientOf(stack, attacker).auth.signInWithPassword({
              email: person,
              password: PASSWORD,
            });
            assert.deepEqual([same.error?.status, (same.error as { code?: string })?.code], [
              429,
              "over_request_rate_limit",
            ]);
            // Without a header of its own, a client is keyed by the address the gateway appends.
            const direct = await clientOf(stack).auth.signInWithPassword({
              email: person,
              password: PASSWORD,
            });
            assert.equal(direct.error, null);
          },
        );
      },
    );
  } finally {
    await cluster.remove();
  }
});
