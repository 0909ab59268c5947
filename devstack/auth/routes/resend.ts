import { Hono } from "hono";
import { z } from "zod";
import { sendConfirmation, sendEmailChange, validatePkceParams } from "../confirmation.ts";
import { badRequest, validationFailed } from "../errors.ts";
import { createFlowState } from "../flow_state.ts";
import { type AuthDeps, type AuthEnv, readJson, validateEmail } from "../http.ts";
import { chooseRedirect } from "../redirects.ts";
import { findUserByEmail, isConfirmed, lockUser } from "../users.ts";

const resendBody = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

/**
 * POST /resend (types signup and email_change): mails the sign-up confirmation or the pending
 * e-mail change again. Answers {} whether or not the address is known.
 */
export function resendRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;
  return new Hono<AuthEnv>().post("/resend", async (c) => {
    deps.limiters.resend.limit(c.req.raw);
    const body = await readJson(c, resendBody);
    // GoTrue's ResendConfirmationParams.Validate, in its order.
    if (!["signup", "email_change", "sms", "phone_change"].includes(body.type ?? "")) {
      throw validationFailed("Missing one of these types: signup, email_change, sms, phone_change");
    }
    const challengeMethod = body.type === "signup" || body.type === "email_change"
      ? validatePkceParams(body.code_challenge_method, body.code_challenge)
      : null;
    if (!body.email && body.type === "signup") {
      throw validationFailed("Type provided requires an email address");
    }
    if (body.type === "sms" || body.type === "phone_change") {
      throw validationFailed(`Resending "${body.type}" is not supported by the devstack Auth server`);
    }
    if (body.email && body.phone) {
      throw validationFailed("Only an email address or phone number should be provided.");
    }
    if (!body.email) throw validationFailed("Missing email address or phone number");
    if (!config.emailEnabled) throw badRequest("email_provider_disabled", "Email logins are disabled");
    const email = validateEmail(body.email);
    const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));

    const found = await findUserByEmail(sql, email);
    // Unknown addresses, confirmed sign-ups and no pending change all get the same {}.
    if (!found) return c.json({});
    await sql.begin(async (tx) => {
      const user = await lockUser(tx, found.id);
      if (!user) return;
      if (body.type === "signup") {
        if (isConfirmed(user)) return;
        if (challengeMethod) {
          await createFlowState(tx, user.id, challengeMethod, body.code_challenge as string);
        }
        await sendConfirmation(deps, tx, user, challengeMethod !== null, redirectTo);
      } else if (user.email_change) {
        await sendEmailChange(
          deps,
          tx,
          user,
          user.email_change,
          challengeMethod,
          body.code_challenge,
          redirectTo,
        );
      }
    });
    return c.json({});
  });
}
