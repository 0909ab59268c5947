import { Hono } from "hono";
import { publicJwks } from "../../jwt-keys.ts";
import type { AuthDeps, AuthEnv } from "../http.ts";

/** GoTrue's ProviderSettings (internal/api/settings.go), all off here but e-mail and anonymous. */
const DISABLED_PROVIDERS = [
  "apple",
  "azure",
  "bitbucket",
  "discord",
  "facebook",
  "snapchat",
  "figma",
  "fly",
  "github",
  "gitlab",
  "google",
  "keycloak",
  "kakao",
  "linkedin",
  "linkedin_oidc",
  "notion",
  "spotify",
  "slack",
  "slack_oidc",
  "workos",
  "twitch",
  "twitter",
  "zoom",
];

/** GET /health, GET /settings (the real configuration) and GET /.well-known/jwks.json. */
export function metaRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config } = deps;
  return new Hono<AuthEnv>()
    .get("/health", (c) =>
      c.json({
        version: "devstack",
        name: "GoTrue",
        description: "GoTrue is a user registration and authentication API",
      }))
    .get("/settings", (c) =>
      c.json({
        external: {
          ...Object.fromEntries(DISABLED_PROVIDERS.map((name) => [name, false])),
          anonymous_users: config.anonymousUsersEnabled,
          email: config.emailEnabled,
          phone: false,
        },
        disable_signup: config.disableSignup,
        mailer_autoconfirm: config.mailerAutoconfirm,
        phone_autoconfirm: false,
        sms_provider: "",
        saml_enabled: false,
        saml_private_key_next_configured: false,
        passkeys_enabled: false,
      }))
    // GoTrue lists the public halves of its asymmetric keys; an HS256-only server lists none.
    .get("/.well-known/jwks.json", (c) => {
      c.header("Cache-Control", "public, max-age=600");
      return c.json({ keys: publicJwks(config.jwtKeys) });
    });
}
