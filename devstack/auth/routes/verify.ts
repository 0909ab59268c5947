import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Db } from "../db.ts";
import { AuthError, validationFailed } from "../errors.ts";
import { EMAIL_SIGNUP, issueAuthCode } from "../flow_state.ts";
import { type AuthDeps, type AuthEnv, readJson, userAgent, validateEmail } from "../http.ts";
import { chooseRedirect } from "../redirects.ts";
import { startSession } from "../sessions.ts";
import { PKCE_PREFIX, tokenHash } from "../tokens.ts";
import {
  confirmUser,
  findUserByConfirmationToken,
  findUserByEmail,
  isBanned,
  type UserRow,
} from "../users.ts";

/** Verification types this server handles: the sign-up confirmation ("email" means the same here). */
const SUPPORTED_TYPES = new Set(["signup", "email"]);
const LINK_INVALID = "Email link is invalid or has expired";
const OTP_INVALID = "Token has expired or is invalid";

const verifyBody = z.object({
  type: z.string().nullish(),
  token: z.string().nullish(),
  token_hash: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  redirect_to: z.string().nullish(),
});

const OAUTH_ERRORS: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized_client",
  403: "access_denied",
  500: "server_error",
  503: "temporarily_unavailable",
};

/** GET /verify (the e-mail link) and POST /verify (verifyOtp with token_hash or e-mail + code). */
export function verifyRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;

  const assertSupportedType = (type: string) => {
    if (!SUPPORTED_TYPES.has(type)) {
      throw validationFailed(`Verification type "${type}" is not supported by the devstack Auth server`);
    }
  };

  const checkUsable = (user: UserRow | null, invalidMessage: string): UserRow => {
    if (!user) throw new AuthError(403, "otp_expired", invalidMessage);
    if (isBanned(user)) throw new AuthError(403, "user_banned", "User is banned");
    const sentAt = user.confirmation_sent_at?.getTime();
    if (sentAt === undefined || Date.now() > sentAt + config.mailerOtpExp * 1000) {
      throw new AuthError(403, "otp_expired", invalidMessage);
    }
    return user;
  };

  const confirmAndStartSession = async (tx: Db, user: UserRow, c: Context) => {
    await confirmUser(tx, user.id);
    return await startSession(config, tx, user.id, "otp", userAgent(c));
  };

  return new Hono<AuthEnv>()
    .get("/verify", async (c) => {
      const token = (c.req.query("token") ?? "").replaceAll("-", "");
      const type = c.req.query("type") ?? "";
      const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));
      if (!type) throw validationFailed("Verify requires a verification type");
      if (!token) throw validationFailed("Verify requires a token or a token hash");
      const pkce = token.startsWith(PKCE_PREFIX);

      try {
        assertSupportedType(type);
        const outcome = await sql.begin(async (tx) => {
          const user = checkUsable(await findUserByConfirmationToken(tx, token), LINK_INVALID);
          if (!pkce) return { kind: "session", session: await confirmAndStartSession(tx, user, c) } as const;
          await confirmUser(tx, user.id);
          const code = await issueAuthCode(tx, user.id, EMAIL_SIGNUP);
          if (!code) throw new AuthError(400, "flow_state_not_found", "No associated flow state found.");
          return { kind: "code", code } as const;
        });
        if (outcome.kind === "code") {
          const target = new URL(redirectTo);
          target.searchParams.set("code", outcome.code);
          return c.redirect(target.toString(), 303);
        }
        const session = outcome.session;
        const fragment = new URLSearchParams({
          access_token: String(session.access_token),
          expires_at: String(session.expires_at),
          expires_in: String(session.expires_in),
          refresh_token: String(session.refresh_token),
          sb: "",
          token_type: "bearer",
          // GoTrue resolves type "email" to the token it matched: here always the sign-up one.
          type: "signup",
        });
        return c.redirect(`${redirectTo}#${fragment}`, 303);
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        return c.redirect(errorRedirect(redirectTo, err, pkce), 303);
      }
    })
    .post("/verify", async (c) => {
      const body = await readJson(c, verifyBody);
      if (!body.type) throw validationFailed("Verify requires a verification type");
      if (!body.token === !body.token_hash) {
        throw validationFailed("Verify requires either a token or a token hash");
      }
      let email: string | null = null;
      if (body.token) {
        if (body.phone && !body.email) {
          throw validationFailed("Phone verification is not supported by the devstack");
        }
        if (!body.email || body.phone) {
          throw validationFailed("Only an email address or phone number should be provided on verify");
        }
        try {
          email = validateEmail(body.email);
        } catch {
          throw new AuthError(422, "validation_failed", "Invalid email format");
        }
      } else if (body.email || body.phone || body.redirect_to) {
        throw validationFailed("Only the token_hash and type should be provided");
      }
      assertSupportedType(body.type);

      const session = await sql.begin(async (tx) => {
        let user: UserRow;
        if (email === null) {
          user = checkUsable(await findUserByConfirmationToken(tx, body.token_hash as string), LINK_INVALID);
        } else {
          user = checkUsable(await findUserByEmail(tx, email), OTP_INVALID);
          const hash = tokenHash(email, (body.token as string).replaceAll("-", ""));
          const stored = user.confirmation_token ?? "";
          if (!stored || (stored !== hash && stored !== PKCE_PREFIX + hash)) {
            throw new AuthError(403, "otp_expired", OTP_INVALID);
          }
        }
        return await confirmAndStartSession(tx, user, c);
      });
      return c.json(session);
    });
}

/** GoTrue's error redirect: error fields in the fragment, and for PKCE in the query string too. */
function errorRedirect(redirectTo: string, err: AuthError, pkce: boolean): string {
  const target = new URL(redirectTo);
  const fields: [string, string][] = [];
  if (OAUTH_ERRORS[err.status]) fields.push(["error", OAUTH_ERRORS[err.status]]);
  fields.push(["error_code", err.code], ["error_description", err.message]);
  if (pkce) { for (const [key, value] of fields) target.searchParams.set(key, value); }
  target.hash = new URLSearchParams([...fields, ["sb", ""]]).toString();
  return target.toString();
}
