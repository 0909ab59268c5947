/**
 * The devstack Auth server's settings, each on a server of its own (GoTrue's behaviour named per
 * case): honoured exactly, or refused at startup by name; the rate limits with GoTrue's 429s; the
 * database going away (500, then recovery).
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { base64url, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import * as OTPAuth from "otpauth";
import { type AuthConfig, authConfigFromEnv, type AuthOptions } from "../../devstack/auth/config.ts";
import { isRedirectAllowed } from "../../devstack/auth/redirects.ts";
import type { AuthMail } from "../../devstack/auth/mailer.ts";
import { startAuth } from "../../devstack/auth/server.ts";
import { authOptionsFromToml, siteUrlOnPort } from "../../devstack/auth/toml.ts";
import {
  DEMO_ANON_KEY,
  DEMO_JWT_SECRET,
  DEMO_SERVICE_ROLE_KEY,
  DEMO_SIGNING_KEY,
} from "../../devstack/keys.ts";
import { startStack, withUser } from "../../devstack/stack.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { createTestCluster, type TestCluster } from "../devstack/pg_cluster.ts";

const PASSWORD = "correct horse battery staple 42";
const GATEWAY = "http://devstack-auth.test";
/** Per-client request limits apply only with GOTRUE_RATE_LIMIT_HEADER (GoTrue's middleware.go). */
const PER_CLIENT = { rateLimitHeader: "X-Forwarded-For" } as const;

interface TestAuth {
  client: SupabaseClient;
  mails: AuthMail[];
  raw(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

async function auth(
  cluster: TestCluster,
  options: Partial<AuthOptions> = {},
  dbUrl?: string,
): Promise<TestAuth> {
  const mails: AuthMail[] = [];
  const service = await startAuth({
    databaseUrl: dbUrl ?? withUser(cluster.url, "supabase_auth_admin"),
    apiExternalUrl: GATEWAY,
    siteUrl: "http://127.0.0.1:5173",
    jwtSecret: DEMO_JWT_SECRET,
    jwtKeys: [DEMO_SIGNING_KEY],
    smtpMaxFrequency: 0,
    port: 0,
    ...options,
  }, { mailer: { send: (mail) => Promise.resolve(void mails.push(mail)), close: () => {} } });
  const mapped: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    const forwarded = new Request(service.url + request.url.slice(`${GATEWAY}/auth/v1`.length), request);
    // As the gateway does (Kong's X-Forwarded-For): the limit steps key on it with rateLimitHeader.
    if (!forwarded.headers.has("x-forwarded-for")) forwarded.headers.set("x-forwarded-for", "127.0.0.1");
    return fetch(forwarded);
  };
  return {
    client: createClient(GATEWAY, DEMO_ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { fetch: mapped },
    }),
    mails,
    raw: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("apikey", DEMO_ANON_KEY);
      if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${DEMO_ANON_KEY}`);
      headers.set("X-Supabase-Api-Version", "2024-01-01");
      return mapped(`${GATEWAY}/auth/v1${path}`, { ...init, headers });
    },
    close: () => service.close(),
  };
}

/** The text of the newest mail to `to` in the stack's mail catcher (Mailpit API). */
async function waitForStackMail(mailApi: string, to: string): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const list = await (await fetch(`${mailApi}/api/v1/search?query=to:${to}`)).json();
    if (list.messages.length > 0) {
      return (await (await fetch(`${mailApi}/api/v1/message/${list.messages[0].ID}`)).json()).Text;
    }
    await sleep(100);
  }
  throw new Error(`no mail to ${to}`);
}

const email = (tag: string) => `${tag}-${crypto.randomUUID().slice(0, 8)}@settings.test`;
const codeOf = (error: unknown) => (error as { code?: string } | null)?.code;

Deno.test("devstack Auth settings: honoured exactly or refused by name", async (t) => {
  const cluster = await createTestCluster();
  try {
    await t.step(
      "GOTRUE_DISABLE_SIGNUP: 422 signup_disabled, /settings says so, admin can still create",
      async () => {
        const server = await auth(cluster, { disableSignup: true, mailerAutoconfirm: true });
        try {
          const { error } = await server.client.auth.signUp({ email: email("closed"), password: PASSWORD });
          assert.equal(error?.status, 422);
          assert.equal(codeOf(error), "signup_disabled");
          const otp = await server.client.auth.signInWithOtp({ email: email("closed-otp") });
          assert.equal(codeOf(otp.error), "signup_disabled");
          const settings = await (await server.raw("/settings")).json();
          assert.equal(settings.disable_signup, true);
          const created = await server.raw("/admin/users", {
            method: "POST",
            headers: { Authorization: `Bearer ${DEMO_SERVICE_ROLE_KEY}` },
            body: JSON.stringify({ email: email("by-admin"), password: PASSWORD, email_confirm: true }),
          });
          assert.equal(created.status, 200);
        } finally {
          await server.close();
        }
      },
    );

    await t.step(
      "e-mail provider disabled: sign-up 400 and password sign-in 422 email_provider_disabled",
      async () => {
        const open = await auth(cluster, { mailerAutoconfirm: true });
        const address = email("provider");
        try {
          assert.equal((await open.client.auth.signUp({ email: address, password: PASSWORD })).error, null);
        } finally {
          await open.close();
        }
        const server = await auth(cluster, { emailEnabled: false, mailerAutoconfirm: true });
        try {
          const signUp = await server.client.auth.signUp({ email: email("provider2"), password: PASSWORD });
          assert.deepEqual([signUp.error?.status, codeOf(signUp.error)], [400, "email_provider_disabled"]);
          const signIn = await server.client.auth.signInWithPassword({ email: address, password: PASSWORD });
          assert.deepEqual([signIn.error?.status, codeOf(signIn.error)], [422, "email_provider_disabled"]);
          assert.equal(signIn.data.session, null);
          assert.equal((await (await server.raw("/settings")).json()).external.email, false);
        } finally {
          await server.close();
        }
      },
    );

    await t.step(
      "anonymous sign-ins: refused when off, is_anonymous session when on, 429 past anonymous_users",
      async () => {
        const off = await auth(cluster);
        try {
          const { error } = await off.client.auth.signInAnonymously();
          assert.deepEqual([error?.status, codeOf(error)], [422, "anonymous_provider_disabled"]);
          assert.equal((await (await off.raw("/settings")).json()).external.anonymous_users, false);
        } finally {
          await off.close();
        }
        const on = await auth(cluster, {
          anonymousUsersEnabled: true,
          rateLimitAnonymousUsers: 2,
          ...PER_CLIENT,
        });
        try {
          const first = await on.client.auth.signInAnonymously();
          assert.equal(first.error, null);
          assert.equal(first.data.user?.is_anonymous, true);
          assert.equal(first.data.session?.user.is_anonymous, true);
          // GoTrue's UserUpdate and Reauthenticate: no password and no nonce without an address.
          const password = await on.client.auth.updateUser({ password: PASSWORD });
          assert.deepEqual([password.error?.status, codeOf(password.error)], [422, "validation_failed"]);
          const nonce = await on.client.auth.reauthenticate();
          assert.deepEqual([nonce.error?.status, codeOf(nonce.error)], [400, "validation_failed"]);
          assert.equal((await on.client.auth.signInAnonymously()).error, null);
          // GoTrue's anonymous limiter: anonymous_users per hour with that many as burst.
          const third = await on.client.auth.signInAnonymously();
          assert.deepEqual([third.error?.status, codeOf(third.error)], [429, "over_request_rate_limit"]);
        } finally {
          await on.close();
        }
      },
    );

    await t.step(
      "token_verifications: wrong codes get 429 over_request_rate_limit after GoTrue's burst of 30",
      async () => {
        const server = await auth(cluster, { rateLimitVerify: 30, ...PER_CLIENT });
        try {
          const address = email("guess");
          await server.client.auth.signUp({ email: address, password: PASSWORD });
          const statuses: number[] = [];
          for (let i = 0; i < 40; i++) {
            const { error } = await server.client.auth.verifyOtp({
              email: address,
              token: String(100000 + i),
              type: "email",
            });
            statuses.push(error?.status ?? 200);
            if (error?.status === 429) assert.equal(codeOf(error), "over_request_rate_limit");
          }
          assert.deepEqual(
            statuses.slice(0, 30),
            Array(30).fill(403),
            "the first 30 are checked (and wrong)",
          );
          assert.ok(statuses.slice(30).every((status) => status === 429), statuses.join(","));
          // The right code is refused as well while limited: guessing is capped, not just slowed.
          const mail = server.mails.find((m) => m.to === address) as AuthMail;
          const right = await server.client.auth.verifyOtp({
            email: address,
            token: mail.otp,
            type: "email",
          });
          assert.equal(right.error?.status, 429);
        } finally {
          await server.close();
        }
      },
    );

    await t.step("sign_in_sign_ups and token_refresh: 429 after the burst of 30 per client", async () => {
      const server = await auth(cluster, { rateLimitOtp: 1, rateLimitTokenRefresh: 1, ...PER_CLIENT });
      try {
        const signUps: (number | undefined)[] = [];
        for (let i = 0; i < 31; i++) {
          const { error } = await server.client.auth.signUp({ email: "bad", password: PASSWORD });
          signUps.push(error?.status);
        }
        assert.equal(signUps.filter((status) => status === 429).length, 1, signUps.join(","));
        const signIns: (number | undefined)[] = [];
        for (let i = 0; i < 31; i++) {
          const { error } = await server.client.auth.signInWithPassword({
            email: "x@y.test",
            password: "wrong",
          });
          signIns.push(error?.status);
        }
        assert.deepEqual(signIns.slice(-1), [429]);
        const recover = await server.client.auth.resetPasswordForEmail(email("r"));
        assert.equal(recover.error, null, "each route has its own bucket, as in GoTrue");
      } finally {
        await server.close();
      }
    });

    await t.step(
      "email_sent: 429 over_email_send_rate_limit once the hourly mail budget is spent",
      async () => {
        const server = await auth(cluster, { rateLimitEmailSent: 2 });
        try {
          for (let i = 0; i < 2; i++) {
            assert.equal(
              (await server.client.auth.signUp({ email: email("mail"), password: PASSWORD })).error,
              null,
            );
          }
          const { error } = await server.client.auth.signUp({ email: email("mail"), password: PASSWORD });
          assert.deepEqual([error?.status, codeOf(error)], [429, "over_email_send_rate_limit"]);
          assert.equal(server.mails.length, 2);
        } finally {
          await server.close();
        }
      },
    );

    await t.step(
      "asymmetric keys: ES256 with the CLI's kid, public key at /.well-known/jwks.json, getClaims",
      async () => {
        const server = await auth(cluster, { mailerAutoconfirm: true });
        try {
          const { data } = await server.client.auth.signUp({ email: email("claims"), password: PASSWORD });
          const header = decodeProtectedHeader(data.session?.access_token as string);
          assert.deepEqual([header.alg, header.kid], ["ES256", DEMO_SIGNING_KEY.kid]);
          const jwks = await (await server.raw("/.well-known/jwks.json")).json();
          assert.equal(jwks.keys.length, 1);
          assert.equal(jwks.keys[0].kid, DEMO_SIGNING_KEY.kid);
          assert.equal(jwks.keys[0].d, undefined, "no private part");
          const claims = await server.client.auth.getClaims();
          assert.equal(claims.error, null);
          assert.equal(claims.data?.claims.sub, data.user?.id);
        } finally {
          await server.close();
        }
        const hs = await auth(cluster, { mailerAutoconfirm: true, jwtKeys: [] });
        try {
          const { data } = await hs.client.auth.signUp({ email: email("hs"), password: PASSWORD });
          assert.equal(decodeProtectedHeader(data.session?.access_token as string).alg, "HS256");
          assert.deepEqual((await (await hs.raw("/.well-known/jwks.json")).json()).keys, []);
        } finally {
          await hs.close();
        }
      },
    );

    await t.step(
      "an oct key marked for signing signs HS256 with its own secret and kid (internal/conf/jwk.go)",
      async () => {
        // GoTrue's GetSigningJwk takes the key whose key_ops include "sign", symmetric or not.
        const secret = crypto.getRandomValues(new Uint8Array(32));
        const octKey = {
          kty: "oct",
          kid: "oct-signing-key",
          alg: "HS256",
          k: base64url.encode(secret),
          key_ops: ["sign", "verify"],
        };
        const server = await auth(cluster, {
          mailerAutoconfirm: true,
          jwtKeys: [{ ...DEMO_SIGNING_KEY, key_ops: ["verify"] }, octKey],
        });
        try {
          const { data, error } = await server.client.auth.signUp({
            email: email("oct"),
            password: PASSWORD,
          });
          assert.equal(error, null);
          const token = data.session?.access_token as string;
          assert.deepEqual(decodeProtectedHeader(token), {
            alg: "HS256",
            kid: "oct-signing-key",
            typ: "JWT",
          });
          const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
          assert.equal(payload.sub, data.user?.id);
          await assert.rejects(
            jwtVerify(token, new TextEncoder().encode(DEMO_JWT_SECRET)),
            "not the JWT secret",
          );
          const user = await server.client.auth.getUser(token);
          assert.equal(user.error, null, "Auth verifies its own oct-signed tokens");
          const jwks = (await (await server.raw("/.well-known/jwks.json")).json()).keys;
          assert.deepEqual(
            jwks.map((key: { kid: string }) => key.kid),
            [DEMO_SIGNING_KEY.kid],
            "no secret published",
          );
        } finally {
          await server.close();
        }
      },
    );

    await t.step(
      "secure_password_change: a session older than 24 h needs the reauthentication nonce",
      async () => {
        const server = await auth(cluster, {
          mailerAutoconfirm: true,
          updatePasswordRequireReauthentication: true,
        });
        const admin = (await import("postgres")).default(cluster.url, { max: 1, onnotice: () => {} });
        try {
          const address = email("reauth");
          const { data } = await server.client.auth.signUp({ email: address, password: PASSWORD });
          // GoTrue asks for no nonce within 24 hours of signing in.
          assert.equal((await server.client.auth.updateUser({ password: `${PASSWORD} fresh` })).error, null);
          const sessionId = String(decodeJwt(data.session?.access_token as string).session_id);
          await admin`update auth.sessions set created_at = now() - interval '25 hours' where id = ${sessionId}`;
          const needed = await server.client.auth.updateUser({ password: `${PASSWORD} later` });
          assert.deepEqual([needed.error?.status, codeOf(needed.error)], [400, "reauthentication_needed"]);
          // The nonce is asked for before the password is compared with the current one.
          const same = await server.client.auth.updateUser({ password: `${PASSWORD} fresh` });
          assert.deepEqual([same.error?.status, codeOf(same.error)], [400, "reauthentication_needed"]);
          const wrong = await server.client.auth.updateUser({
            password: `${PASSWORD} later`,
            nonce: "000000",
          });
          assert.deepEqual(
            [wrong.error?.status, codeOf(wrong.error), wrong.error?.message],
            [422, "reauthentication_not_valid", "Nonce has expired or is invalid"],
          );
          assert.equal((await server.client.auth.reauthenticate()).error, null);
          const mail = server.mails.findLast((m) =>
            m.kind === "reauthentication" && m.to === address
          ) as AuthMail;
          assert.equal(mail.confirmationUrl, "");
          const ok = await server.client.auth.updateUser({ password: `${PASSWORD} later`, nonce: mail.otp });
          assert.equal(ok.error, null);
          const reused = await server.client.auth.updateUser({
            password: `${PASSWORD} again`,
            nonce: mail.otp,
          });
          assert.equal(codeOf(reused.error), "reauthentication_not_valid", "a nonce works once");
        } finally {
          await admin.end();
          await server.close();
        }
      },
    );

    await t.step(
      "[auth.mfa.totp] off (the CLI's default): enrolling is 422 mfa_totp_enroll_not_enabled",
      async () => {
        const server = await auth(cluster, { mailerAutoconfirm: true, mfaTotpEnrollEnabled: false });
        try {
          await server.client.auth.signUp({ email: email("no-mfa"), password: PASSWORD });
          const { error } = await server.client.auth.mfa.enroll({ factorType: "totp" });
          assert.deepEqual([error?.status, codeOf(error)], [422, "mfa_totp_enroll_not_enabled"]);
        } finally {
          await server.close();
        }
      },
    );

    await t.step(
      "MFA expiry: an expired challenge is 422 mfa_challenge_expired and gone; stale enrolments go",
      async () => {
        const server = await auth(cluster, { mailerAutoconfirm: true, mfaChallengeExpiry: 1 });
        const admin = (await import("postgres")).default(cluster.url, { max: 1, onnotice: () => {} });
        try {
          await server.client.auth.signUp({ email: email("mfa-expiry"), password: PASSWORD });
          const { data: factor } = await server.client.auth.mfa.enroll({ factorType: "totp" });
          const totp = factor as { id: string; totp: { secret: string } };
          const code = new OTPAuth.TOTP({
            secret: totp.totp.secret,
            algorithm: "SHA1",
            digits: 6,
            period: 30,
          });
          const { data: challenge } = await server.client.auth.mfa.challenge({ factorId: totp.id });
          await sleep(1500);
          const verify = () =>
            server.client.auth.mfa.verify({
              factorId: totp.id,
              challengeId: challenge?.id as string,
              code: code.generate(),
            });
          const expired = await verify();
          assert.deepEqual(
            [expired.error?.status, codeOf(expired.error), expired.error?.message],
            [
              422,
              "mfa_challenge_expired",
              `MFA challenge ${challenge?.id} has expired, verify against another challenge or create a new challenge.`,
            ],
          );
          const again = await verify();
          assert.deepEqual([again.error?.status, codeOf(again.error)], [422, "mfa_factor_not_found"]);
          // GoTrue compares names as they are: a second unnamed factor is a conflict...
          const unnamed = await server.client.auth.mfa.enroll({ factorType: "totp" });
          assert.deepEqual([unnamed.error?.status, codeOf(unnamed.error)], [422, "mfa_factor_name_conflict"]);
          // ...until the first, unverified and without challenges, is older than 300 s.
          await admin`update auth.mfa_factors set created_at = now() - interval '301 seconds' where id = ${totp.id}`;
          assert.equal((await server.client.auth.mfa.enroll({ factorType: "totp" })).error, null);
        } finally {
          await admin.end();
          await server.close();
        }
      },
    );

    await t.step(
      "double_confirm_changes off: one mail (resendable), to the new address, changes the e-mail",
      async () => {
        const server = await auth(cluster, { mailerAutoconfirm: false, mailerSecureEmailChange: false });
        try {
          const address = email("single");
          await server.client.auth.signUp({ email: address, password: PASSWORD });
          const confirm = server.mails.find((m) => m.to === address) as AuthMail;
          await server.client.auth.verifyOtp({ email: address, token: confirm.otp, type: "signup" });
          const next = email("single-new");
          const { error } = await server.client.auth.updateUser({ email: next });
          assert.equal(error, null);
          // resend type email_change (GoTrue's resend.go) mails the pending change again, with a new
          // code that replaces the first one.
          const resent = await server.client.auth.resend({ type: "email_change", email: address });
          assert.equal(resent.error, null);
          const changeMails = server.mails.filter((m) => m.kind === "email_change");
          assert.deepEqual(changeMails.map((m) => m.to), [next, next]);
          const stale = await server.client.auth.verifyOtp({
            email: next,
            token: changeMails[0].otp,
            type: "email_change",
          });
          assert.deepEqual([stale.error?.status, codeOf(stale.error)], [403, "otp_expired"]);
          const verified = await server.client.auth.verifyOtp({
            email: next,
            token: changeMails[1].otp,
            type: "email_change",
          });
          assert.equal(verified.error, null);
          assert.equal(verified.data.user?.email, next);
        } finally {
          await server.close();
        }
      },
    );

    await t.step("the start command's --web-port: config.toml's site_url is taken on that port", async () => {
      // config.toml's site_url is http://127.0.0.1:5173; the SPA is served on another port here.
      const stack = await startStack({ databaseUrl: cluster.url, webPort: 5999, pgNet: { enabled: false } });
      try {
        const supabase = createClient(stack.urls.api, stack.keys.anon, { auth: { persistSession: false } });
        const address = email("web-port");
        assert.equal((await supabase.auth.signUp({ email: address, password: PASSWORD })).error, null);
        const mail = await waitForStackMail(stack.urls.mail, address);
        const link = new URL(/https?:\/\/\S+\/auth\/v1\/verify\?\S+/.exec(mail)?.[0] ?? "");
        assert.equal(link.searchParams.get("redirect_to"), "http://127.0.0.1:5999");
        const landing = await fetch(link, { redirect: "manual" });
        await landing.body?.cancel();
        assert.match(landing.headers.get("Location") ?? "", /^http:\/\/127\.0\.0\.1:5999#access_token=/);
      } finally {
        await stack.stop();
      }
    });

    await t.step("the database goes away: 500 unexpected_failure, and Auth recovers by itself", async () => {
      const port = Number(new URL(cluster.url).port);
      const proxy = startTcpProxy(port);
      const url = new URL(withUser(cluster.url, "supabase_auth_admin"));
      url.port = String(proxy.port);
      const server = await auth(cluster, { mailerAutoconfirm: true }, url.href);
      try {
        proxy.down();
        const down = await server.client.auth.signInWithPassword({ email: "a@b.test", password: PASSWORD });
        // GoTrue has no 503: whatever its database does, the answer is 500 unexpected_failure.
        assert.equal(down.error?.status, 500);
        const raw = await server.raw("/token?grant_type=password", {
          method: "POST",
          body: JSON.stringify({ email: "a@b.test", password: PASSWORD }),
        });
        assert.deepEqual([raw.status, (await raw.json()).code], [500, "unexpected_failure"]);
        proxy.up();
        const address = email("back");
        const up = await server.client.auth.signUp({ email: address, password: PASSWORD });
        assert.equal(up.error, null);
      } finally {
        await server.close();
        await proxy.close();
      }
    });
  } finally {
    await cluster.remove();
  }
});

Deno.test("devstack Auth refuses settings it does not implement, naming them", async () => {
  const base = {
    GOTRUE_DB_DATABASE_URL: "postgresql://x@127.0.0.1/postgres",
    API_EXTERNAL_URL: "http://127.0.0.1:54321",
    GOTRUE_SITE_URL: "http://127.0.0.1:5173",
    GOTRUE_JWT_SECRET: DEMO_JWT_SECRET,
  };
  const config: AuthConfig = authConfigFromEnv({
    ...base,
    GOTRUE_DISABLE_SIGNUP: "true",
    GOTRUE_JWT_AUD: "authenticated",
  });
  assert.equal(config.disableSignup, true);
  assert.throws(
    () => authConfigFromEnv({ ...base, GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_ENABLED: "true" }),
    /GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_ENABLED/,
  );
  assert.throws(() => authConfigFromEnv({ ...base, GOTRUE_JWT_AUD: "other" }), /GOTRUE_JWT_AUD=other/);
  // The CLI's variables for what is off are accepted while it is off, refused once it is on.
  const cliOff = {
    ...base,
    GOTRUE_EXTERNAL_GITHUB_ENABLED: "false",
    GOTRUE_EXTERNAL_GITHUB_CLIENT_ID: "",
    GOTRUE_EXTERNAL_PHONE_ENABLED: "false",
    GOTRUE_SMS_OTP_LENGTH: "6",
    GOTRUE_RATE_LIMIT_SMS_SENT: "30",
    GOTRUE_MAILER_SUBJECTS_RECOVERY: "Reset it",
  };
  assert.equal(authConfigFromEnv(cliOff).mailerSubjects.recovery, "Reset it");
  assert.throws(
    () => authConfigFromEnv({ ...cliOff, GOTRUE_EXTERNAL_GITHUB_ENABLED: "true" }),
    /GOTRUE_EXTERNAL_GITHUB_ENABLED=true/,
  );
  assert.throws(
    () => authConfigFromEnv({ ...base, GOTRUE_SESSIONS_TIMEBOX: "24h" }),
    /GOTRUE_SESSIONS_TIMEBOX/,
  );
  assert.throws(
    () => authConfigFromEnv({ ...base, GOTRUE_DISABLE_SIGNUP: "yes please" }),
    /GOTRUE_DISABLE_SIGNUP/,
  );
  assert.throws(
    () => authConfigFromEnv({ ...base, GOTRUE_RATE_LIMIT_VERIFY: "many" }),
    /GOTRUE_RATE_LIMIT_VERIFY/,
  );

  const root = await Deno.makeTempDir();
  try {
    await assert.rejects(
      authOptionsFromToml(
        { hook: { custom_access_token: { enabled: true, uri: "pg-functions://x" } } },
        root,
      ),
      /auth\.hook\.custom_access_token\.enabled/,
    );
    await assert.rejects(
      authOptionsFromToml({ sessions: { timebox: "24h" } }, root),
      /auth\.sessions\.timebox/,
    );
    await assert.rejects(
      authOptionsFromToml({ external: { github: { enabled: true } } }, root),
      /auth\.external\.github\.enabled/,
    );
    await assert.rejects(
      authOptionsFromToml({ password_requirements: "strong" }, root),
      /password_requirements/,
    );
    await Deno.mkdir(`${root}/supabase/templates`, { recursive: true });
    await Deno.writeTextFile(
      `${root}/supabase/templates/recovery.html`,
      '<a href="{{ .ConfirmationURL }}">reset</a> {{ .Token }}',
    );
    const options = await authOptionsFromToml({
      enable_signup: false,
      enable_anonymous_sign_ins: true,
      email: {
        enable_signup: false,
        double_confirm_changes: false,
        template: { recovery: { subject: "Reset it", content_path: "./supabase/templates/recovery.html" } },
      },
      rate_limit: { token_verifications: 10, sign_in_sign_ups: 20 },
    }, root);
    assert.equal(options.disableSignup, true);
    assert.equal(options.anonymousUsersEnabled, true);
    assert.equal(options.emailEnabled, false);
    assert.equal(options.mailerSecureEmailChange, false);
    assert.equal(options.rateLimitVerify, 10);
    assert.equal(options.rateLimitOtp, 20);
    assert.equal(options.mailerSubjects?.recovery, "Reset it");
    assert.match(options.mailerTemplates?.recovery ?? "", /ConfirmationURL/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  // The start command's --web-port replaces site_url's port, so links lead to the served SPA.
  assert.equal(siteUrlOnPort("http://127.0.0.1:5173", 5999), "http://127.0.0.1:5999");
});

Deno.test("redirect_to: GoTrue's IsRedirectURLValid (internal/utilities/request.go)", () => {
  const config = {
    siteUrl: "http://127.0.0.1:5173",
    uriAllowList: ["http://localhost:3000/**", "https://*.example.com/auth/*", "myapp://callback"],
  } as AuthConfig;
  const allowed = (url: string) => isRedirectAllowed(config, url);
  assert.equal(allowed("http://127.0.0.1:5173/settings?x=1"), true);
  // Loopback hosts: any port (RFC 8252 §7.3), and IP-literal loopback hosts whatever the scheme.
  assert.equal(allowed("http://127.0.0.1:9/steal"), true, "another port on a loopback SITE_URL");
  assert.equal(allowed("https://127.0.0.1:5173/"), true, "an IP-literal loopback host");
  assert.equal(allowed("javascript://127.0.0.1/%0aalert(1)"), true, "any scheme on a loopback IP literal");
  assert.equal(allowed("http://[::1]:8080/"), true);
  assert.equal(allowed("http://127.0.0.2/"), true, "all of 127.0.0.0/8 is loopback");
  assert.equal(allowed("http://2130706433/"), false, "a host written as one decimal number");
  assert.equal(allowed("http://127.1/"), false, "Go reads 127.1 as a name, not an address");
  assert.equal(allowed("http://10.0.0.1:5173/"), false, "IP literals only when loopback");
  assert.equal(allowed("http://evil_host.example/"), false, "unusual host characters");
  assert.equal(allowed("http://localhost:3000/a/b/c"), true);
  assert.equal(allowed("http://localhost:3001/a"), false, "a loopback name is not SITE_URL's host");
  assert.equal(allowed("https://app.example.com/auth/cb"), true);
  assert.equal(allowed("https://a.b.example.com/auth/cb"), false, "* stays within one label");
  assert.equal(allowed("https://app.example.com/auth/cb/more"), false, "* stays within one segment");
  assert.equal(allowed("https://app.example.com/auth/cb#frag"), true, "matched without the fragment");
  assert.equal(allowed("myapp://callback"), true);
  assert.equal(allowed(" http://127.0.0.1:5173/"), false, "control characters and spaces never match");
  assert.equal(allowed("https://evil.example/"), false);
  // A non-loopback SITE_URL: its host with its own scheme and port only.
  const site = { ...config, siteUrl: "https://habits.example.com" } as AuthConfig;
  assert.equal(isRedirectAllowed(site, "https://habits.example.com/x"), true);
  assert.equal(isRedirectAllowed(site, "https://habits.example.com:8443/x"), false);
  assert.equal(isRedirectAllowed(site, "http://habits.example.com/x"), false);
});
