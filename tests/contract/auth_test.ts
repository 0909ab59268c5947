/**
 * Contract tests of Supabase Auth as supabase-js uses it. They run against SUPABASE_URL (+ MAIL_API_URL)
 * when set, otherwise against a stack of their own (see auth_harness.ts):
 *
 *   deno test -A tests/contract/auth_test.ts
 */
import assert from "node:assert/strict";
import { decodeJwt, SignJWT } from "jose";
import {
  type AuthTestStack,
  mailIdsTo,
  startAuthTestStack,
  waitForMail,
  withAdminSql,
} from "./auth_harness.ts";
import {
  ALLOWED_REDIRECT,
  client,
  confirmedUser,
  follow,
  linkIn,
  otpIn,
  PASSWORD,
  rawAuth,
  signedIn,
  signUpAndGetMail,
  uniqueEmail,
} from "./auth_helpers.ts";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";

/** GET /user with the token: GoTrue's error code, or null when the session is alive. */
async function userErrorCode(stack: AuthTestStack, accessToken: string): Promise<string | null> {
  const response = await rawAuth(stack, "/user", { headers: { Authorization: `Bearer ${accessToken}` } });
  const body = await response.json();
  return response.ok ? null : body.code;
}

Deno.test("Supabase Auth contract (supabase-js)", async (t) => {
  const stack = await startAuthTestStack();
  try {
    await t.step("sign up → mail → link → session works", async () => {
      const supabase = client(stack);
      const email = uniqueEmail("link");
      const mail = await signUpAndGetMail(stack, supabase, email, {
        emailRedirectTo: `${ALLOWED_REDIRECT}/welcome`,
        data: { display_name: "Link Tester" },
      });
      // GoTrue's default confirmation mail (templatemailer.go), config.toml setting none.
      assert.equal(mail.subject, "Confirm Your Email");
      assert.match(mail.text, /Follow this link to confirm your email:/);
      const link = linkIn(mail);
      assert.equal(link.searchParams.get("type"), "signup");
      assert.match(link.searchParams.get("token") ?? "", /^[0-9a-f]{56}$/);
      assert.equal(link.searchParams.get("redirect_to"), `${ALLOWED_REDIRECT}/welcome`);

      const landing = await follow(stack, link);
      assert.equal(`${landing.origin}${landing.pathname}`, `${ALLOWED_REDIRECT}/welcome`);
      const fragment = new URLSearchParams(landing.hash.slice(1));
      assert.equal(fragment.get("token_type"), "bearer");
      assert.equal(fragment.get("type"), "signup");
      assert.equal(fragment.get("expires_in"), "3600");
      assert.ok(fragment.get("refresh_token"));
      assert.ok(Number(fragment.get("expires_at")) > Date.now() / 1000);
      const accessToken = fragment.get("access_token") as string;

      const claims = decodeJwt(accessToken);
      assert.equal(claims.aud, "authenticated");
      assert.equal(claims.role, "authenticated");
      assert.equal(claims.email, email);
      assert.equal(claims.iss, `${stack.url}/auth/v1`);
      assert.equal(claims.aal, "aal1");
      assert.equal(claims.is_anonymous, false);
      assert.equal((claims.exp as number) - (claims.iat as number), 3600);
      assert.ok(typeof claims.session_id === "string");
      assert.deepEqual((claims.app_metadata as Record<string, unknown>).providers, ["email"]);
      assert.equal((claims.user_metadata as Record<string, unknown>).display_name, "Link Tester");

      const { data, error } = await supabase.auth.getUser(accessToken);
      assert.equal(error, null);
      assert.equal(data.user?.email, email);
      assert.ok(data.user?.email_confirmed_at);
      assert.equal(data.user?.user_metadata.display_name, "Link Tester");
      assert.equal(data.user?.user_metadata.email_verified, true);
      assert.equal(data.user?.identities?.length, 1);

      // The link is single-use: following it again lands with an error in the fragment.
      const again = await follow(stack, link);
      const error2 = new URLSearchParams(again.hash.slice(1));
      assert.equal(error2.get("error"), "access_denied");
      assert.equal(error2.get("error_code"), "otp_expired");
      assert.equal(error2.get("error_description"), "Email link is invalid or has expired");
    });

    await t.step("a redirect outside SITE_URL and the allow-list falls back to SITE_URL", async () => {
      const email = uniqueEmail("evil");
      const mail = await signUpAndGetMail(stack, client(stack), email, {
        emailRedirectTo: "https://evil.example.org/steal",
      });
      const redirectTo = linkIn(mail).searchParams.get("redirect_to") ?? "";
      assert.ok(!redirectTo.includes("evil.example.org"), redirectTo);
    });

    await t.step("a confirmed e-mail signing up again gets a fake user, no mail", async () => {
      const email = await confirmedUser(stack, "twice");
      const seen = await mailIdsTo(stack, email);
      const { data, error } = await client(stack).auth.signUp({ email, password: PASSWORD });
      assert.equal(error, null);
      assert.equal(data.session, null);
      assert.deepEqual(data.user?.identities, []);
      const { session } = await signedIn(stack, email);
      assert.notEqual(data.user?.id, session.user.id);
      await sleep(300);
      assert.equal((await mailIdsTo(stack, email)).size, seen.size);
    });

    await t.step("PKCE: link → ?code= → exchangeCodeForSession", async () => {
      const supabase = client(stack, "pkce");
      const email = uniqueEmail("pkce");
      const mail = await signUpAndGetMail(stack, supabase, email, {
        emailRedirectTo: `${ALLOWED_REDIRECT}/cb`,
      });
      const link = linkIn(mail);
      assert.match(link.searchParams.get("token") ?? "", /^pkce_[0-9a-f]{56}$/);
      const landing = await follow(stack, link);
      assert.equal(landing.pathname, "/cb");
      const code = landing.searchParams.get("code");
      assert.ok(code, landing.toString());
      assert.equal(landing.hash, "");

      const { data, error } = await supabase.auth.exchangeCodeForSession(code);
      assert.equal(error, null);
      assert.equal(data.user?.email, email);
      assert.ok(data.session?.access_token);
      const { data: me } = await supabase.auth.getUser();
      assert.equal(me.user?.email, email);

      // The code is single-use.
      const reuse = await rawAuth(stack, "/token?grant_type=pkce", {
        method: "POST",
        body: JSON.stringify({ auth_code: code, code_verifier: "x".repeat(43) }),
      });
      assert.equal(reuse.status, 404);
      assert.equal((await reuse.json()).code, "flow_state_not_found");
    });

    await t.step("PKCE: a wrong code verifier is rejected", async () => {
      const supabase = client(stack, "pkce");
      const email = uniqueEmail("pkce-bad");
      const mail = await signUpAndGetMail(stack, supabase, email, {
        emailRedirectTo: `${ALLOWED_REDIRECT}/cb`,
      });
      const code = (await follow(stack, linkIn(mail))).searchParams.get("code");
      const response = await rawAuth(stack, "/token?grant_type=pkce", {
        method: "POST",
        body: JSON.stringify({ auth_code: code, code_verifier: "y".repeat(56) }),
      });
      assert.equal(response.status, 400);
      assert.equal((await response.json()).code, "bad_code_verifier");
    });

    await t.step("verifyOtp with token_hash and with e-mail + code", async () => {
      const supabase = client(stack);
      const email = uniqueEmail("hash");
      const tokenHash = linkIn(await signUpAndGetMail(stack, supabase, email)).searchParams.get(
        "token",
      ) as string;
      const { data, error } = await supabase.auth.verifyOtp({ type: "signup", token_hash: tokenHash });
      assert.equal(error, null);
      assert.equal(data.user?.email, email);
      assert.ok(data.session?.refresh_token);

      const replay = await supabase.auth.verifyOtp({ type: "signup", token_hash: tokenHash });
      assert.equal(replay.error?.code, "otp_expired");
      assert.equal(replay.error?.status, 403);

      const email2 = uniqueEmail("otp");
      const otp = otpIn(await signUpAndGetMail(stack, supabase, email2));
      const wrong = await supabase.auth.verifyOtp({
        type: "email",
        email: email2,
        token: otp === "000000" ? "111111" : "000000",
      });
      assert.equal(wrong.error?.code, "otp_expired");
      const right = await supabase.auth.verifyOtp({ type: "email", email: email2, token: otp });
      assert.equal(right.error, null);
      assert.equal(right.data.user?.email, email2);
      assert.ok(right.data.session);
    });

    await t.step("sign in: wrong password, unknown e-mail, unconfirmed e-mail", async () => {
      const email = await confirmedUser(stack, "signin");
      const supabase = client(stack);
      const wrong = await supabase.auth.signInWithPassword({ email, password: "not the password" });
      assert.equal(wrong.error?.code, "invalid_credentials");
      assert.equal(wrong.error?.status, 400);
      assert.equal(wrong.error?.message, "Invalid login credentials");
      const unknown = await supabase.auth.signInWithPassword({
        email: uniqueEmail("nobody"),
        password: PASSWORD,
      });
      assert.equal(unknown.error?.code, "invalid_credentials");

      const pending = uniqueEmail("pending");
      await signUpAndGetMail(stack, supabase, pending);
      const unconfirmed = await supabase.auth.signInWithPassword({ email: pending, password: PASSWORD });
      assert.equal(unconfirmed.error?.code, "email_not_confirmed");
      assert.equal(unconfirmed.error?.status, 400);

      const ok = await supabase.auth.signInWithPassword({ email: email.toUpperCase(), password: PASSWORD });
      assert.equal(ok.error, null);
      assert.equal(decodeJwt(ok.data.session!.access_token).amr instanceof Array, true);
    });

    await t.step("sign-up validation: weak password, invalid e-mail, malformed JSON", async () => {
      const supabase = client(stack);
      const weak = await supabase.auth.signUp({ email: uniqueEmail("weak"), password: "12345" });
      assert.equal(weak.error?.code, "weak_password");
      assert.equal(weak.error?.status, 422);
      assert.deepEqual((weak.error as unknown as { reasons: string[] }).reasons, ["length"]);
      if (Deno.env.get("AUTH_TEST_PASSWORD_NEEDS_LETTERS_AND_DIGITS") !== undefined) {
        const noDigits = await supabase.auth.signUp({
          email: uniqueEmail("weak"),
          password: "only letters here",
        });
        assert.equal(noDigits.error?.code, "weak_password");
        assert.deepEqual((noDigits.error as unknown as { reasons: string[] }).reasons, ["characters"]);
      }

      const invalid = await supabase.auth.signUp({ email: "not-an-email", password: PASSWORD });
      assert.equal(invalid.error?.status, 400);
      assert.ok(
        ["validation_failed", "email_address_invalid"].includes(invalid.error?.code ?? ""),
        invalid.error?.code,
      );

      const malformed = await rawAuth(stack, "/signup", { method: "POST", body: "{not json" });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.headers.get("x-sb-error-code"), "bad_json");
      assert.equal(malformed.headers.get("X-Supabase-Api-Version"), "2024-01-01");
      const body = await malformed.json();
      assert.equal(body.code, "bad_json");
      assert.equal(typeof body.message, "string");
    });

    await t.step("legacy error format without X-Supabase-Api-Version", async () => {
      const response = await rawAuth(stack, "/token?grant_type=password", {
        method: "POST",
        versioned: false,
        body: JSON.stringify({ email: uniqueEmail("legacy"), password: PASSWORD }),
      });
      assert.equal(response.status, 400);
      // GoTrue names the code in x-sb-error-code whatever the format.
      assert.equal(response.headers.get("x-sb-error-code"), "invalid_credentials");
      const body = await response.json();
      assert.equal(body.code, 400);
      assert.equal(body.error_code, "invalid_credentials");
      assert.equal(body.msg, "Invalid login credentials");
    });

    await t.step("resend: 200 {} for unknown e-mails, 429 within the mail frequency", async () => {
      const supabase = client(stack);
      const unknown = await supabase.auth.resend({ type: "signup", email: uniqueEmail("ghost") });
      assert.equal(unknown.error, null);

      if (stack.smtpMaxFrequency < 5) return; // too short to observe reliably on this stack
      const email = uniqueEmail("resend");
      await signUpAndGetMail(stack, supabase, email);
      const again = await supabase.auth.resend({ type: "signup", email });
      assert.equal(again.error?.status, 429);
      assert.equal(again.error?.code, "over_email_send_rate_limit");
      assert.match(
        again.error?.message ?? "",
        /^For security purposes, you can only request this after \d+ seconds\.$/,
      );
      const signUpAgain = await supabase.auth.signUp({ email, password: PASSWORD });
      assert.equal(signUpAgain.error?.code, "over_email_send_rate_limit");
    });

    await t.step("resend after the frequency window mails a new working link", async () => {
      if (!stack.adminDatabaseUrl) return; // needs to move the last-sent time back
      const supabase = client(stack);
      const email = uniqueEmail("resend-ok");
      const first = await signUpAndGetMail(stack, supabase, email);
      await withAdminSql(
        stack,
        (sql) =>
          sql`update auth.users set confirmation_sent_at = now() - interval '1 hour' where email = ${email}`,
      );
      const seen = await mailIdsTo(stack, email);
      const { error } = await supabase.auth.resend({ type: "signup", email });
      assert.equal(error, null);
      const second = await waitForMail(stack, email, seen);
      assert.notEqual(linkIn(second).searchParams.get("token"), linkIn(first).searchParams.get("token"));
      const landing = await follow(stack, linkIn(second));
      assert.ok(new URLSearchParams(landing.hash.slice(1)).get("access_token"));
    });

    await t.step("GET /user: missing, forged, expired and anon JWTs", async () => {
      const email = await confirmedUser(stack, "jwt");
      const { session } = await signedIn(stack, email);

      const missing = await stack.fetch(`${stack.url}/auth/v1/user`, {
        headers: { apikey: stack.anonKey, "X-Supabase-Api-Version": "2024-01-01" },
      });
      // Some gateways fill in Authorization from the apikey: then GoTrue sees the anon key (no sub).
      const missingCode = (await missing.json()).code;
      if (missing.status === 401) assert.equal(missingCode, "no_authorization");
      else assert.deepEqual([missing.status, missingCode], [403, "bad_jwt"]);

      const claims = decodeJwt(session.access_token);
      const sign = (secret: string, exp: number) =>
        new SignJWT({ ...claims, exp }).setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .sign(new TextEncoder().encode(secret));
      const now = Math.floor(Date.now() / 1000);
      const supabase = client(stack);
      for (
        const token of [
          await sign("not-the-secret-not-the-secret-not-the-secret", now + 3600),
          await sign(stack.jwtSecret, now - 60),
          stack.anonKey,
        ]
      ) {
        const { data, error } = await supabase.auth.getUser(token);
        assert.equal(data.user, null);
        assert.equal(error?.status, 403);
        assert.equal((error as { code?: string }).code, "bad_jwt");
      }
      const ok = await supabase.auth.getUser(session.access_token);
      assert.equal(ok.data.user?.email, email);
    });

    await t.step("refresh: rotation, parent reuse, reuse within the interval", async () => {
      const email = await confirmedUser(stack, "refresh");
      const { supabase, session } = await signedIn(stack, email);
      const t0 = session.refresh_token;
      const first = await supabase.auth.refreshSession({ refresh_token: t0 });
      assert.equal(first.error, null);
      const t1 = first.data.session!.refresh_token;
      assert.notEqual(t1, t0);

      // The client lost the answer and retries with t0: it gets the active token back.
      const retry = await supabase.auth.refreshSession({ refresh_token: t0 });
      assert.equal(retry.error, null);
      assert.equal(retry.data.session?.refresh_token, t1);

      const second = await supabase.auth.refreshSession({ refresh_token: t1 });
      assert.equal(second.error, null);
      // t0 is no longer the parent of the active token, but still inside the reuse interval.
      const withinWindow = await supabase.auth.refreshSession({ refresh_token: t0 });
      assert.equal(withinWindow.error, null);
      assert.ok(withinWindow.data.session?.access_token);

      const foreign = await supabase.auth.refreshSession({ refresh_token: "abcdefghijkl" });
      assert.equal(foreign.error?.code, "refresh_token_not_found");
      assert.equal(foreign.error?.status, 400);
    });

    await t.step("refresh: reuse after the interval ends the whole session", async () => {
      const email = await confirmedUser(stack, "reuse");
      const { supabase, session } = await signedIn(stack, email);
      const t0 = session.refresh_token;
      const t1 = (await supabase.auth.refreshSession({ refresh_token: t0 })).data.session!.refresh_token;
      const latest = (await supabase.auth.refreshSession({ refresh_token: t1 })).data.session!;
      await sleep(stack.refreshTokenReuseInterval * 1000 + 1200);

      const reuse = await supabase.auth.refreshSession({ refresh_token: t0 });
      assert.equal(reuse.error?.code, "refresh_token_already_used");
      assert.equal(reuse.error?.status, 400);
      assert.equal(reuse.error?.message, "Invalid Refresh Token: Already Used");

      const afterwards = await client(stack).auth.refreshSession({ refresh_token: latest.refresh_token });
      assert.ok(afterwards.error, "the active token of a revoked session must not work");
      assert.equal(await userErrorCode(stack, latest.access_token), "session_not_found");
      // supabase-js turns session_not_found into AuthSessionMissingError (and drops its session).
      const me = await client(stack).auth.getUser(latest.access_token);
      assert.equal(me.error?.name, "AuthSessionMissingError");
    });

    await t.step("signOut scopes: others, local, global", async () => {
      const email = await confirmedUser(stack, "logout");
      const a = await signedIn(stack, email);
      const b = await signedIn(stack, email);
      const probe = client(stack);
      const sessionGone = async (token: string) =>
        (await userErrorCode(stack, token)) === "session_not_found";

      assert.equal((await a.supabase.auth.signOut({ scope: "others" })).error, null);
      assert.equal(await sessionGone(b.session.access_token), true);
      assert.equal(await sessionGone(a.session.access_token), false);

      const raw = await rawAuth(stack, "/logout?scope=local", {
        method: "POST",
        headers: { Authorization: `Bearer ${a.session.access_token}` },
      });
      assert.equal(raw.status, 204);
      assert.equal(await sessionGone(a.session.access_token), true);
      const stale = await probe.auth.refreshSession({ refresh_token: a.session.refresh_token });
      assert.ok(stale.error);

      const c = await signedIn(stack, email);
      const d = await signedIn(stack, email);
      assert.equal((await c.supabase.auth.signOut()).error, null);
      assert.equal(await sessionGone(c.session.access_token), true);
      assert.equal(await sessionGone(d.session.access_token), true);
      const { data } = await c.supabase.auth.getSession();
      assert.equal(data.session, null);
    });

    await t.step("a failing trigger on auth.users is 500 unexpected_failure", async () => {
      if (!stack.adminDatabaseUrl) return; // needs to install a failing trigger
      await withAdminSql(stack, async (sql) => {
        await sql.unsafe(`
          create or replace function public.contract_test_fail_signup() returns trigger language plpgsql as $$
          begin raise exception 'contract test: sign-up refused'; end $$;
          create trigger contract_test_fail_signup before insert on auth.users
          for each row when (new.email like 'trigger-fail-%') execute function public.contract_test_fail_signup();
        `);
      });
      try {
        const email = uniqueEmail("trigger-fail");
        const { data, error } = await client(stack).auth.signUp({ email, password: PASSWORD });
        assert.equal(data.user, null);
        assert.equal(error?.status, 500);
        assert.equal(error?.message, "Database error saving new user");
        // supabase-js reports 5xx as retryable without a code, so read the body directly.
        const raw = await rawAuth(stack, "/signup", {
          method: "POST",
          body: JSON.stringify({ email: uniqueEmail("trigger-fail"), password: PASSWORD }),
        });
        assert.equal(raw.status, 500);
        assert.deepEqual(await raw.json(), {
          code: "unexpected_failure",
          message: "Database error saving new user",
        });
        // The unversioned format shows the trigger's own Postgres error (utilities.NewPostgresError).
        const legacy = await rawAuth(stack, "/signup", {
          method: "POST",
          versioned: false,
          body: JSON.stringify({ email: uniqueEmail("trigger-fail"), password: PASSWORD }),
        });
        assert.equal(legacy.status, 500);
        assert.deepEqual(await legacy.json(), { code: "P0001", message: "contract test: sign-up refused" });
        const rows = await withAdminSql(
          stack,
          (sql) => sql`select 1 from auth.identities where email = ${email}`,
        );
        assert.equal(rows.length, 0);
      } finally {
        await withAdminSql(stack, (sql) =>
          sql.unsafe(`
          drop trigger contract_test_fail_signup on auth.users;
          drop function public.contract_test_fail_signup();
        `));
      }
    });

    await t.step("the sign-up trigger creates the profile from the sign-up data", async () => {
      if (!stack.adminDatabaseUrl) return; // checked through the Data API by the REST contract tests
      const email = uniqueEmail("profile");
      await signUpAndGetMail(stack, client(stack), email, {
        data: { display_name: "Profile Person", timezone: "Europe/Berlin" },
      });
      const [profile] = await withAdminSql(
        stack,
        (sql) =>
          sql`select p.display_name, p.timezone from public.profiles p join auth.users u on u.id = p.id
            where u.email = ${email}`,
      );
      assert.deepEqual({ ...profile }, { display_name: "Profile Person", timezone: "Europe/Berlin" });
    });

    await t.step("settings and health", async () => {
      const settings = await (await rawAuth(stack, "/settings")).json();
      assert.equal(settings.external.email, true);
      assert.equal(typeof settings.mailer_autoconfirm, "boolean");
      // GoTrue's Settings fields (internal/api/settings.go), whatever they are set to.
      assert.deepEqual(Object.keys(settings).sort(), [
        "disable_signup",
        "external",
        "mailer_autoconfirm",
        "passkeys_enabled",
        "phone_autoconfirm",
        "saml_enabled",
        "saml_private_key_next_configured",
        "sms_provider",
      ]);
      assert.equal(typeof settings.external.snapchat, "boolean");
      const health = await rawAuth(stack, "/health");
      assert.equal(health.status, 200);
      await health.body?.cancel();
    });
  } finally {
    await stack.close();
  }
});
