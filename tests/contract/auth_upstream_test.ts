/**
 * GoTrue v2.196.0 behaviour the devstack Auth server reproduces, each case naming the upstream
 * file it follows. Runs against SUPABASE_URL when set (the devstack or `supabase start`),
 * otherwise against a stack of its own (auth_harness.ts).
 */
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { startAuthTestStack } from "./auth_harness.ts";
import {
  client,
  confirmedUser,
  follow,
  linkIn,
  PASSWORD,
  signedIn,
  signUpAndGetMail,
  uniqueEmail,
} from "./auth_helpers.ts";

const codeOf = (error: unknown) => (error as { code?: string } | null)?.code;

Deno.test("GoTrue v2.196.0 parity: admin metadata, identity linking, loopback redirects", async (t) => {
  const stack = await startAuthTestStack();
  const admin = createClient(stack.url, stack.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { fetch: stack.fetch },
  });
  try {
    await t.step(
      "admin createUser, updateUserById and generateLink (signup) keep user_metadata as sent (internal/api/admin.go)",
      async () => {
        // adminUserCreate: models.NewUser(..., params.UserMetaData); the e-mail identity's claims go
        // to identity_data only (createNewIdentity).
        const sent = { display_name: "Ada", nested: { level: 1 } };
        const created = await admin.auth.admin.createUser({
          email: uniqueEmail("admin-meta"),
          password: PASSWORD,
          user_metadata: sent,
        });
        assert.equal(created.error, null);
        assert.deepEqual(created.data.user?.user_metadata, sent);
        const id = created.data.user?.id as string;
        assert.deepEqual((await admin.auth.admin.getUserById(id)).data.user?.user_metadata, sent);

        // adminUserUpdate: UpdateUserMetaData (internal/models/user.go) sets sent keys, removes null ones.
        const updated = await admin.auth.admin.updateUserById(id, {
          user_metadata: { theme: "dark", nested: null },
        });
        assert.equal(updated.error, null);
        assert.deepEqual(updated.data.user?.user_metadata, { display_name: "Ada", theme: "dark" });

        // User.Confirm (internal/models/user.go) adds email_verified when email_confirm is sent.
        const confirmed = await admin.auth.admin.createUser({
          email: uniqueEmail("admin-confirmed"),
          password: PASSWORD,
          user_metadata: { a: 1 },
          email_confirm: true,
        });
        assert.deepEqual(confirmed.data.user?.user_metadata, { a: 1, email_verified: true });

        const linked = await admin.auth.admin.generateLink({
          type: "signup",
          email: uniqueEmail("admin-link"),
          password: PASSWORD,
          options: { data: { plan: "free" } },
        });
        assert.equal(linked.error, null);
        assert.deepEqual(linked.data.user?.user_metadata, { plan: "free" });
      },
    );

    await t.step(
      "linkIdentity and unlinkIdentity: 404 manual_linking_disabled, as with enable_manual_linking = false (internal/api/middleware.go)",
      async () => {
        const supabase = client(stack);
        const email = uniqueEmail("linking");
        const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
        assert.equal(created.error, null);
        const signIn = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
        assert.equal(signIn.error, null);

        const link = await supabase.auth.linkIdentity({
          provider: "google",
          options: { skipBrowserRedirect: true },
        });
        assert.deepEqual([link.error?.status, codeOf(link.error), link.error?.message], [
          404,
          "manual_linking_disabled",
          "Manual linking is disabled",
        ]);
        // Linking by ID token needs a provider to check the token; the stand-in has none.
        const byToken = await supabase.auth.linkIdentity({ provider: "google", token: "an-id-token" });
        assert.deepEqual([byToken.error?.status, codeOf(byToken.error), byToken.error?.message], [
          400,
          "validation_failed",
          "unsupported_grant_type: id_token",
        ]);
        const identity = signIn.data.user?.identities?.[0];
        assert.ok(identity);
        const unlink = await supabase.auth.unlinkIdentity(identity);
        assert.deepEqual([unlink.error?.status, codeOf(unlink.error)], [404, "manual_linking_disabled"]);
        // requireAuthentication runs first: the anon key (no sub) is refused before the linking check.
        const anonymous = await stack.fetch(
          `${stack.url}/auth/v1/user/identities/authorize?provider=google`,
          {
            headers: {
              apikey: stack.anonKey,
              Authorization: `Bearer ${stack.anonKey}`,
              "X-Supabase-Api-Version": "2024-01-01",
            },
          },
        );
        assert.deepEqual([anonymous.status, (await anonymous.json()).code], [403, "bad_jwt"]);
      },
    );

    await t.step(
      "a redirect to SITE_URL's loopback host on another port is followed (internal/utilities/request.go)",
      async () => {
        // IsRedirectURLValid skips the port check for loopback hosts (RFC 8252 §7.3).
        const siteHost = new URL(Deno.env.get("AUTH_TEST_SITE_URL") ?? "http://127.0.0.1:5173").hostname;
        const elsewhere = `http://${siteHost}:4999/welcome`;
        const email = uniqueEmail("loopback");
        const mail = await signUpAndGetMail(stack, client(stack), email, { emailRedirectTo: elsewhere });
        const link = linkIn(mail);
        assert.equal(link.searchParams.get("redirect_to"), elsewhere);
        const landing = await follow(stack, link);
        assert.equal(`${landing.origin}${landing.pathname}`, elsewhere);
        assert.ok(new URLSearchParams(landing.hash.slice(1)).get("access_token"));
      },
    );

    await t.step(
      "a factor's JSON says when it was last challenged, and omits an empty friendly_name (internal/models/factor.go)",
      async () => {
        // Factor: `friendly_name,omitempty`, `phone` (storage.NullString, "" when unset) and
        // `last_challenged_at`, which WriteChallengeToDatabase stamps with every challenge.
        const email = await confirmedUser(stack, "factor-json");
        const { supabase, session } = await signedIn(stack, email);
        const enrolled = await supabase.auth.mfa.enroll({ factorType: "totp" });
        assert.equal(enrolled.error, null);
        const id = enrolled.data?.id as string;
        const before = (await admin.auth.admin.mfa.listFactors({ userId: session.user.id })).data?.factors[0];
        assert.equal(before?.last_challenged_at, null);
        assert.equal("friendly_name" in (before ?? {}), false);
        assert.equal((before as unknown as { phone: string }).phone, "");

        const started = Date.now() - 1000;
        const challenge = await supabase.auth.mfa.challenge({ factorId: id });
        assert.equal(challenge.error, null);
        const { data } = await supabase.auth.getUser();
        const after = data.user?.factors?.find((factor) => factor.id === id);
        const stamped = Date.parse(after?.last_challenged_at as string);
        assert.ok(
          stamped >= started && stamped <= Date.now() + 1000,
          `last_challenged_at ${after?.last_challenged_at}`,
        );
      },
    );
  } finally {
    await stack.close();
  }
});
