import assert from "node:assert/strict";
import { base64url, importJWK, jwtVerify, SignJWT } from "jose";
import { checkTemplate, renderTemplate } from "../../devstack/auth/mailer.ts";
import { JWT_ALGORITHMS, keyResolver, publicJwks, verificationJwks } from "../../devstack/jwt-keys.ts";
import { DEMO_JWT_SECRET, DEMO_SIGNING_KEY } from "../../devstack/keys.ts";

const sign = async (alg: "HS256" | "ES256", kid?: string) => {
  const key = alg === "HS256"
    ? new TextEncoder().encode(DEMO_JWT_SECRET)
    : await importJWK({ ...DEMO_SIGNING_KEY, key_ops: undefined }, "ES256");
  return await new SignJWT({ role: "authenticated" }).setProtectedHeader({ alg, kid }).setExpirationTime("1h")
    .sign(key);
};

Deno.test("the verification JWKS (PGRST_JWT_SECRET's form) accepts Auth's ES256 and the HS256 keys", async () => {
  const jwks = verificationJwks(DEMO_JWT_SECRET, [DEMO_SIGNING_KEY]);
  assert.equal(JSON.parse(jwks).keys[1].d, undefined, "no private part leaves Auth");
  const resolver = keyResolver(jwks);
  const verify = (token: string) => jwtVerify(token, resolver, { algorithms: JWT_ALGORITHMS });
  assert.equal((await verify(await sign("ES256", DEMO_SIGNING_KEY.kid))).payload.role, "authenticated");
  assert.equal((await verify(await sign("HS256"))).payload.role, "authenticated");
  await assert.rejects(verify(await sign("ES256", "some-other-kid")), /no verification key/);
  // A plain secret (no JWKS) verifies HS256 only.
  await assert.rejects(
    jwtVerify(await sign("ES256", DEMO_SIGNING_KEY.kid), keyResolver(DEMO_JWT_SECRET), {
      algorithms: JWT_ALGORITHMS,
    }),
    /no verification key/,
  );
  assert.deepEqual(publicJwks([DEMO_SIGNING_KEY])[0].key_ops, ["verify"]);
});

Deno.test("the verification JWKS carries Auth's oct keys by kid, and never publishes them", async () => {
  // GoTrue signs with an oct key marked "sign" (internal/conf/jwk.go); its verifiers need it.
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const oct = {
    kty: "oct",
    kid: "oct-1",
    alg: "HS256",
    k: base64url.encode(secret),
    key_ops: ["sign", "verify"],
  };
  const resolver = keyResolver(verificationJwks(DEMO_JWT_SECRET, [oct, DEMO_SIGNING_KEY]));
  const verify = (token: string) => jwtVerify(token, resolver, { algorithms: JWT_ALGORITHMS });
  const octToken = await new SignJWT({ role: "authenticated" }).setProtectedHeader({
    alg: "HS256",
    kid: "oct-1",
  })
    .setExpirationTime("1h").sign(secret);
  assert.equal((await verify(octToken)).payload.role, "authenticated");
  assert.equal((await verify(await sign("HS256"))).payload.role, "authenticated", "the legacy secret too");
  assert.deepEqual(publicJwks([oct, DEMO_SIGNING_KEY]).map((key) => key.kid), [DEMO_SIGNING_KEY.kid]);
});

Deno.test("mail templates: GoTrue's variables are filled in (escaped in HTML); other actions refuse to start", () => {
  const mail = {
    kind: "recovery" as const,
    to: "a@b.test",
    confirmationUrl: "http://x/verify?token=t&type=recovery",
    otp: "123456",
    tokenHash: "t",
    email: "a@b.test",
    redirectTo: "http://x/",
  };
  assert.equal(
    renderTemplate(
      '<a href="{{ .ConfirmationURL }}">{{.Token}}</a> {{ .SiteURL }}',
      mail,
      "http://site",
      true,
    ),
    '<a href="http://x/verify?token=t&amp;type=recovery">123456</a> http://site',
  );
  checkTemplate("recovery", "{{ .Email }} {{ .NewEmail }} {{ .Data }}");
  assert.throws(() => checkTemplate("recovery", "{{ if .Token }}x{{ end }}"), /recovery.*not supported/);
  assert.throws(() => checkTemplate("invite", "{{ .Password }}"), /Password/);
});
