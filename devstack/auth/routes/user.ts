import { Hono } from "hono";
import { z } from "zod";
import { checkMailFrequency, mailToken, sendEmailChange, validatePkceParams } from "../confirmation.ts";
import type { Db } from "../db.ts";
import { AuthError, badRequest, validationFailed } from "../errors.ts";
import { findFactors } from "../factors.ts";
import { type AuthDeps, type AuthEnv, readJson, requireUser, validateEmail } from "../http.ts";
import { checkPasswordStrength, hashPassword, passwordMatches } from "../passwords.ts";
import { rateLimited } from "../ratelimit.ts";
import { chooseRedirect } from "../redirects.ts";
import { findSession, logout, type LogoutScope } from "../sessions.ts";
import { tokenHash } from "../tokens.ts";
import {
  applyEmailChange,
  findIdentities,
  findUserByEmail,
  lockUser,
  userJson,
  type UserRow,
} from "../users.ts";

const SCOPES = new Set<string>(["global", "local", "others"]);
/** GoTrue asks for a nonce only when the session is older than this (secure_password_change). */
const RECENT_SIGN_IN_MS = 24 * 3600 * 1000;

const updateBody = z.object({
  email: z.string().nullish(),
  password: z.string().nullish(),
  nonce: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
  phone: z.string().nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

/** GET|PUT /user, GET /reauthenticate and POST /logout: the calls made with a user's access token. */
export function userRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;
  const authenticated = requireUser(deps);

  /** GoTrue's verifyReauthentication: the nonce is the code of the latest reauthentication mail. */
  const checkNonce = async (tx: Db, user: UserRow, nonce: string) => {
    const stored = user.reauthentication_token ?? "";
    const sentAt = user.reauthentication_sent_at?.getTime();
    if (
      !stored || sentAt === undefined || stored !== tokenHash(user.email ?? "", nonce) ||
      Date.now() > sentAt + config.mailerOtpExp * 1000
    ) {
      throw new AuthError(422, "reauthentication_not_valid", "Nonce has expired or is invalid");
    }
    await tx`update auth.users set reauthentication_token = '' where id = ${user.id}`;
  };

  // GoTrue's requireManualLinkingEnabled (internal/api/middleware.go), after requireAuthentication:
  // config.toml's enable_manual_linking is false (the stand-in refuses true), so linking and
  // unlinking identities answer 404 manual_linking_disabled, as GoTrue does with it off.
  const manualLinkingDisabled = () => {
    throw new AuthError(404, "manual_linking_disabled", "Manual linking is disabled");
  };

  return new Hono<AuthEnv>()
    .get("/user/identities/authorize", authenticated, manualLinkingDisabled)
    .delete("/user/identities/:id", authenticated, manualLinkingDisabled)
    .get("/user", authenticated, async (c) => {
      const user = c.get("user");
      return c.json(userJson(user, await findIdentities(sql, user.id), await findFactors(sql, user.id)));
    })
    .put("/user", authenticated, rateLimited(deps.limiters.user), async (c) => {
      const body = await readJson(c, updateBody);
      if (body.phone) throw badRequest("phone_provider_disabled", "Phone logins are disabled");
      const method = validatePkceParams(body.code_challenge_method, body.code_challenge);
      const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));
      const sessionId = c.get("sessionId");
      const newEmail = body.email ? validateEmail(body.email) : null;
      if (body.password !== undefined && body.password !== null) checkPasswordStrength(config, body.password);
      // GoTrue's UserUpdate checks, in its order.
      const current = c.get("user");
      if (body.app_metadata) {
        throw new AuthError(403, "not_admin", "Updating app_metadata requires admin privileges");
      }
      const changesCredentials = !!body.password || (!!newEmail && newEmail !== current.email);
      const factors = changesCredentials ? await findFactors(sql, current.id) : [];
      if (factors.some((factor) => factor.status === "verified")) {
        const session = sessionId ? await findSession(sql, sessionId) : null;
        if (session?.aal !== "aal2") {
          throw new AuthError(
            401,
            "insufficient_aal",
            "AAL2 session is required to update email or password when MFA is enabled.",
          );
        }
      }
      if (current.is_anonymous && body.password && !body.email && !body.phone) {
        throw new AuthError(
          422,
          "validation_failed",
          "Updating password of an anonymous user without an email or phone is not allowed",
        );
      }
      const encrypted = body.password ? await hashPassword(body.password) : null;

      const user = await sql.begin(async (tx) => {
        const user = await lockUser(tx, c.get("user").id) as UserRow;
        if (body.password) {
          // The nonce is asked for before the new password is compared with the old one.
          if (config.updatePasswordRequireReauthentication) {
            const session = sessionId ? await findSession(tx, sessionId) : null;
            if (!session || Date.now() > session.created_at.getTime() + RECENT_SIGN_IN_MS) {
              if (!body.nonce) {
                throw badRequest("reauthentication_needed", "Password update requires reauthentication");
              }
              await checkNonce(tx, user, body.nonce);
            }
          }
          if (await passwordMatches(body.password, user.encrypted_password)) {
            throw new AuthError(
              422,
              "same_password",
              "New password should be different from the old password.",
            );
          }
          await tx`update auth.users set encrypted_password = ${encrypted}, updated_at = now() where id = ${user.id}`;
        }
        if (body.data) {
          // GoTrue merges top-level keys; a null value removes the key.
          const merged: Record<string, unknown> = { ...(user.raw_user_meta_data ?? {}) };
          for (const [key, value] of Object.entries(body.data)) {
            if (value === null) delete merged[key];
            else merged[key] = value;
          }
          await tx`
            update auth.users set raw_user_meta_data = ${
            JSON.stringify(merged)
          }::text::jsonb, updated_at = now()
            where id = ${user.id}`;
        }
        if (newEmail && newEmail !== user.email?.toLowerCase()) {
          const taken = await findUserByEmail(tx, newEmail);
          if (taken && taken.id !== user.id) {
            throw new AuthError(
              422,
              "email_exists",
              "A user with this email address has already been registered",
            );
          }
          await tx`
            update auth.users set email_change = ${newEmail}, email_change_confirm_status = 0,
              email_change_token_new = '', email_change_token_current = '', updated_at = now()
            where id = ${user.id}`;
          if (config.mailerAutoconfirm) await applyEmailChange(tx, user.id);
          else {await sendEmailChange(
              deps,
              tx,
              await lockUser(tx, user.id) as UserRow,
              newEmail,
              method,
              body.code_challenge,
              redirectTo,
            );}
        }
        return await lockUser(tx, user.id) as UserRow;
      });
      return c.json(userJson(user, await findIdentities(sql, user.id), await findFactors(sql, user.id)));
    })
    .get("/reauthenticate", authenticated, async (c) => {
      const current = c.get("user");
      if (!current.email) {
        throw validationFailed("Reauthentication requires the user to have an email or a phone number");
      }
      if (!current.email_confirmed_at) {
        throw new AuthError(422, "email_not_confirmed", "Please verify your email first.");
      }
      await sql.begin(async (tx) => {
        const user = await lockUser(tx, current.id) as UserRow;
        checkMailFrequency(deps, user, "reauthentication_token");
        await mailToken(deps, tx, user, {
          kind: "reauthentication",
          column: "reauthentication_token",
          to: user.email ?? "",
          verifyType: "reauthentication",
          pkce: false,
          redirectTo: config.siteUrl,
        });
      });
      return c.json({});
    })
    .post("/logout", authenticated, async (c) => {
      const scope = c.req.query("scope") || "global";
      if (!SCOPES.has(scope)) throw validationFailed(`Unsupported logout scope "${scope}"`);
      await sql.begin((tx) => logout(tx, scope as LogoutScope, c.get("user").id, c.get("sessionId")));
      return c.body(null, 204);
    });
}
