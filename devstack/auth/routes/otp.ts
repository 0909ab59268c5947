import { Hono } from "hono";
import { z } from "zod";
import { checkMailFrequency, mailToken, sendConfirmation, validatePkceParams } from "../confirmation.ts";
import type { Db } from "../db.ts";
import { AuthError, badRequest } from "../errors.ts";
import { createFlowState, EMAIL_SIGNUP } from "../flow_state.ts";
import { type AuthDeps, type AuthEnv, readJson, validateEmail } from "../http.ts";
import { chooseRedirect } from "../redirects.ts";
import { confirmUser, findUserByEmail, insertUserWithIdentity, lockUser, type UserRow } from "../users.ts";
import { signupDisabled } from "./signup.ts";

const recoverBody = z.object({
  email: z.string().nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

const otpBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  create_user: z.boolean().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

type Challenge = { method: "s256" | "plain"; value: string };

/** POST /recover (password reset mail) and POST /otp (magic link / e-mailed code, optionally signing up). */
export function otpRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;

  /** The magic link mail (recovery token, type magiclink) to a confirmed user, in the caller's transaction. */
  const sendMagicLink = async (tx: Db, user: UserRow, challenge: Challenge | null, redirectTo: string) => {
    checkMailFrequency(deps, user, "recovery_token");
    if (challenge) await createFlowState(tx, user.id, challenge.method, challenge.value, "magiclink");
    await mailToken(deps, tx, user, {
      kind: "magic_link",
      column: "recovery_token",
      to: user.email ?? "",
      verifyType: "magiclink",
      pkce: challenge !== null,
      redirectTo,
    });
  };

  return new Hono<AuthEnv>()
    .post("/recover", async (c) => {
      deps.limiters.recover.limit(c.req.raw);
      if (!config.emailEnabled) throw badRequest("email_provider_disabled", "Email logins are disabled");
      const body = await readJson(c, recoverBody);
      const email = validateEmail(body.email);
      const method = validatePkceParams(body.code_challenge_method, body.code_challenge);
      const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));
      const found = await findUserByEmail(sql, email);
      // Unknown addresses get the same answer: nobody learns who has an account.
      if (!found) return c.json({});
      await sql.begin(async (tx) => {
        const user = await lockUser(tx, found.id) as UserRow;
        checkMailFrequency(deps, user, "recovery_token");
        if (method) await createFlowState(tx, user.id, method, body.code_challenge as string, "recovery");
        await mailToken(deps, tx, user, {
          kind: "recovery",
          column: "recovery_token",
          to: email,
          verifyType: "recovery",
          pkce: method !== null,
          redirectTo,
        });
      });
      return c.json({});
    })
    .post("/otp", async (c) => {
      deps.limiters.otp.limit(c.req.raw);
      const body = await readJson(c, otpBody);
      if (body.phone && !body.email) throw badRequest("phone_provider_disabled", "Phone logins are disabled");
      if (!config.emailEnabled) {
        throw new AuthError(422, "email_provider_disabled", "Email logins are disabled");
      }
      const email = validateEmail(body.email);
      const method = validatePkceParams(body.code_challenge_method, body.code_challenge);
      const challenge = method ? { method, value: body.code_challenge as string } : null;
      const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));
      const createUser = body.create_user ?? true;

      const existing = await findUserByEmail(sql, email);
      if (!existing && !createUser) throw new AuthError(422, "otp_disabled", "Signups not allowed for otp");
      if (!existing && config.disableSignup) throw signupDisabled();
      await sql.begin(async (tx) => {
        let user = existing && await lockUser(tx, existing.id);
        if (user?.email_confirmed_at) return await sendMagicLink(tx, user, challenge, redirectTo);
        // New or unconfirmed: GoTrue signs them up (no password) and mails the sign-up confirmation.
        if (!user) {
          const id = crypto.randomUUID();
          await insertUserWithIdentity(tx, {
            id,
            email,
            encryptedPassword: "",
            userMetadata: body.data ?? {},
          });
          user = await lockUser(tx, id) as UserRow;
        }
        if (config.mailerAutoconfirm) {
          await confirmUser(tx, user.id);
          return await sendMagicLink(tx, user, challenge, redirectTo);
        }
        if (challenge) await createFlowState(tx, user.id, challenge.method, challenge.value, EMAIL_SIGNUP);
        await sendConfirmation(deps, tx, user, challenge !== null, redirectTo);
      });
      return c.json({});
    });
}
