import { Hono } from "hono";
import { z } from "zod";
import { sendConfirmation, validatePkceParams } from "../confirmation.ts";
import { validationFailed } from "../errors.ts";
import { createFlowState } from "../flow_state.ts";
import { type AuthDeps, type AuthEnv, readJson, validateEmail } from "../http.ts";
import { clientIp, limitRequest } from "../ratelimit.ts";
import { chooseRedirect } from "../redirects.ts";
import { findUserByEmail, isConfirmed, lockUser } from "../users.ts";

const resendBody = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

/** POST /resend: mails the sign-up confirmation again. Answers {} whether or not the address is known. */
export function resendRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;
  return new Hono<AuthEnv>().post("/resend", async (c) => {
    limitRequest(deps.limiters.resend, clientIp(c.env));
    const body = await readJson(c, resendBody);
    if (!["signup", "email_change", "sms", "phone_change"].includes(body.type ?? "")) {
      throw validationFailed("Missing one of these types: signup, email_change, sms, phone_change");
    }
    if (body.type !== "signup") {
      throw validationFailed(`Resending "${body.type}" is not supported by the devstack Auth server`);
    }
    if (!body.email) throw validationFailed("Type provided requires an email address");
    if (body.phone) throw validationFailed("Only an email address or phone number should be provided.");
    const email = validateEmail(body.email);
    const challengeMethod = validatePkceParams(body.code_challenge_method, body.code_challenge);
    const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));

    const found = await findUserByEmail(sql, email);
    if (!found || isConfirmed(found)) return c.json({});
    await sql.begin(async (tx) => {
      const user = await lockUser(tx, found.id);
      if (!user || isConfirmed(user)) return;
      if (challengeMethod) await createFlowState(tx, user.id, challengeMethod, body.code_challenge as string);
      await sendConfirmation(deps, tx, user, challengeMethod !== null, redirectTo);
    });
    return c.json({});
  });
}
