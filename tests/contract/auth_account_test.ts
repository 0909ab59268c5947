/**
 * Contract tests of the self-service and admin parts of Supabase Auth, through supabase-js, against
 * SUPABASE_URL (+ MAIL_API_URL) when set, else a stack of their own (auth_harness.ts). Each case
 * names the GoTrue behaviour it follows.
 *
 *   deno test -A tests/contract/auth_account_test.ts
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { base64url, decodeJwt, decodeProtectedHeader } from "jose";
import * as OTPAuth from "otpauth";
import { mailIdsTo, startAuthTestStack, waitForMail } from "./auth_harness.ts";
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

const NEW_PASSWORD = "a different battery 77";
const codeOf = (error: unknown) => (error as { code?: string } | null)?.code;

Deno.test("Supabase Auth contract: accounts people manage themselves, and the admin API", async (t) => {
  const stack = await startAuthTestStack();
  const admin = createClient(stack.url, stack.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: stack.fetch },
  });
  try {
    await t.step(
      "recover: link → #access_token&type=recovery → new password; the link works once",
      async () => {
        const email = await confirmedUser(stack, "recover");
        const seen = await mailIdsTo(stack, email);
        const supabase = client(stack);
        const sent = await supabase.auth.resetPasswordForEmail(email, {
          redirectTo: `${ALLOWED_REDIRECT}/reset`,
        });
        assert.equal(sent.error, null);
        const mail = await waitForMail(stack, email, seen);
        assert.match(mail.subject, /Reset Your Password/);
        const link = linkIn(mail);
        assert.equal(link.searchParams.get("type"), "recovery");
        const landing = await follow(stack, link);
        assert.equal(`${landing.origin}${landing.pathname}`, `${ALLOWED_REDIRECT}/reset`);
        const fragment = new URLSearchParams(landing.hash.slice(1));
        assert.equal(fragment.get("type"), "recovery");
        const session = await supabase.auth.setSession({
          access_token: fragment.get("access_token") as string,
          refresh_token: fragment.get("refresh_token") as string,
        });
        assert.equal(session.error, null);
        assert.deepEqual(decodeJwt(fragment.get("access_token") as string).amr, [
          {
            method: "recovery",
            timestamp:
              (decodeJwt(fragment.get("access_token") as string).amr as { timestamp: number }[])[0].timestamp,
          },
        ]);
        assert.equal((await supabase.auth.updateUser({ password: NEW_PASSWORD })).error, null);
        const old = await client(stack).auth.signInWithPassword({ email, password: PASSWORD });
        assert.equal(codeOf(old.error), "invalid_credentials");
        assert.equal(
          (await client(stack).auth.signInWithPassword({ email, password: NEW_PASSWORD })).error,
          null,
        );
        // GoTrue clears the recovery token when it is used: the same link now fails.
        const again = new URLSearchParams((await follow(stack, link)).hash.slice(1));
        assert.equal(again.get("error_code"), "otp_expired");
      },
    );

    await t.step(
      "recover: the six-digit code instead of the link; wrong codes are 403 otp_expired",
      async () => {
        const email = await confirmedUser(stack, "recover-code");
        const seen = await mailIdsTo(stack, email);
        await client(stack).auth.resetPasswordForEmail(email);
        const mail = await waitForMail(stack, email, seen);
        const supabase = client(stack);
        const wrong = await supabase.auth.verifyOtp({ email, token: "000000", type: "recovery" });
        assert.deepEqual([wrong.error?.status, codeOf(wrong.error)], [403, "otp_expired"]);
        const { data, error } = await supabase.auth.verifyOtp({
          email,
          token: otpIn(mail),
          type: "recovery",
        });
        assert.equal(error, null);
        assert.equal(data.user?.email, email);
        const reused = await client(stack).auth.verifyOtp({ email, token: otpIn(mail), type: "recovery" });
        assert.equal(codeOf(reused.error), "otp_expired");
      },
    );

    await t.step("recover with PKCE: pkce_ link → ?code= → exchangeCodeForSession", async () => {
      const email = await confirmedUser(stack, "recover-pkce");
      const seen = await mailIdsTo(stack, email);
      const supabase = client(stack, "pkce");
      await supabase.auth.resetPasswordForEmail(email, { redirectTo: ALLOWED_REDIRECT });
      const link = linkIn(await waitForMail(stack, email, seen));
      assert.match(link.searchParams.get("token") ?? "", /^pkce_/);
      const landing = await follow(stack, link);
      const code = landing.searchParams.get("code");
      assert.ok(code, landing.href);
      const { data, error } = await supabase.auth.exchangeCodeForSession(code);
      assert.equal(error, null);
      assert.equal(data.user?.email, email);
    });

    await t.step(
      "recover for an unknown address: 200 and no mail (nobody learns who has an account)",
      async () => {
        const email = uniqueEmail("nobody");
        const { error } = await client(stack).auth.resetPasswordForEmail(email);
        assert.equal(error, null);
        await sleep(300);
        assert.equal((await mailIdsTo(stack, email)).size, 0);
      },
    );

    await t.step(
      "signInWithOtp: magic link mail for a confirmed user; code or token_hash signs in",
      async () => {
        const email = await confirmedUser(stack, "magic");
        const seen = await mailIdsTo(stack, email);
        assert.equal((await client(stack).auth.signInWithOtp({ email })).error, null);
        const mail = await waitForMail(stack, email, seen);
        assert.match(mail.subject, /Magic Link/);
        assert.equal(linkIn(mail).searchParams.get("type"), "magiclink");
        const byCode = await client(stack).auth.verifyOtp({ email, token: otpIn(mail), type: "email" });
        assert.equal(byCode.error, null);
        assert.equal(byCode.data.session?.user.email, email);
      },
    );

    await t.step(
      "signInWithOtp: magic link by token_hash (the link's token) with type magiclink",
      async () => {
        const email = await confirmedUser(stack, "magic-hash");
        const seen = await mailIdsTo(stack, email);
        await client(stack).auth.signInWithOtp({ email });
        const hash = linkIn(await waitForMail(stack, email, seen)).searchParams.get("token") as string;
        const { data, error } = await client(stack).auth.verifyOtp({ token_hash: hash, type: "magiclink" });
        assert.equal(error, null);
        assert.equal(data.user?.email, email);
      },
    );

    await t.step(
      "signInWithOtp: create_user false refuses unknown addresses (422 otp_disabled); true signs up",
      async () => {
        const email = uniqueEmail("otp-new");
        const refused = await client(stack).auth.signInWithOtp({
          email,
          options: { shouldCreateUser: false },
        });
        assert.deepEqual([refused.error?.status, codeOf(refused.error)], [422, "otp_disabled"]);
        const seen = await mailIdsTo(stack, email);
        assert.equal(
          (await client(stack).auth.signInWithOtp({ email, options: { data: { name: "Ola" } } })).error,
          null,
        );
        const mail = await waitForMail(stack, email, seen);
        // A new user gets the sign-up confirmation, whose code verifies as type "email".
        assert.equal(linkIn(mail).searchParams.get("type"), "signup");
        const { data, error } = await client(stack).auth.verifyOtp({
          email,
          token: otpIn(mail),
          type: "email",
        });
        assert.equal(error, null);
        assert.equal(data.user?.user_metadata.name, "Ola");
        assert.ok(data.user?.email_confirmed_at);
      },
    );

    await t.step("updateUser: user_metadata merges; weak and unchanged passwords are refused", async () => {
      const email = await confirmedUser(stack, "update");
      const { supabase } = await signedIn(stack, email);
      const merged = await supabase.auth.updateUser({ data: { theme: "dark" } });
      assert.equal(merged.error, null);
      assert.equal(merged.data.user?.user_metadata.theme, "dark");
      assert.equal(merged.data.user?.user_metadata.email, email, "earlier keys stay");
      const weak = await supabase.auth.updateUser({ password: "short" });
      assert.deepEqual([weak.error?.status, codeOf(weak.error)], [422, "weak_password"]);
      const same = await supabase.auth.updateUser({ password: PASSWORD });
      assert.deepEqual([same.error?.status, codeOf(same.error)], [422, "same_password"]);
    });

    await t.step("updateUser email: taken addresses are 422 email_exists", async () => {
      const other = await confirmedUser(stack, "taken");
      const email = await confirmedUser(stack, "taker");
      const { supabase } = await signedIn(stack, email);
      const { error } = await supabase.auth.updateUser({ email: other });
      assert.deepEqual([error?.status, codeOf(error)], [422, "email_exists"]);
    });

    await t.step("updateUser email with double_confirm_changes: both inboxes must confirm", async () => {
      const email = await confirmedUser(stack, "change");
      const next = uniqueEmail("changed");
      const { supabase } = await signedIn(stack, email);
      const seenOld = await mailIdsTo(stack, email);
      const { data, error } = await supabase.auth.updateUser({ email: next }, {
        emailRedirectTo: ALLOWED_REDIRECT,
      });
      assert.equal(error, null);
      assert.equal(data.user?.new_email, next);
      assert.equal(data.user?.email, email, "nothing changes before confirmation");
      const toNew = await waitForMail(stack, next);
      const toOld = await waitForMail(stack, email, seenOld);
      assert.match(toNew.subject, /Confirm Email Change/);
      const first = await rawAuth(stack, "/verify", {
        method: "POST",
        body: JSON.stringify({ email, token: otpIn(toOld), type: "email_change" }),
      });
      assert.equal(first.status, 200);
      assert.deepEqual(await first.json(), {
        msg: "Confirmation link accepted. Please proceed to confirm link sent to the other email",
        code: "200",
      }, "one of two confirmations: no session yet");
      assert.equal((await supabase.auth.getUser()).data.user?.email, email);
      const second = await follow(stack, linkIn(toNew));
      assert.ok(new URLSearchParams(second.hash.slice(1)).get("access_token"), second.href);
      const signIn = await client(stack).auth.signInWithPassword({ email: next, password: PASSWORD });
      assert.equal(signIn.error, null);
      assert.equal(signIn.data.user?.email, next);
    });

    await t.step(
      "updateUser password: changed without a nonce right after signing in (secure_password_change off)",
      async () => {
        const email = await confirmedUser(stack, "password");
        const { supabase } = await signedIn(stack, email);
        assert.equal((await supabase.auth.updateUser({ password: NEW_PASSWORD })).error, null);
        assert.equal(
          (await client(stack).auth.signInWithPassword({ email, password: NEW_PASSWORD })).error,
          null,
        );
      },
    );

    await t.step("reauthenticate: mails a code (no link), 200", async () => {
      const email = await confirmedUser(stack, "reauth");
      const { supabase } = await signedIn(stack, email);
      const seen = await mailIdsTo(stack, email);
      assert.equal((await supabase.auth.reauthenticate()).error, null);
      const mail = await waitForMail(stack, email, seen);
      assert.match(mail.subject, /reauthentication/i);
      assert.match(otpIn(mail), /^\d{6}$/);
      assert.equal(/\/auth\/v1\/verify/.test(mail.text), false);
    });

    await t.step(
      "redirect_to with a host GoTrue refuses falls back to SITE_URL (internal/utilities/request.go)",
      async () => {
        // A host written as one number, a dotted form Go does not read as an address, an unusual
        // name: none is SITE_URL's host, a loopback IP literal or in the allow-list.
        for (
          const target of ["http://2130706433:9/steal", "http://127.1:9/steal", "http://evil_host.test/x"]
        ) {
          const email = uniqueEmail("steal");
          const mail = await signUpAndGetMail(stack, client(stack), email, { emailRedirectTo: target });
          const landing = await follow(stack, linkIn(mail));
          assert.notEqual(landing.port, "9");
          assert.ok(!landing.href.startsWith(target), landing.href);
        }
      },
    );

    await t.step("getClaims: access tokens are ES256 with the JWKS at /.well-known/jwks.json", async () => {
      const email = await confirmedUser(stack, "claims");
      const { supabase, session } = await signedIn(stack, email);
      const header = decodeProtectedHeader(session.access_token);
      assert.equal(header.alg, "ES256");
      const jwks = await (await stack.fetch(`${stack.url}/auth/v1/.well-known/jwks.json`)).json();
      assert.ok(jwks.keys.some((key: { kid: string }) => key.kid === header.kid));
      const { data, error } = await supabase.auth.getClaims();
      assert.equal(error, null);
      assert.equal(data?.claims.email, email);
      assert.equal(data?.claims.aal, "aal1");
    });

    await t.step(
      "TOTP: enroll (QR), challenge, verify → aal2 with totp in amr; next sign-in asks for aal2",
      async () => {
        const email = await confirmedUser(stack, "totp");
        const { supabase } = await signedIn(stack, email);
        const enrolled = await supabase.auth.mfa.enroll({ factorType: "totp", friendlyName: "phone" });
        assert.equal(enrolled.error, null);
        const factor = enrolled.data as {
          id: string;
          totp: { qr_code: string; secret: string; uri: string };
        };
        assert.match(factor.totp.qr_code, /^data:image\/svg\+xml;utf-8,<svg/);
        assert.match(factor.totp.uri, /^otpauth:\/\/totp\//);
        const code = () =>
          new OTPAuth.TOTP({ secret: factor.totp.secret, algorithm: "SHA1", digits: 6, period: 30 })
            .generate();
        const again = await supabase.auth.mfa.enroll({ factorType: "totp", friendlyName: "phone" });
        assert.deepEqual([again.error?.status, codeOf(again.error)], [422, "mfa_factor_name_conflict"]);
        const challenge = await supabase.auth.mfa.challenge({ factorId: factor.id });
        assert.equal(challenge.error, null);
        // GoTrue's mfa.go: no code is 400; an unknown challenge 422 mfa_factor_not_found.
        const empty = await supabase.auth.mfa.verify({
          factorId: factor.id,
          challengeId: challenge.data?.id as string,
          code: "",
        });
        assert.deepEqual([empty.error?.status, codeOf(empty.error)], [400, "validation_failed"]);
        const unknown = await supabase.auth.mfa.verify({
          factorId: factor.id,
          challengeId: crypto.randomUUID(),
          code: code(),
        });
        assert.deepEqual([unknown.error?.status, codeOf(unknown.error)], [422, "mfa_factor_not_found"]);
        const wrong = await supabase.auth.mfa.verify({
          factorId: factor.id,
          challengeId: challenge.data?.id as string,
          code: code() === "000000" ? "111111" : "000000",
        });
        assert.deepEqual([wrong.error?.status, codeOf(wrong.error)], [422, "mfa_verification_failed"]);
        const verified = await supabase.auth.mfa.verify({
          factorId: factor.id,
          challengeId: challenge.data?.id as string,
          code: code(),
        });
        assert.equal(verified.error, null);
        const claims = decodeJwt(verified.data?.access_token as string);
        assert.equal(claims.aal, "aal2");
        assert.deepEqual((claims.amr as { method: string }[]).map((entry) => entry.method), [
          "totp",
          "password",
        ]);
        const level = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
        assert.equal(level.data?.currentLevel, "aal2");
        // A used challenge is answered like one from another address.
        const reused = await supabase.auth.mfa.verify({
          factorId: factor.id,
          challengeId: challenge.data?.id as string,
          code: code(),
        });
        assert.deepEqual([reused.error?.status, codeOf(reused.error)], [422, "mfa_ip_address_mismatch"]);

        const bystander = await signedIn(stack, email);
        const later = await signedIn(stack, email);
        const next = await later.supabase.auth.mfa.getAuthenticatorAssuranceLevel();
        assert.deepEqual([next.data?.currentLevel, next.data?.nextLevel], ["aal1", "aal2"]);
        const early = await later.supabase.auth.mfa.unenroll({ factorId: factor.id });
        assert.deepEqual([early.error?.status, codeOf(early.error)], [422, "insufficient_aal"]);
        const second = await later.supabase.auth.mfa.enroll({ factorType: "totp", friendlyName: "tablet" });
        assert.deepEqual([second.error?.status, codeOf(second.error)], [403, "insufficient_aal"]);
        const password = await later.supabase.auth.updateUser({ password: NEW_PASSWORD });
        assert.deepEqual([password.error?.status, codeOf(password.error)], [401, "insufficient_aal"]);
        const malformed = await rawAuth(stack, "/factors/not-a-uuid", {
          method: "DELETE",
          headers: { Authorization: `Bearer ${later.session.access_token}` },
        });
        assert.deepEqual([malformed.status, (await malformed.json()).code], [404, "validation_failed"]);
        const listed = await admin.auth.admin.mfa.listFactors({ userId: later.session.user.id });
        assert.deepEqual(listed.data?.factors.map((f) => f.status), ["verified"]);
        const stepUp = await later.supabase.auth.mfa.challengeAndVerify({
          factorId: factor.id,
          code: code(),
        });
        assert.equal(stepUp.error, null);
        // Stepping up ends the user's other sessions still at aal1.
        const gone = await rawAuth(stack, "/user", {
          headers: { Authorization: `Bearer ${bystander.session.access_token}` },
        });
        assert.deepEqual([gone.status, (await gone.json()).code], [403, "session_not_found"]);
        assert.equal((await later.supabase.auth.mfa.unenroll({ factorId: factor.id })).error, null);
        // Unenrolling takes the session back to aal1 without totp in amr (DowngradeSessionsToAAL1).
        const refreshed = await later.supabase.auth.refreshSession();
        const downgraded = decodeJwt(refreshed.data.session?.access_token as string);
        assert.equal(downgraded.aal, "aal1");
        assert.deepEqual((downgraded.amr as { method: string }[]).map((entry) => entry.method), ["password"]);
        const after = await client(stack).auth.signInWithPassword({ email, password: PASSWORD });
        assert.equal(after.data.user?.factors?.length ?? 0, 0);
      },
    );

    await t.step("admin: create (email_confirm), get, list, update (ban), delete; refusals", async () => {
      const email = uniqueEmail("admin-made");
      const created = await admin.auth.admin.createUser({
        email,
        password: PASSWORD,
        email_confirm: true,
        user_metadata: { name: "Made" },
      });
      assert.equal(created.error, null);
      const id = created.data.user?.id as string;
      assert.ok(created.data.user?.email_confirmed_at);
      const dup = await admin.auth.admin.createUser({ email, password: PASSWORD });
      assert.deepEqual([dup.error?.status, codeOf(dup.error)], [422, "email_exists"]);
      assert.equal((await admin.auth.admin.getUserById(id)).data.user?.user_metadata.name, "Made");
      const listed = await admin.auth.admin.listUsers({ page: 1, perPage: 2 });
      assert.equal(listed.error, null);
      assert.equal(listed.data.users.length, 2);
      assert.ok(((listed.data as { total?: number }).total ?? 0) >= 2);
      assert.equal((await client(stack).auth.signInWithPassword({ email, password: PASSWORD })).error, null);
      await admin.auth.admin.updateUserById(id, { ban_duration: "24h" });
      const banned = await client(stack).auth.signInWithPassword({ email, password: PASSWORD });
      assert.equal(codeOf(banned.error), "user_banned");
      const factors = await admin.auth.admin.mfa.listFactors({ userId: id });
      assert.equal(factors.error, null);
      assert.deepEqual(factors.data?.factors, []);
      const malformed = await rawAuth(stack, `/admin/users/${id}`, {
        method: "DELETE",
        body: "{",
        headers: { Authorization: `Bearer ${stack.serviceRoleKey}` },
      });
      assert.deepEqual(
        [malformed.status, (await malformed.json()).code],
        [400, "bad_json"],
        "nothing deleted",
      );
      assert.equal((await admin.auth.admin.deleteUser(id)).error, null);
      const gone = await admin.auth.admin.getUserById(id);
      assert.deepEqual([gone.error?.status, codeOf(gone.error)], [404, "user_not_found"]);
      // The anon key is no admin: GoTrue's 403 not_admin.
      const response = await rawAuth(stack, "/admin/users");
      assert.deepEqual([response.status, (await response.json()).code], [403, "not_admin"]);
    });

    await t.step(
      "admin deleteUser with should_soft_delete: the row stays, sign-in and the address are freed",
      async () => {
        const email = await confirmedUser(stack, "soft");
        const { data } = await client(stack).auth.signInWithPassword({ email, password: PASSWORD });
        const id = data.user?.id as string;
        assert.equal((await admin.auth.admin.deleteUser(id, true)).error, null);
        const signIn = await client(stack).auth.signInWithPassword({ email, password: PASSWORD });
        assert.equal(codeOf(signIn.error), "invalid_credentials");
        const still = await admin.auth.admin.getUserById(id);
        assert.equal(still.error, null);
        // GoTrue's SoftDeleteUser: addresses become base64url(SHA-256(id + value)), the phone its
        // first 15 characters; metadata emptied; identities kept with their data emptied.
        const hash = async (value: string) =>
          base64url.encode(
            new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id + value))),
          );
        assert.equal(still.data.user?.email, await hash(email));
        assert.equal(still.data.user?.phone, (await hash("")).slice(0, 15));
        assert.deepEqual(still.data.user?.user_metadata, {});
        assert.deepEqual(still.data.user?.app_metadata, {});
        assert.deepEqual(still.data.user?.identities?.map((identity) => identity.identity_data), [{}]);
        const ended = await client(stack).auth.getUser(data.session?.access_token);
        assert.ok(ended.error, "the user's sessions are gone");
        assert.equal((await admin.auth.admin.deleteUser(id, true)).error, null, "again: nothing to do");
        const notUuid = await rawAuth(stack, "/admin/users/not-a-uuid", {
          headers: { Authorization: `Bearer ${stack.serviceRoleKey}` },
        });
        assert.deepEqual([notUuid.status, (await notUuid.json()).code], [404, "validation_failed"]);
      },
    );

    await t.step(
      "admin generateLink (recovery) and inviteUserByEmail (mail → invite code → session)",
      async () => {
        const email = await confirmedUser(stack, "generated");
        const link = await admin.auth.admin.generateLink({ type: "recovery", email });
        assert.equal(link.error, null);
        assert.equal(link.data.properties?.verification_type, "recovery");
        const landing = await follow(stack, new URL(link.data.properties?.action_link as string));
        assert.ok(new URLSearchParams(landing.hash.slice(1)).get("access_token"));
        const unknown = await admin.auth.admin.generateLink({
          type: "magiclink",
          email: uniqueEmail("nobody"),
        });
        assert.equal(unknown.error?.status, 404);

        const invited = uniqueEmail("invited");
        const invite = await admin.auth.admin.inviteUserByEmail(invited, { data: { from: "admin" } });
        assert.equal(invite.error, null);
        assert.ok(invite.data.user?.invited_at);
        const mail = await waitForMail(stack, invited);
        assert.match(mail.subject, /invited/i);
        const { data, error } = await client(stack).auth.verifyOtp({
          email: invited,
          token: otpIn(mail),
          type: "invite",
        });
        assert.equal(error, null);
        assert.equal(data.user?.user_metadata.from, "admin");
        const again = await admin.auth.admin.inviteUserByEmail(invited);
        assert.equal(codeOf(again.error), "email_exists");
      },
    );
  } finally {
    await stack.close();
  }
});
