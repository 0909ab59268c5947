import { Hono } from "hono";
import type { AuthDeps, AuthEnv } from "../http.ts";

/** GET /health and GET /settings, answered like GoTrue with only the e-mail provider enabled. */
export function metaRoutes(deps: AuthDeps): Hono<AuthEnv> {
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
          anonymous_users: false,
          apple: false,
          azure: false,
          bitbucket: false,
          discord: false,
          facebook: false,
          figma: false,
          fly: false,
          github: false,
          gitlab: false,
          google: false,
          keycloak: false,
          kakao: false,
          linkedin: false,
          linkedin_oidc: false,
          notion: false,
          spotify: false,
          slack: false,
          slack_oidc: false,
          workos: false,
          twitch: false,
          twitter: false,
          email: true,
          phone: false,
          zoom: false,
        },
        disable_signup: false,
        mailer_autoconfirm: deps.config.mailerAutoconfirm,
        phone_autoconfirm: false,
        sms_provider: "",
        saml_enabled: false,
      }));
}
