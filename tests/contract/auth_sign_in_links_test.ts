/**
 * Sign-in links and pre-registration, through the real supabase-js client:
 * - a password typed before an address was first confirmed never signs in afterwards (the
 *   project's trigger on auth.users, supabase/migrations/20261207140000_close_pre_registration.sql);
 * - the PKCE exchange follows GoTrue v2.196.0: internal/api/token.go (PKCE grant: expiry, then the
 *   verifier, the session's `amr` from the flow's authentication method) and
 *   internal/models/flow_state.go (IsExpired: a magic link counts from its code's issue, every
 *   other flow from its creation; FindFlowStateByUserID takes the newest flow of the method).
 *
 *   deno test -A tests/contract/auth_sign_in_links_test.ts
 */
import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { mailIdsTo, startAuthTestStack, waitForMail, withAdminSql } from "./auth_harness.ts";
import {
  ALLOWED_REDIRECT,
  choosePassword,
  client,
  confirmedUser,
  follow,
  linkIn,
  otpIn,
  PASSWORD,
  signUpAndGetMail,
  uniqueEmail,
} from "./auth_helpers.ts";

const STRANGER_PASSWORD = "stranger typed this 1";
const OWNER_PASSWORD = "owner typed this 2";

Deno.test("Sign-in links and pre-registration (supabase-js)", async (t) => {
  const stack = await startAuthTestStack();
  try {
    await t.step(
      "a stranger's password from an earlier sign-up no longer signs in once the owner confirms",
      async () => {
        if (!stack.adminDatabaseUrl) return; // the stranger's sign-up must age past max_frequency
        const email = uniqueEmail("prereg");
        const stranger = await client(stack).auth.signUp({ email, password: STRANGER_PASSWORD });
        assert.equal(stranger.error, null);
        // Long before the owner arrives (else Auth answers 429 within max_frequency).
        await withAdminSql(
          stack,
          (sql) =>
            sql`update auth.users set confirmation_sent_at = now() - interval '1 hour' where email = ${email}`,
        );

        const owner = client(stack, "pkce");
        const seen = await mailIdsTo(stack, email);
        const signUp = await owner.auth.signUp({
          email,
          password: OWNER_PASSWORD,
          options: { emailRedirectTo: `${ALLOWED_REDIRECT}/auth/confirm` },
        });
        assert.equal(signUp.error, null);
        const landing = await follow(stack, linkIn(await waitForMail(stack, email, seen)));
        const code = landing.searchParams.get("code");
        assert.ok(code, landing.href);
        const exchanged = await owner.auth.exchangeCodeForSession(code);
        assert.equal(exchanged.error, null, "the owner's own browser gets the session");

        const strangerSignIn = await client(stack).auth.signInWithPassword({
          email,
          password: STRANGER_PASSWORD,
        });
        assert.equal(strangerSignIn.error?.code, "invalid_credentials");
        assert.equal(strangerSignIn.error?.message, "Invalid login credentials");
        assert.equal(strangerSignIn.data.session, null);

        // The owner chooses a password with the confirming session; it signs in, the stranger's still not.
        const chosen = await owner.auth.updateUser({ password: OWNER_PASSWORD });
        assert.equal(chosen.error, null);
        const ownerSignIn = await client(stack).auth.signInWithPassword({ email, password: OWNER_PASSWORD });
        assert.equal(ownerSignIn.error, null);
        assert.ok(ownerSignIn.data.session);
        const again = await client(stack).auth.signInWithPassword({ email, password: STRANGER_PASSWORD });
        assert.equal(again.error?.code, "invalid_credentials");
      },
    );

    await t.step(
      "a sign-up flow expires from its creation: a late link confirms but its code gives no session",
      async () => {
        if (!stack.adminDatabaseUrl) return; // ages the flow state
        const supabase = client(stack, "pkce");
        const email = uniqueEmail("pkce-late");
        const mail = await signUpAndGetMail(stack, supabase, email, {
          emailRedirectTo: `${ALLOWED_REDIRECT}/cb`,
        });
        await withAdminSql(
          stack,
          (sql) =>
            sql`update auth.flow_state set created_at = now() - interval '301 seconds'
                where user_id = (select id from auth.users where email = ${email})`,
        );
        const code = (await follow(stack, linkIn(mail))).searchParams.get("code");
        assert.ok(code, "the link still confirms and hands out a code");
        const { error } = await supabase.auth.exchangeCodeForSession(code);
        assert.equal(error?.code, "flow_state_expired");
        assert.equal(error?.status, 422);
        const [user] = await withAdminSql(
          stack,
          (sql) =>
            sql<
              { confirmed: boolean }[]
            >`select email_confirmed_at is not null as confirmed from auth.users where email = ${email}`,
        );
        assert.equal(user.confirmed, true, "the address is confirmed all the same");
      },
    );

    await t.step("a PKCE session's amr names the flow that started it (recovery)", async () => {
      const email = await confirmedUser(stack, "pkce-amr");
      const seen = await mailIdsTo(stack, email);
      const supabase = client(stack, "pkce");
      await supabase.auth.resetPasswordForEmail(email, { redirectTo: ALLOWED_REDIRECT });
      const code = (await follow(stack, linkIn(await waitForMail(stack, email, seen)))).searchParams.get(
        "code",
      );
      assert.ok(code);
      const { data, error } = await supabase.auth.exchangeCodeForSession(code);
      assert.equal(error, null);
      const amr = decodeJwt(data.session?.access_token ?? "").amr as { method: string }[];
      assert.equal(amr[0]?.method, "recovery");
    });

    await t.step("confirming with the implicit flow also clears the earlier password", async () => {
      const email = uniqueEmail("implicit-prereg");
      const landing = await follow(stack, linkIn(await signUpAndGetMail(stack, client(stack), email)));
      const before = await client(stack).auth.signInWithPassword({ email, password: PASSWORD });
      assert.equal(before.error?.code, "invalid_credentials");
      await choosePassword(stack, new URLSearchParams(landing.hash.slice(1)).get("access_token"));
      const after = await client(stack).auth.signInWithPassword({ email, password: PASSWORD });
      assert.equal(after.error, null);
    });

    await t.step("confirming with the e-mailed code also clears the earlier password", async () => {
      const email = uniqueEmail("code-prereg");
      const supabase = client(stack);
      const otp = otpIn(await signUpAndGetMail(stack, supabase, email));
      const verified = await supabase.auth.verifyOtp({ type: "email", email, token: otp });
      assert.equal(verified.error, null);
      const before = await client(stack).auth.signInWithPassword({ email, password: PASSWORD });
      assert.equal(before.error?.code, "invalid_credentials");
    });
  } finally {
    await stack.close();
  }
});
