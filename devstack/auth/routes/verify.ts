import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Db } from "../db.ts";
import { AuthError, validationFailed } from "../errors.ts";
import { EMAIL_SIGNUP, issueAuthCode } from "../flow_state.ts";
import { type AuthDeps, type AuthEnv, readJson, userAgent, validateEmail } from "../http.ts";
import { rateLimited } from "../ratelimit.ts";
import { chooseRedirect } from "../redirects.ts";
import { type AuthMethod, startSession } from "../sessions.ts";
import { PKCE_PREFIX, tokenHash } from "../tokens.ts";
import {
  applyEmailChange,
  clearToken,
  confirmUser,
  findUserByToken,
  findUsersByEmailOrNewEmail,
  isBanned,
  SENT_AT,
  type TokenColumn,
  type UserRow,
} from "../users.ts";

/** Which token columns each verification type checks, and what the session records. */
const TYPES: Record<string, { columns: TokenColumn[]; amr: AuthMethod }> = {
  signup: { columns: ["confirmation_token"], amr: "otp" },
  invite: { columns: ["confirmation_token"], amr: "otp" },
  recovery: { columns: ["recovery_token"], amr: "recovery" },
  magiclink: { columns: ["recovery_token"], amr: "otp" },
  email_change: { columns: ["email_change_token_new", "email_change_token_current"], amr: "otp" },
  // "email" is either a sign-up confirmation or a magic link / recovery code.
  email: { columns: ["confirmation_token", "recovery_token"], amr: "otp" },
};
/** auth.flow_state.authentication_method of each PKCE flow. */
const FLOW_METHODS: Record<string, string> = {
  signup: EMAIL_SIGNUP,
  invite: "invite",
  recovery: "recovery",
  magiclink: "magiclink",
  email_change: "email_change",
};
const LINK_INVALID = "Email link is invalid or has expired";
const OTP_INVALID = "Token has expired or is invalid";
export const EMAIL_CHANGE_HALF_DONE =
  "Confirmation link accepted. Please proceed to confirm link sent to the other email";

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

type Outcome =
  | { kind: "session"; session: Record<string, unknown>; type: string }
  | { kind: "code"; code: string }
  | { kind: "half"; message: string };

/** GET /verify (the e-mail link) and POST /verify (verifyOtp with token_hash or e-mail + code). */
export function verifyRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;

  const typeOf = (type: string) => {
    const known = TYPES[type];
    if (known) return known;
    if (["sms", "phone_change"].includes(type)) {
      throw validationFailed(`Verification type "${type}" is not supported by the devstack Auth server`);
    }
    throw validationFailed("Unsupported verification type");
  };

  /** The user and the token column the presented hash or code matches; GoTrue's 403s otherwise. */
  const findMatch = async (
    tx: Db,
    type: string,
    presented: { hash: string } | { email: string; otp: string },
  ): Promise<{ user: UserRow; column: TokenColumn }> => {
    const { columns } = typeOf(type);
    let found: { user: UserRow; column: TokenColumn } | null = null;
    if ("hash" in presented) {
      const user = await findUserByToken(tx, columns, presented.hash);
      const column = user && columns.find((name) => user[name] === presented.hash);
      if (user && column) found = { user, column };
    } else {
      const hash = tokenHash(presented.email, presented.otp);
      for (const user of await findUsersByEmailOrNewEmail(tx, presented.email)) {
        const column = columns.find((name) => {
          const address = name === "email_change_token_new" ? user.email_change : user.email;
          const stored = user[name] as string | null;
          return address?.toLowerCase() === presented.email && !!stored &&
            (stored === hash || stored === PKCE_PREFIX + hash);
        });
        if (column) found = { user, column };
      }
    }
    const invalid = "hash" in presented ? LINK_INVALID : OTP_INVALID;
    if (!found) throw new AuthError(403, "otp_expired", invalid);
    if (isBanned(found.user)) throw new AuthError(403, "user_banned", "User is banned");
    const sentAt = (found.user[SENT_AT[found.column]] as Date | null)?.getTime();
    if (sentAt === undefined || Date.now() > sentAt + config.mailerOtpExp * 1000) {
      throw new AuthError(403, "otp_expired", invalid);
    }
    return found;
  };

  /** Applies the verified token; null when an e-mail change still waits for its other link. */
  const apply = async (tx: Db, user: UserRow, column: TokenColumn): Promise<boolean> => {
    if (column === "confirmation_token") await confirmUser(tx, user.id);
    else if (column === "recovery_token") {
      await clearToken(tx, user.id, "recovery_token");
      if (!user.email_confirmed_at) await confirmUser(tx, user.id);
    } else {
      const other = column === "email_change_token_new"
        ? "email_change_token_current"
        : "email_change_token_new";
      const secure = config.mailerSecureEmailChange && (user[other] as string | null) &&
        user.email_change_confirm_status === 0;
      if (secure) {
        await tx`
          update auth.users set ${tx(column)} = '', email_change_confirm_status = 1, updated_at = now()
          where id = ${user.id}`;
        return false;
      }
      await applyEmailChange(tx, user.id);
    }
    return true;
  };

  const verify = async (
    c: Context<AuthEnv>,
    type: string,
    presented: { hash: string } | { email: string; otp: string },
    pkceRedirect: boolean,
  ): Promise<Outcome> =>
    await sql.begin(async (tx) => {
      const { user, column } = await findMatch(tx, type, presented);
      if (!(await apply(tx, user, column))) return { kind: "half", message: EMAIL_CHANGE_HALF_DONE } as const;
      const resolved = type === "email" ? (column === "confirmation_token" ? "signup" : "magiclink") : type;
      if (pkceRedirect) {
        const code = await issueAuthCode(tx, user.id, FLOW_METHODS[resolved]);
        if (!code) throw new AuthError(400, "flow_state_not_found", "No associated flow state found.");
        return { kind: "code", code } as const;
      }
      const session = await startSession(config, tx, user.id, typeOf(resolved).amr, userAgent(c));
      return { kind: "session", session, type: resolved } as const;
    });

  return new Hono<AuthEnv>()
    .use("/verify", rateLimited(deps.limiters.verify))
    .get("/verify", async (c) => {
      const token = (c.req.query("token") ?? "").replaceAll("-", "");
      const type = c.req.query("type") ?? "";
      const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));
      if (!type) throw validationFailed("Verify requires a verification type");
      if (!token) throw validationFailed("Verify requires a token or a token hash");
      const pkce = token.startsWith(PKCE_PREFIX);
      try {
        const outcome = await verify(c, type, { hash: token }, pkce);
        if (outcome.kind === "code") {
          const target = new URL(redirectTo);
          target.searchParams.set("code", outcome.code);
          return c.redirect(target.toString(), 303);
        }
        if (outcome.kind === "half") {
          return c.redirect(
            `${redirectTo}#${new URLSearchParams({ message: outcome.message, sb: "" })}`,
            303,
          );
        }
        const { session } = outcome;
        const fragment = new URLSearchParams({
          access_token: String(session.access_token),
          expires_at: String(session.expires_at),
          expires_in: String(session.expires_in),
          refresh_token: String(session.refresh_token),
          sb: "",
          token_type: "bearer",
          type: outcome.type,
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
      let presented: { hash: string } | { email: string; otp: string };
      if (body.token) {
        if (body.phone && !body.email) {
          throw validationFailed("Phone verification is not supported by the devstack");
        }
        if (!body.email || body.phone) {
          throw validationFailed("Only an email address or phone number should be provided on verify");
        }
        let email: string;
        try {
          email = validateEmail(body.email);
        } catch {
          throw new AuthError(422, "validation_failed", "Invalid email format");
        }
        presented = { email, otp: body.token.replaceAll("-", "") };
      } else if (body.email || body.phone || body.redirect_to) {
        throw validationFailed("Only the token_hash and type should be provided");
      } else presented = { hash: body.token_hash as string };
      typeOf(body.type);
      const outcome = await verify(c, body.type, presented, false);
      // GoTrue writes this code as a string.
      if (outcome.kind === "half") return c.json({ msg: outcome.message, code: "200" });
      return c.json(outcome.kind === "session" ? outcome.session : {});
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
